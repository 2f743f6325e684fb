// `gardefou pseudonymize --roster FILE --class ID [--author ID] [--json] [--show-mapping]`:
// pseudonymises one copy read on stdin, for integrators checking what would leave.
#include <iostream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "service/cli/args.h"
#include "service/cli/commands.h"
#include "service/common/files.h"
#include "service/common/text.h"
#include "service/pseudonym/leak_gate.h"
#include "service/pseudonym/pseudonymizer.h"
#include "service/pseudonym/roster_json.h"

namespace gardefou::cli {
namespace {

constexpr char kUsage[] =
    "usage: gardefou pseudonymize --roster FILE --class ID [--author STUDENT_ID] [--json] "
    "[--show-mapping] < copy.txt\n";

}  // namespace

int RunPseudonymize(int argc, char** argv) {
  absl::StatusOr<Args> args =
      ParseArgs(argc, argv, 2, {"roster", "class", "author"}, {"json", "show-mapping"});
  if (!args.ok() || !args->options.contains("roster") || !args->options.contains("class")) {
    std::cerr << "gardefou pseudonymize: "
              << (args.ok() ? "--roster and --class are required" : args.status().message())
              << "\n" << kUsage;
    return 2;
  }
  absl::StatusOr<std::string> roster_json = common::ReadFileToString(args->options["roster"]);
  if (!roster_json.ok()) {
    std::cerr << "gardefou pseudonymize: " << roster_json.status().message() << "\n";
    return 2;
  }
  auto roster = pseudonym::ParseRoster(*roster_json, args->options["class"]);
  auto lexicon = pseudonym::Lexicon::Default();
  if (!roster.ok() || !lexicon.ok()) {
    std::cerr << "gardefou pseudonymize: "
              << (roster.ok() ? lexicon.status().message() : roster.status().message()) << "\n";
    return 2;
  }
  const std::string text((std::istreambuf_iterator<char>(std::cin)), {});
  if (!common::IsValidUtf8(text)) {
    std::cerr << "gardefou pseudonymize: the input is not valid UTF-8\n";
    return 2;
  }
  pseudonym::Pseudonymizer pseudonymizer(*roster, args->options["author"], **lexicon);
  const pseudonym::Replacement result = pseudonymizer.Apply(text);
  const std::map<std::string, int> leaks = pseudonym::LeakGate(*roster, **lexicon).Scan(result.text);
  if (!args->options.contains("json")) {
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
  if (args->options.contains("show-mapping")) {
    for (const auto& [placeholder, entry] : pseudonymizer.mapping()) {
      out["mapping"][placeholder] = entry.surface;
    }
  }
  std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return leaks.empty() ? 0 : 1;
}

}  // namespace gardefou::cli
