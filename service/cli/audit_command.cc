// `gardefou audit pubkey|export|verify|report`: the inspector's tools, none needing a server.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "service/audit/export_format.h"
#include "service/cli/args.h"
#include "service/cli/audit_sources.h"
#include "service/cli/commands.h"
#include "service/common/files.h"

namespace gardefou::cli {
namespace {

constexpr char kUsage[] =
    "usage: gardefou audit pubkey (--db FILE | --key FILE)\n"
    "       gardefou audit export --db FILE --out DIR [--key FILE]\n"
    "       gardefou audit verify DIR [--trusted-checkpoint FILE] [--public-key FILE]\n"
    "       gardefou audit verify --db FILE [--key FILE] [--trusted-checkpoint FILE]\n"
    "                             [--public-key FILE]\n"
    "       gardefou audit report --db FILE --out FILE.html [--key FILE]\n"
    "                             [--fast-review-seconds N] [--trusted-checkpoint FILE]\n"
    "The key file defaults to the database's path + \".signing-key\"; --public-key pins the\n"
    "log's verifier key (as printed by `audit pubkey`) instead of trusting the export's.\n";

int Usage(const std::string& command, absl::string_view problem) {
  std::cerr << "gardefou audit " << command << ": " << problem << "\n" << kUsage;
  return 2;
}

int Error(const std::string& command, const absl::Status& status) {
  std::cerr << "gardefou audit " << command << ": " << status.message() << "\n";
  return 2;
}

// Opens the database named by --db for reading: it must exist, and is never changed.
absl::StatusOr<std::unique_ptr<store::Store>> OpenExisting(const Args& args) {
  return store::Store::OpenForReading(args.options.at("db"));
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

int RunPubkey(const Args& args) {
  if (!args.options.contains("db") && !args.options.contains("key")) {
    return Usage("pubkey", "--db or --key is required");
  }
  const std::string path = SigningKeyPath(OptionOr(args, "db"), OptionOr(args, "key"));
  absl::StatusOr<std::optional<audit::VerifierKey>> key = VerifierKeyFromKeyFile(path);
  if (!key.ok()) return Error("pubkey", key.status());
  if (!*key) return Error("pubkey", absl::NotFoundError("no signing key at " + path));
  std::cout << audit::FormatVerifierKey(**key) << "\n";
  return 0;
}

int RunExport(const Args& args) {
  if (!args.options.contains("db") || !args.options.contains("out")) {
    return Usage("export", "--db and --out are required");
  }
  auto store = OpenExisting(args);
  if (!store.ok()) return Error("export", store.status());
  auto key = KeyFileOf(args);
  if (!key.ok()) return Error("export", key.status());
  const absl::Status written = ExportDatabase(**store, *key, args.options.at("out"));
  if (!written.ok()) return Error("export", written);
  std::cout << "exported to " << args.options.at("out") << "\n";
  return 0;
}

int RunVerify(const Args& args) {
  auto trusted = TrustedCheckpoint(args);
  if (!trusted.ok()) return Error("verify", trusted.status());
  auto pinned = PinnedKey(args);
  if (!pinned.ok()) return Error("verify", pinned.status());
  absl::StatusOr<audit::LogVerdict> verdict;
  if (args.options.contains("db")) {
    if (!args.positional.empty()) return Usage("verify", "give a directory or --db, not both");
    auto store = OpenExisting(args);
    if (!store.ok()) return Error("verify", store.status());
    auto key = KeyFileOf(args);
    if (!key.ok()) return Error("verify", key.status());
    verdict = VerifyDatabase(**store, *pinned ? *pinned : *key, *trusted);
  } else if (args.positional.size() == 1) {
    verdict = VerifyExport(args.positional[0], *trusted, *pinned);
  } else {
    return Usage("verify", "an export directory or --db FILE is required");
  }
  if (!verdict.ok()) return Error("verify", verdict.status());
  return PrintVerdict(*verdict);
}

}  // namespace

int RunAudit(int argc, char** argv) {
  const std::string command = argc > 2 ? argv[2] : "";
  absl::StatusOr<Args> args =
      ParseArgs(argc, argv, 3,
                {"db", "key", "out", "trusted-checkpoint", "fast-review-seconds", "public-key"});
  if (!args.ok()) return Usage(command, args.status().message());
  if (command == "pubkey") return RunPubkey(*args);
  if (command == "export") return RunExport(*args);
  if (command == "verify") return RunVerify(*args);
  if (command == "report") return RunReport(*args);
  std::cerr << kUsage;
  return 2;
}

}  // namespace gardefou::cli
