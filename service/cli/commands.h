// The subcommands of the gardefou binary: each has its option table (a CommandSpec, from
// which its parser and usage are made) and a Run function given the parsed arguments that
// returns the process exit code.
#pragma once

#include "service/cli/args.h"

namespace gardefou::cli {

// gardefou serve: runs the server until SIGINT/SIGTERM. Exit 0 after a clean stop, 1 when
// the server cannot start, 2 on a command-line or configuration mistake.
const CommandSpec& ServeCommand();
int RunServe(const Args& args);

// gardefou pseudonymize: one copy from stdin, pseudonymised, on stdout. Exit 0 when the leak
// gate passes, 1 when it would block, 2 on error.
const CommandSpec& PseudonymizeCommand();
int RunPseudonymize(const Args& args);

// gardefou audit pubkey|export|verify|report, the inspector's tools. verify and report exit
// 0 when the log is intact, 1 when it was tampered with, 2 on error.
const CommandSpec& AuditPubkeyCommand();
int RunAuditPubkey(const Args& args);
const CommandSpec& AuditExportCommand();
int RunAuditExport(const Args& args);
const CommandSpec& AuditVerifyCommand();
int RunAuditVerify(const Args& args);
const CommandSpec& AuditReportCommand();
int RunAuditReport(const Args& args);

// gardefou store migrate|copy, the operator's tools. Exit 0 when done, 2 on error (a copy that
// would not reproduce its source is not committed).
const CommandSpec& StoreMigrateCommand();
int RunStoreMigrate(const Args& args);
const CommandSpec& StoreCopyCommand();
int RunStoreCopy(const Args& args);

// gardefou policy check FILE. Exit 0 when valid, 2 on the first mistake.
const CommandSpec& PolicyCheckCommand();
int RunPolicyCheck(const Args& args);
// gardefou policy record [--policy FILE] [--providers FILE]: the record of processing.
const CommandSpec& PolicyRecordCommand();
int RunPolicyRecord(const Args& args);

}  // namespace gardefou::cli
