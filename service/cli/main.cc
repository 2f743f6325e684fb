// The gardefou binary: dispatches to its subcommands.
#include <iostream>
#include <string>

#include "service/cli/commands.h"

namespace {

constexpr char kUsage[] =
    "gardefou — AI suggests, the teacher decides.\n"
    "usage:\n"
    "  gardefou serve [--db FILE] [--listen ADDR] [--workers N] [--providers FILE]\n"
    "      defaults: --db ./gardefou.db --listen 127.0.0.1:50051\n"
    "  gardefou pseudonymize --roster FILE --class ID [--author ID] [--json] [--show-mapping]\n"
    "      reads a copy on stdin, writes it pseudonymised; the mapping only on request\n"
    "  gardefou audit verify --db FILE\n"
    "      exit 0 when the audit chain is intact, 1 when it was tampered with, 2 on error\n";

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
