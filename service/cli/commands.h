// The subcommands of the gardefou binary. Each returns the process exit code.
#pragma once

#include "service/cli/args.h"

namespace gardefou::cli {

// gardefou serve [--db FILE] [--listen ADDR] [--workers N]
int RunServe(int argc, char** argv);

// gardefou audit pubkey|export|verify|report: exit 0 when the log is intact, 1 when it was
// tampered with, 2 on error.
int RunAudit(int argc, char** argv);
// gardefou audit report (after RunAudit parsed the options).
int RunReport(const Args& args);

// gardefou pseudonymize --roster FILE --class ID [--author ID] [--json] [--show-mapping]:
// exit 0 when the leak gate passes, 1 when it would block, 2 on error.
int RunPseudonymize(int argc, char** argv);

}  // namespace gardefou::cli
