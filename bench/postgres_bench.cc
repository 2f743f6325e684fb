// `make bench`, PostgreSQL: durable sign-offs per second through one and two `gardefou serve`
// processes sharing one database, beside pgbench's TPS (-N, the simple-update builtin) with as
// many clients on the same throw-away cluster (fsync and synchronous commit on) in the same run.
// Best of three interleaved rounds of each figure, since this machine's neighbours add noise.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/signoff_load.h"
#include "service/audit/signing_key.h"
#include "service/store/store.h"
#include "tests/support/postgres_cluster.h"
#include "tests/support/serve_process.h"

namespace t = gardefou::testing;

namespace {

constexpr int kRounds = 3;
constexpr char kPgbenchDatabase[] = "pgbench";

// A sign-off level: `clients` threads spread over the first `instances` servers.
struct Level {
  int instances;
  int clients;
};
constexpr Level kLevels[] = {{1, 1}, {1, 2}, {2, 2}, {2, 4}};
// The reference: pgbench with each number of clients above.
constexpr int kPgbenchClients[] = {1, 2, 4};

std::string Plural(int n, const char* word) {
  return absl::StrCat(n, " ", word, n == 1 ? "" : "s");
}

// The `gardefou serve` processes, stopped (SIGTERM, then waited for) at destruction; their
// logs and the shared signing key live in a directory removed then too.
class Servers {
 public:
  ~Servers() {
    for (const t::ServeProcess& process : processes_) t::StopServe(process);
    if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }

  absl::Status Start(const std::string& binary, const std::string& store_uri, int count) {
    std::string templ = "/tmp/gardefou-pgbench-XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) return absl::InternalError("mkdtemp failed");
    dir_ = templ;
    // The signing key every instance shares, created as `store migrate --signing-key` would.
    if (absl::StatusOr<gardefou::audit::SigningKey> key = gardefou::audit::LoadOrCreateSigningKey(
            (dir_ / "signing.key").string(), "bench.local/audit");
        !key.ok()) {
      return key.status();
    }
    for (int i = 0; i < count; ++i) {
      const std::filesystem::path log = dir_ / absl::StrCat("serve-", i + 1, ".log");
      const t::ServeProcess process = t::StartServe(
          binary,
          {"--store", store_uri, "--signing-key", (dir_ / "signing.key").string(),
           "--checkpoint-events", "0", "--checkpoint-seconds", "0"},
          log);
      if (process.pid > 0) processes_.push_back(process);
      if (process.port == 0) {
        std::ifstream in(log);
        std::stringstream text;
        text << in.rdbuf();
        return absl::InternalError(
            absl::StrCat(binary, " serve did not start (instance ", i + 1, "):\n", text.str()));
      }
      channels_.push_back(grpc::CreateChannel(absl::StrCat("127.0.0.1:", process.port),
                                              grpc::InsecureChannelCredentials()));
    }
    return absl::OkStatus();
  }

  const std::vector<std::shared_ptr<grpc::Channel>>& channels() const { return channels_; }

 private:
  std::filesystem::path dir_;
  std::vector<t::ServeProcess> processes_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
};

// pgbench's "tps = N (without initial connection time)".
absl::StatusOr<double> Tps(const t::PostgresCluster& cluster, int clients, int seconds) {
  absl::StatusOr<std::string> output = cluster.RunPgbench(
      {"-N", "-c", absl::StrCat(clients), "-j", absl::StrCat(clients), "-T", absl::StrCat(seconds)},
      kPgbenchDatabase);
  if (!output.ok()) return output.status();
  const size_t at = output->find("tps = ");
  if (at == std::string::npos) {
    return absl::InternalError(absl::StrCat("pgbench printed no tps:\n", *output));
  }
  return std::strtod(output->c_str() + at + 6, nullptr);
}

absl::Status Run(int per_level, int pgbench_seconds, const std::string& binary) {
  absl::StatusOr<std::unique_ptr<t::PostgresCluster>> cluster = t::PostgresCluster::StartDurable();
  if (!cluster.ok()) return cluster.status();
  {  // The schema, created by its owner as `gardefou store migrate` would.
    absl::StatusOr<std::unique_ptr<gardefou::store::Store>> store =
        gardefou::store::OpenStoreAsOwner((*cluster)->OwnerUri());
    if (!store.ok()) return store.status();
  }
  if (absl::Status st = (*cluster)->CreateDatabase(kPgbenchDatabase); !st.ok()) return st;
  if (absl::StatusOr<std::string> init =
          (*cluster)->RunPgbench({"-i", "-q", "-s", "1"}, kPgbenchDatabase);
      !init.ok()) {
    return init.status();
  }

  Servers servers;
  if (absl::Status st = servers.Start(binary, (*cluster)->ServiceUri(), 2); !st.ok()) return st;
  gardefou::bench::SignOffLoad load(servers.channels());
  if (absl::Status st = load.Setup(); !st.ok()) return st;

  std::map<int, double> pgbench;  // best TPS by clients
  std::vector<double> signoffs(std::size(kLevels), 0.0);  // best rate by level
  for (int round = 0; round < kRounds; ++round) {
    for (int clients : kPgbenchClients) {
      absl::StatusOr<double> tps = Tps(**cluster, clients, pgbench_seconds);
      if (!tps.ok()) return tps.status();
      pgbench[clients] = std::max(pgbench[clients], *tps);
    }
    for (size_t i = 0; i < std::size(kLevels); ++i) {
      absl::StatusOr<std::vector<gardefou::bench::Pending>> pending = load.Prepare(per_level);
      if (!pending.ok()) return pending.status();
      absl::StatusOr<double> rate = load.SignOffs(*pending, kLevels[i].clients,
                                                  static_cast<size_t>(kLevels[i].instances));
      if (!rate.ok()) return rate.status();
      signoffs[i] = std::max(signoffs[i], *rate);
    }
  }

  std::printf(
      "\ngardefou on PostgreSQL benchmark (%d sign-offs per level, pgbench %d s per level, best "
      "of %d rounds, %u cores)\n\n",
      per_level, pgbench_seconds, kRounds, std::thread::hardware_concurrency());
  std::printf("%-44s %12s %14s\n", "figure", "value", "vs pgbench -N");
  for (const auto& [clients, tps] : pgbench) {
    std::printf("%-44s %9.0f /s %14s\n",
                absl::StrCat("reference: pgbench -N, ", Plural(clients, "client")).c_str(), tps,
                "1.00");
  }
  for (size_t i = 0; i < std::size(kLevels); ++i) {
    const Level& level = kLevels[i];
    std::printf("%-44s %9.0f /s %13.2fx\n",
                absl::StrCat("durable sign-offs, ", Plural(level.instances, "instance"), ", ",
                             Plural(level.clients, "client"))
                    .c_str(),
                signoffs[i], signoffs[i] / pgbench[level.clients]);
  }
  std::printf("(each ratio against pgbench -N with as many clients, same cluster)\n");
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  const int per_level = argc > 1 ? std::max(10, std::atoi(argv[1])) : 200;
  const int pgbench_seconds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 2;
  const std::string binary = argc > 3 ? argv[3] : "build/service/gardefou";
  if (absl::Status st = Run(per_level, pgbench_seconds, binary); !st.ok()) {
    std::fprintf(stderr, "postgres_bench: %s\n", std::string(st.message()).c_str());
    return 1;
  }
  return 0;
}
