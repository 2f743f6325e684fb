// The gardefou binary: dispatches to its subcommands.
#include <iostream>
#include <string>

#include "service/cli/commands.h"

namespace {

constexpr char kUsage[] =
    "gardefou — AI suggests, the teacher decides.\n"
    "usage:\n"
    "  gardefou serve [--db FILE] [--listen ADDR] [--workers N] [--providers FILE]\n"
    "      [--signing-key FILE] [--log-origin NAME] [--checkpoint-events N]\n"
    "      [--checkpoint-seconds T]\n"
    "      defaults: --db ./gardefou.db --listen 127.0.0.1:50051, key FILE.signing-key,\n"
    "      a checkpoint every 100 events or 60 s\n"
    "  gardefou pseudonymize --roster FILE --class ID [--author ID] [--json] [--show-mapping]\n"
    "      reads a copy on stdin, writes it pseudonymised; the mapping only on request\n"
    "  gardefou audit pubkey (--db FILE | --key FILE)\n"
    "  gardefou audit export --db FILE --out DIR [--key FILE]\n"
    "  gardefou audit verify (DIR | --db FILE) [--trusted-checkpoint FILE] [--public-key FILE]\n"
    "  gardefou audit report --db FILE --out FILE.html [--fast-review-seconds N]\n"
    "      verify: exit 0 when the log is intact, 1 when it was tampered with, 2 on error\n";

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "serve") return gardefou::cli::RunServe(argc, argv);
  if (command == "audit") return gardefou::cli::RunAudit(argc, argv);
  if (command == "pseudonymize") return gardefou::cli::RunPseudonymize(argc, argv);
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << kUsage;
  return 2;
}
