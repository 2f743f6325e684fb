// Load driver for `make bench`: durable sign-offs per second at 1, 4 and 16 concurrent
// clients, GetDecision latency, and this machine's raw figures beside them (an empty unary
// gRPC call, a bare SQLite insert+commit with the same pragmas) so each figure reads as a ratio.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "bench/signoff_load.h"
#include "gardefou/v1/grading.grpc.pb.h"
#include "service/server/server.h"

namespace v1 = gardefou::v1;
using Clock = std::chrono::steady_clock;

namespace {

using gardefou::bench::Context;
using gardefou::bench::Pending;

void Check(const grpc::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "bench: %s failed: %s\n", what, status.error_message().c_str());
    std::exit(1);
  }
}

// The value of `result`, or exits with its error.
template <typename T>
T OrExit(absl::StatusOr<T> result) {
  if (!result.ok()) {
    std::fprintf(stderr, "bench: %s\n", std::string(result.status().message()).c_str());
    std::exit(1);
  }
  return *std::move(result);
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// The shared sign-off load (signoff_load.h) on one server, and the latencies measured here.
class Bench : public gardefou::bench::SignOffLoad {
 public:
  using SignOffLoad::SignOffLoad;

  // GetDecision latencies in microseconds over `rounds` sequential calls.
  std::vector<double> GetDecisionLatencies(const std::vector<Pending>& signed_copies, int rounds) {
    std::vector<double> out;
    for (int i = 0; i < rounds; ++i) {
      v1::GetDecisionRequest get;
      get.set_copy_id(signed_copies[i % signed_copies.size()].copy_id);
      v1::Decision decision;
      const auto start = Clock::now();
      Check(stub_->GetDecision(Context("lms", "lms").get(), get, &decision), "GetDecision");
      out.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    return out;
  }

  // Empty unary call: grpc.health.v1.Health/Check on the same server.
  std::vector<double> EmptyCallLatencies(int rounds) {
    grpc::GenericStub generic(channel_);
    std::vector<double> out;
    for (int i = 0; i < rounds; ++i) {
      grpc::ClientContext context;
      grpc::Slice empty("");
      grpc::ByteBuffer request(&empty, 1), response;
      std::promise<grpc::Status> done;
      const auto start = Clock::now();
      generic.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                        &response, [&](grpc::Status s) { done.set_value(std::move(s)); });
      Check(done.get_future().get(), "Health/Check");
      out.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    return out;
  }
};

// Bare SQLite: one row inserted and committed per transaction, WAL + synchronous=FULL.
double BareSqliteCommitsPerSecond(const std::filesystem::path& path, int n) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
               "CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t (payload) VALUES (?1)", -1, &insert, nullptr);
  const std::string payload(600, 'x');
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_bind_text(insert, 1, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
    sqlite3_step(insert);
    sqlite3_reset(insert);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return n / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const int per_level = argc > 1 ? std::atoi(argv[1]) : 400;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("gardefou-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);

  gardefou::server::ServerOptions options;
  options.db_path = (dir / "bench.db").string();
  options.listen = "127.0.0.1:0";
  options.dev_headers = true;
  auto server = gardefou::server::Server::Start(options);
  if (!server.ok()) {
    std::fprintf(stderr, "bench: %s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string((*server)->port()),
                                     grpc::InsecureChannelCredentials());
  Bench bench({channel});
  if (absl::Status st = bench.Setup(); !st.ok()) {
    std::fprintf(stderr, "bench: %s\n", std::string(st.message()).c_str());
    return 1;
  }

  const double bare = BareSqliteCommitsPerSecond(dir / "bare.db", per_level);
  std::printf("gardefou service benchmark (%d sign-offs per level, %u cores)\n\n", per_level,
              std::thread::hardware_concurrency());
  std::printf("%-44s %12s %14s\n", "figure", "value", "vs reference");
  std::printf("%-44s %9.0f /s %14s\n", "reference: bare SQLite insert+commit (FULL)", bare, "1.00");
  std::vector<Pending> all_signed;
  for (int clients : {1, 4, 16}) {
    std::vector<Pending> pending = OrExit(bench.Prepare(per_level));
    const double rate = OrExit(bench.SignOffs(pending, clients));
    char label[64];
    std::snprintf(label, sizeof label, "durable sign-offs, %d client(s)", clients);
    std::printf("%-44s %9.0f /s %13.2fx\n", label, rate, rate / bare);
    all_signed.insert(all_signed.end(), pending.begin(), pending.end());
  }

  const std::vector<double> empty = bench.EmptyCallLatencies(2000);
  const std::vector<double> get = bench.GetDecisionLatencies(all_signed, 2000);
  const double empty_p50 = Percentile(empty, 0.50), empty_p99 = Percentile(empty, 0.99);
  std::printf("%-44s %9.0f us %14s\n", "reference: empty unary gRPC call p50", empty_p50, "1.00");
  std::printf("%-44s %9.0f us %14s\n", "reference: empty unary gRPC call p99", empty_p99, "1.00");
  std::printf("%-44s %9.0f us %13.2fx\n", "GetDecision p50", Percentile(get, 0.50),
              Percentile(get, 0.50) / empty_p50);
  std::printf("%-44s %9.0f us %13.2fx\n", "GetDecision p99", Percentile(get, 0.99),
              Percentile(get, 0.99) / empty_p99);

  (*server)->Shutdown();
  std::filesystem::remove_all(dir);
  return 0;
}
