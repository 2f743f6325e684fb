// Where `gardefou audit` finds what it checks: the log's key, a live database or an export
// directory, each turned into one LogVerdict by the same LogVerifier.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "service/audit/log_verifier.h"
#include "service/audit/signing_key.h"
#include "service/cli/args.h"
#include "service/store/store.h"

namespace gardefou::cli {

// The store named by --db FILE or --store SPEC: exactly one of them, else INVALID_ARGUMENT.
absl::StatusOr<std::string> StoreSpecOf(const Args& args);

// The signing key file of a store: `key_path` when given, else the SQLite file's path +
// ".signing-key"; empty for a PostgreSQL store given without one.
std::string SigningKeyPath(const std::string& store_spec, const std::string& key_path);

// The verifier key from a signing key file, or nullopt when there is no such file.
absl::StatusOr<std::optional<audit::VerifierKey>> VerifierKeyFromKeyFile(const std::string& path);

// The verifier key of the store named by --db or --store, from its key file (--key, or the
// default path); nullopt when there is no key file.
absl::StatusOr<std::optional<audit::VerifierKey>> KeyFileOf(const Args& args);

// The note given with --trusted-checkpoint FILE, if any.
absl::StatusOr<std::optional<std::string>> TrustedCheckpoint(const Args& args);

// Every event, stored leaf and checkpoint of the open database, on one snapshot; the events
// checked are also appended to `events` when given (the report shows what was verified).
absl::StatusOr<audit::LogVerdict> VerifyDatabase(
    store::Store& store, const std::optional<audit::VerifierKey>& key,
    const std::optional<std::string>& trusted,
    std::vector<model::AuditEventRecord>* events = nullptr);

// An export directory (see service/audit/export_format.h), with no database. `pinned`, when
// given, is the key the inspector trusts, used instead of the export's own log.pub.
absl::StatusOr<audit::LogVerdict> VerifyExport(const std::string& dir,
                                               const std::optional<std::string>& trusted,
                                               const std::optional<audit::VerifierKey>& pinned);

// Writes the export of the open database into `dir`, which it creates (mode 0700, files
// 0600, none through a symlink): ALREADY_EXISTS when anything is at `dir`. On failure it
// removes what it wrote, leaving no partial export.
absl::Status ExportDatabase(store::Store& store, const std::optional<audit::VerifierKey>& key,
                            const std::string& dir);

// "OK: ..." or "TAMPERED: ..." lines for people, and the exit code (0 or 1).
int PrintVerdict(const audit::LogVerdict& verdict);

}  // namespace gardefou::cli
