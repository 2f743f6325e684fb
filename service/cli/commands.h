// The subcommands of the gardefou binary. Each returns the process exit code.
#pragma once

namespace gardefou::cli {

// gardefou serve [--db FILE] [--listen ADDR] [--workers N]
int RunServe(int argc, char** argv);

// gardefou audit verify --db FILE: exit 0 when the chain is intact, 1 when tampered, 2 on error.
int RunAudit(int argc, char** argv);

// gardefou pseudonymize --roster FILE --class ID [--author ID] [--json] [--show-mapping]:
// exit 0 when the leak gate passes, 1 when it would block, 2 on error.
int RunPseudonymize(int argc, char** argv);

}  // namespace gardefou::cli
