// `gardefou audit verify --db FILE`: recomputes the hash chain offline, without a server.
#include <filesystem>
#include <iostream>

#include "service/audit/chain_verifier.h"
#include "service/cli/args.h"
#include "service/cli/commands.h"
#include "service/store/store.h"

namespace gardefou::cli {
namespace {

constexpr char kUsage[] = "usage: gardefou audit verify --db FILE\n";

}  // namespace

int RunAudit(int argc, char** argv) {
  if (argc < 3 || std::string(argv[2]) != "verify") {
    std::cerr << kUsage;
    return 2;
  }
  absl::StatusOr<Args> args = ParseArgs(argc, argv, 3, {"db"});
  if (!args.ok() || !args->options.contains("db")) {
    std::cerr << "gardefou audit verify: "
              << (args.ok() ? "--db is required" : args.status().message()) << "\n"
              << kUsage;
    return 2;
  }
  const std::string path = args->options["db"];
  if (!std::filesystem::exists(path)) {
    std::cerr << "gardefou audit verify: no database at " << path << "\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::Store::Open(path, 1);
  if (!store.ok()) {
    std::cerr << "gardefou audit verify: " << store.status().message() << "\n";
    return 2;
  }
  audit::ChainVerifier verifier;
  absl::Status read = (*store)->Read([&](store::Session& session) {
    return session.ForEachAuditEvent(
        [&](const store::AuditEventRecord& event) { verifier.Feed(event); });
  });
  if (!read.ok()) {
    std::cerr << "gardefou audit verify: cannot read the trail: " << read.message() << "\n";
    return 2;
  }
  const audit::VerifyResult& result = verifier.result();
  if (!result.ok) {
    std::cout << "TAMPERED: first bad event " << result.first_bad_seq << ": " << result.problem
              << "\n";
    return 1;
  }
  std::cout << "OK: " << result.events_checked << " events verified; head " << result.head_hash
            << "\n";
  return 0;
}

}  // namespace gardefou::cli
