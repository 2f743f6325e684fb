// `gardefou audit pubkey|export|verify`: the inspector's tools, none needing a server.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "service/audit/export_format.h"
#include "service/cli/audit_sources.h"
#include "service/cli/commands.h"
#include "service/common/files.h"

namespace gardefou::cli {
namespace {

const OptionSpec kKeyOption = {"key", "FILE",
                               "the log's signing key file (default: the SQLite file's path + "
                               "\".signing-key\"; required with a PostgreSQL store)"};
const OptionSpec kStoreOption = {"store", "SPEC",
                                 "instead of --db: sqlite:FILE or postgresql://... (read-only)"};
const OptionSpec kTrustedOption = {"trusted-checkpoint", "FILE",
                                   "a checkpoint note kept from an earlier visit"};
const OptionSpec kPublicKeyOption = {
    "public-key", "FILE", "pin the log's verifier key (as printed by `audit pubkey`)"};
constexpr char kVerdictNotes[] =
    "Exit 0 when the log is intact, 1 when it was tampered with, 2 on error.\n";

int Error(const std::string& command, const absl::Status& status) {
  std::cerr << "gardefou audit " << command << ": " << status.message() << "\n";
  return 2;
}

// Opens the store named by --db or --store for reading: it must exist, and is never changed.
absl::StatusOr<std::unique_ptr<store::Store>> OpenExisting(const Args& args) {
  absl::StatusOr<std::string> spec = StoreSpecOf(args);
  if (!spec.ok()) return spec.status();
  return store::OpenStoreForReading(*spec);
}

// The verifier key given with --public-key FILE (as printed by `audit pubkey`), if any.
absl::StatusOr<std::optional<audit::VerifierKey>> PinnedKey(const Args& args) {
  auto it = args.options.find("public-key");
  if (it == args.options.end()) return std::nullopt;
  absl::StatusOr<std::string> text = common::ReadFileToString(it->second);
  if (!text.ok()) return text.status();
  absl::StatusOr<audit::VerifierKey> key = audit::ParseVerifierKey(*text);
  if (!key.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(it->second, " is not a verifier key: ", key.status().message()));
  }
  return *key;
}

}  // namespace

const CommandSpec& AuditPubkeyCommand() {
  static const CommandSpec* spec = new CommandSpec{
      .path = "audit pubkey",
      .summary = "print the log's verifier key, to publish and keep",
      .options = {{"db", "FILE", "the database whose key file to read"}, kKeyOption},
      .notes = "One of --db and --key is required. Exit 0, or 2 when there is no key.\n"};
  return *spec;
}

int RunAuditPubkey(const Args& args) {
  if (!args.options.contains("db") && !args.options.contains("key")) {
    return UsageError(AuditPubkeyCommand(), "--db or --key is required");
  }
  const std::string path = SigningKeyPath(OptionOr(args, "db"), OptionOr(args, "key"));
  absl::StatusOr<std::optional<audit::VerifierKey>> key = VerifierKeyFromKeyFile(path);
  if (!key.ok()) return Error("pubkey", key.status());
  if (!*key) return Error("pubkey", absl::NotFoundError("no signing key at " + path));
  std::cout << audit::FormatVerifierKey(**key) << "\n";
  return 0;
}

const CommandSpec& AuditExportCommand() {
  static const CommandSpec* spec = new CommandSpec{
      .path = "audit export",
      .summary = "write the trail as events.jsonl, checkpoints and log.pub, for offline checks",
      .options = {{"db", "FILE", "the database to export (opened read-only)"},
                  kStoreOption,
                  {"out", "DIR", "the directory to create, mode 0700; it must not exist", true},
                  kKeyOption},
      .notes = "Exit 0 when written, 2 on error.\n"};
  return *spec;
}

int RunAuditExport(const Args& args) {
  auto store = OpenExisting(args);
  if (!store.ok()) return Error("export", store.status());
  auto key = KeyFileOf(args);
  if (!key.ok()) return Error("export", key.status());
  const absl::Status written = ExportDatabase(**store, *key, args.options.at("out"));
  if (!written.ok()) return Error("export", written);
  std::cout << "exported to " << args.options.at("out") << "\n";
  return 0;
}

const CommandSpec& AuditVerifyCommand() {
  static const CommandSpec* spec = new CommandSpec{
      .path = "audit verify",
      .operands = "[DIR]",
      .max_operands = 1,
      .summary = "verify an export directory DIR, or a store with --db/--store, with no server",
      .options = {{"db", "FILE", "verify this database (read-only) instead of an export"},
                  kStoreOption,
                  kKeyOption, kTrustedOption, kPublicKeyOption},
      .notes = kVerdictNotes};
  return *spec;
}

int RunAuditVerify(const Args& args) {
  const bool names_store = args.options.contains("db") || args.options.contains("store");
  if (names_store == !args.positional.empty()) {
    return UsageError(AuditVerifyCommand(),
                      args.positional.empty() ? "an export directory or --db/--store is required"
                                              : "give a directory or --db/--store, not both");
  }
  auto trusted = TrustedCheckpoint(args);
  if (!trusted.ok()) return Error("verify", trusted.status());
  auto pinned = PinnedKey(args);
  if (!pinned.ok()) return Error("verify", pinned.status());
  absl::StatusOr<audit::LogVerdict> verdict;
  if (names_store) {
    auto store = OpenExisting(args);
    if (!store.ok()) return Error("verify", store.status());
    auto key = KeyFileOf(args);
    if (!key.ok()) return Error("verify", key.status());
    verdict = VerifyDatabase(**store, *pinned ? *pinned : *key, *trusted);
  } else {
    verdict = VerifyExport(args.positional[0], *trusted, *pinned);
  }
  if (!verdict.ok()) return Error("verify", verdict.status());
  return PrintVerdict(*verdict);
}

const CommandSpec& AuditReportCommand() {
  static const CommandSpec* spec = new CommandSpec{
      .path = "audit report",
      .summary = "verify a database and write the inspector's HTML page",
      .options = {{"db", "FILE", "the database to report on (opened read-only)"},
                  kStoreOption,
                  {"out", "FILE.html", "the page to write", true},
                  kKeyOption, kTrustedOption,
                  {"fast-review-seconds", "N",
                   "flag sign-offs faster than N seconds, 0 to 86400 (default 30)"}},
      .notes = kVerdictNotes};
  return *spec;
}

}  // namespace gardefou::cli
