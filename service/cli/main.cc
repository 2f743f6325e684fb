// The gardefou binary: finds the subcommand named by the first words of the command line,
// parses its options with the one parser, and runs it.
#include <iostream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "service/cli/commands.h"

namespace gardefou::cli {
namespace {

struct Subcommand {
  const CommandSpec& (*spec)();
  int (*run)(const Args&);
};

constexpr Subcommand kSubcommands[] = {
    {ServeCommand, RunServe},
    {PseudonymizeCommand, RunPseudonymize},
    {AuditPubkeyCommand, RunAuditPubkey},
    {AuditExportCommand, RunAuditExport},
    {AuditVerifyCommand, RunAuditVerify},
    {AuditReportCommand, RunAuditReport},
    {StoreMigrateCommand, RunStoreMigrate},
    {StoreCopyCommand, RunStoreCopy},
    {PolicyCheckCommand, RunPolicyCheck},
    {PolicyRecordCommand, RunPolicyRecord},
};

// The usage of every subcommand whose path starts with `group` ("" for all, "audit").
std::string Overview(const std::string& group) {
  std::string text =
      "gardefou — the AI suggests, the teacher decides.\n"
      "usage: gardefou " + (group.empty() ? std::string("COMMAND") : group + " COMMAND") +
      " [options]   (gardefou " + (group.empty() ? "" : group + " ") +
      "COMMAND --help for its options)\n\ncommands:\n";
  for (const Subcommand& sub : kSubcommands) {
    const CommandSpec& spec = sub.spec();
    if (!absl::StartsWith(spec.path, group)) continue;
    text += "  " + spec.path + std::string(spec.path.size() < 20 ? 20 - spec.path.size() : 1, ' ') +
            spec.summary + "\n";
  }
  return text;
}

int Main(int argc, char** argv) {
  const std::string first = argc > 1 ? argv[1] : "";
  if (first == "help" || first == "-h" || first == "--help") {
    std::cout << Overview("");
    return 0;
  }
  for (const Subcommand& sub : kSubcommands) {
    const std::vector<std::string> words = absl::StrSplit(sub.spec().path, ' ');
    bool matches = static_cast<int>(words.size()) < argc;
    for (size_t i = 0; matches && i < words.size(); ++i) matches = words[i] == argv[i + 1];
    if (!matches) continue;
    std::variant<Args, int> parsed =
        ParseCommandLine(sub.spec(), argc, argv, static_cast<int>(words.size()) + 1);
    if (const int* exit_code = std::get_if<int>(&parsed)) return *exit_code;
    return sub.run(std::get<Args>(parsed));
  }
  if (first == "audit" || first == "store" || first == "policy") {  // a group alone, its help, or an unknown command
    const std::string second = argc > 2 ? argv[2] : "";
    if (second == "-h" || second == "--help") {
      std::cout << Overview(first);
      return 0;
    }
    std::cerr << "gardefou " << first << ": "
              << (second.empty() ? "a command is required" : "unknown command '" + second + "'")
              << "\n" << Overview(first);
    return 2;
  }
  std::cerr << "gardefou: "
            << (first.empty() ? "a command is required" : "unknown command '" + first + "'")
            << "\n" << Overview("");
  return 2;
}

}  // namespace
}  // namespace gardefou::cli

int main(int argc, char** argv) { return gardefou::cli::Main(argc, argv); }
