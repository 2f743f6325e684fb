// Test support: a real gardefou server on a loopback port over a real SQLite file in a fresh
// temporary directory, with stubs, call contexts and a snapshot of every table's row count.
#pragma once

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "gardefou/v1/audit.grpc.pb.h"
#include "gardefou/v1/grading.grpc.pb.h"
#include "service/server/server.h"

namespace gardefou::testing {

// A fresh directory under the system temp dir, removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct Caller {
  std::string tenant;
  std::string actor;
  std::string role;
};

// The row count of every table, to prove that a refused call wrote nothing.
using TableCounts = std::map<std::string, int64_t>;

// Row counts of every table of the database at `db_path`, with a connection of its own.
TableCounts CountRows(const std::filesystem::path& db_path);

class TestServer {
 public:
  // `register_providers` adds stand-ins for AI vendors beside the built-in providers.
  // Checkpoints are signed on request only unless `checkpoints` says otherwise, so that row
  // counts stay put.
  explicit TestServer(
      std::function<absl::Status(plugins::ProviderRegistry&)> register_providers = {},
      workflow::CheckpointPolicy checkpoints = {0, 0},
      std::optional<policy::Policy> policy = std::nullopt);
  ~TestServer();

  v1::GradingAssist::Stub& grading() { return *grading_; }
  v1::AuditTrail::Stub& trail() { return *trail_; }
  server::Server& server() { return *server_; }
  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  const std::filesystem::path& db_path() const { return db_path_; }

  // Stops the server (the file stays until destruction).
  void Stop();

  // A client context carrying the caller's metadata and a 10 s deadline.
  static std::unique_ptr<grpc::ClientContext> Context(const Caller& caller);

  // Row counts of every table, read with a separate SQLite connection.
  TableCounts Counts() const;

 private:
  TempDir dir_;
  std::filesystem::path db_path_;
  std::unique_ptr<server::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::GradingAssist::Stub> grading_;
  std::unique_ptr<v1::AuditTrail::Stub> trail_;
};

// Names used by the scenario below.
inline constexpr char kTenant[] = "0999001A";
inline constexpr char kOtherTenant[] = "0999002B";
inline constexpr char kClass[] = "3B";
inline constexpr char kTeacher[] = "t-1";
inline constexpr char kOtherTeacher[] = "t-2";  // on the roster, not on the assignment
inline constexpr char kStudent[] = "s-1";

Caller Lms(const std::string& tenant = kTenant);
Caller Teacher(const std::string& id = kTeacher, const std::string& tenant = kTenant);
Caller Inspector(const std::string& tenant = kTenant);

// A class with a roster, an assignment with a 3-criterion rubric (max 6, 8, 6), one copy by
// kStudent, and optionally an EVALUATION and an EXTRA_WORK suggestion and an open review.
struct Scenario {
  v1::Assignment assignment;
  v1::Copy copy;
  v1::Suggestion evaluation;
  v1::Suggestion extra_work;
  v1::Review review;
};

// A client context for a caller: TestServer::Context's headers, or verified credentials.
using ContextFor = std::function<std::unique_ptr<grpc::ClientContext>(const Caller&)>;

// Records, as the LMS, that the families of `class_id` were informed (RecordFamiliesInformed):
// the default policy makes no AI call for a class before. Fails the current test on error.
void InformFamilies(v1::GradingAssist::Stub& grading, const std::string& class_id,
                    const std::string& tenant = kTenant,
                    const ContextFor& context_for = TestServer::Context);

// Builds the scenario in `tenant` through `grading`; fails the current test (ADD_FAILURE) on any error.
Scenario BuildScenario(v1::GradingAssist::Stub& grading, bool with_suggestions = true,
                       bool with_review = true, const std::string& tenant = kTenant,
                       const ContextFor& context_for = TestServer::Context);

// Calls grpc.health.v1.Health/Check (the empty unary call of the benchmarks too) and stores
// the raw response bytes in `response_bytes`.
// The reason of gardefou's google.rpc.ErrorInfo in a refusal's details, "<none>" when the
// status carries none, "<undecodable>" when its details do not parse.
std::string ReasonOf(const grpc::Status& status);

// With `service`, the status of that service by its full name ("gardefou.v1.GradingAssist").
grpc::Status CheckHealth(std::shared_ptr<grpc::Channel> channel, std::string* response_bytes,
                         const std::string& service = "");

// Settings of an openai-compatible vendor at `base_url` for tests: short timeouts and
// backoff, declared guarantees EU / no retention / no training.
plugins::ProviderSettings VendorSettings(const std::string& name, const std::string& base_url);

// Runs `sql` on the database file with a connection of its own, after dropping the triggers
// that keep the trail append-only, as whoever holds the file could.
void TamperWith(const std::filesystem::path& db, const std::string& sql);

// A SignOffRequest valid for `s`: criterion 1 accepted, 2 modified, 3 teacher-only.
v1::SignOffRequest ValidSignOff(const Scenario& s, const std::string& request_id = "sign-1");

}  // namespace gardefou::testing
