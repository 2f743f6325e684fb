// `gardefou pseudonymize`: pseudonymises one copy read on stdin, for integrators checking
// what would leave for an AI provider.
#include <iostream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "service/cli/commands.h"
#include "service/common/data_dir.h"
#include "service/common/files.h"
#include "service/common/text.h"
#include "service/pseudonym/leak_gate.h"
#include "service/pseudonym/pseudonymizer.h"
#include "service/pseudonym/roster_json.h"

namespace gardefou::cli {

const CommandSpec& PseudonymizeCommand() {
  static const CommandSpec* spec = new CommandSpec{
      .path = "pseudonymize",
      .operands = "< copy.txt",
      .summary = "pseudonymise one copy read on stdin, as a provider would receive it",
      .options = {
          {"roster", "FILE", "rosters in JSON (an array of classes, see docs/integration.md)", true},
          {"class", "ID", "the class of the copy in the roster file", true},
          {"author", "ID", "the pupil who wrote the copy (becomes [ELEVE_1])"},
          {"json", "", "print the text, the entities, counts and the leak gate's verdict as JSON"},
          {"show-mapping", "", "with --json, also print which placeholder stands for what"},
          {"data-dir", "DIR", "the word lists (default: installed location, then beside the binary)"},
      },
      .notes = "Exit 0 when the leak gate passes, 1 when it would block the text, 2 on error.\n"};
  return *spec;
}

namespace {

int Fail(absl::string_view problem) {
  std::cerr << "gardefou pseudonymize: " << problem << "\n";
  return 2;
}

}  // namespace

int RunPseudonymize(const Args& args) {
  if (args.options.contains("show-mapping") && !args.options.contains("json")) {
    return UsageError(PseudonymizeCommand(), "--show-mapping needs --json");
  }
  absl::StatusOr<std::string> roster_json = common::ReadFileToString(args.options.at("roster"));
  if (!roster_json.ok()) return Fail(roster_json.status().message());
  auto roster = pseudonym::ParseRoster(*roster_json, args.options.at("class"));
  if (!roster.ok()) return Fail(roster.status().message());
  absl::StatusOr<std::string> data_dir = common::FindDataDir(OptionOr(args, "data-dir"));
  if (!data_dir.ok()) return Fail(data_dir.status().message());
  auto lexicon = pseudonym::Lexicon::Shared(*data_dir);
  if (!lexicon.ok()) return Fail(lexicon.status().message());
  const std::string text((std::istreambuf_iterator<char>(std::cin)), {});
  if (!common::IsValidUtf8(text)) return Fail("the input is not valid UTF-8");
  pseudonym::Pseudonymizer pseudonymizer(*roster, OptionOr(args, "author"), **lexicon);
  const pseudonym::Replacement result = pseudonymizer.Apply(text);
  const std::map<std::string, int> leaks = pseudonym::LeakGate(*roster, **lexicon).Scan(result.text);
  if (!args.options.contains("json")) {
    std::cout << result.text;
    if (!leaks.empty()) std::cerr << "gardefou pseudonymize: the leak gate would block this text\n";
    return leaks.empty() ? 0 : 1;
  }
  nlohmann::json out;
  out["text"] = result.text;
  out["entities"] = nlohmann::json::array();
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& e : result.entities) {
    out["entities"].push_back({{"type", pseudonym::TypeName(e.type)},
                               {"begin", e.begin},
                               {"end", e.end},
                               {"placeholder", e.placeholder}});
    counts[std::string(pseudonym::TypeName(e.type))] =
        counts.value(std::string(pseudonym::TypeName(e.type)), 0) + 1;
  }
  out["counts"] = counts;
  out["leak_gate"] = leaks.empty() ? nlohmann::json("pass") : nlohmann::json(leaks);
  if (args.options.contains("show-mapping")) {
    for (const auto& [placeholder, entry] : pseudonymizer.mapping()) {
      out["mapping"][placeholder] = entry.surface;
    }
  }
  std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return leaks.empty() ? 0 : 1;
}

}  // namespace gardefou::cli
