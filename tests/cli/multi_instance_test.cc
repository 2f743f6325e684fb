// Two `gardefou serve` instances on one PostgreSQL database, 8 clients spread over both doing
// full flows (roster, assignment, copy, suggestion, review, sign-off) for 30 s; the instance
// that signs checkpoints is killed with SIGKILL midway and restarted. Clients whose instance
// dies retry the same request on the other one. Afterwards: every acknowledged decision is
// there, the trail is one chain with no gap, `audit verify --store` is OK, checkpoints were
// signed before and after the kill, and the survivor took leadership over.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "service/common/ids.h"
#include "service/store/store.h"
#include "tests/support/postgres_cluster.h"
#include "tests/support/run_command.h"
#include "tests/support/serve_process.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

using Clock = std::chrono::steady_clock;
using Stub = v1::GradingAssist::Stub;

constexpr int kClients = 8;
constexpr auto kRun = std::chrono::seconds(30);
constexpr auto kKillAt = std::chrono::seconds(12);
constexpr auto kRestartAt = std::chrono::seconds(15);

// The instances' addresses, changed when one is restarted on a new port.
class Fleet {
 public:
  void Set(int index, int port) {
    std::lock_guard<std::mutex> lock(mu_);
    ports_[index] = port;
  }
  int Port(int index) {
    std::lock_guard<std::mutex> lock(mu_);
    return ports_[index];
  }

 private:
  std::mutex mu_;
  int ports_[2] = {0, 0};
};

struct Acknowledged {
  std::string tenant, copy_id, decision_id;
  double total = 0;
};

// One client: full flows in its own tenant, each call retried with the same request_id on the
// other instance while its own is down (UNAVAILABLE, or no answer in time).
class Client {
 public:
  Client(Fleet& fleet, int index) : fleet_(fleet), index_(index) {}

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Caller& caller, const Request& request, Response* response) {
    grpc::Status status;
    const auto give_up = Clock::now() + std::chrono::seconds(20);
    for (int attempt = 0; Clock::now() < give_up; ++attempt) {
      const int instance = (index_ + attempt) % 2;
      const int port = fleet_.Port(instance);
      Stub& stub = StubFor(port);
      status = (stub.*method)(TestServer::Context(caller).get(), request, response);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
          status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
        if (attempt > 0) ++retries_;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return status;
  }

  // One flow; the decision when the sign-off was acknowledged.
  std::optional<Acknowledged> Flow(int k) {
    const std::string tenant = absl::StrCat("099900", index_, "A");
    const std::string tag = absl::StrCat(index_, "-", k);
    v1::UpsertRosterRequest roster;
    roster.set_request_id("roster-" + tag);
    roster.set_class_id("C" + tag);
    roster.mutable_school()->set_name("Collège Test");
    v1::Person* teacher = roster.add_teachers();
    teacher->set_id(kTeacher);
    teacher->set_first("Prof");
    teacher->set_last("Durand");
    v1::Person* student = roster.add_students();
    student->set_id(kStudent);
    student->set_first("Inès");
    student->set_last("Garnier");
    v1::UpsertRosterResponse upserted;
    if (!Call(&Stub::UpsertRoster, Lms(tenant), roster, &upserted).ok()) return Failed("roster");
    v1::RecordFamiliesInformedRequest inform;
    inform.set_request_id("families-" + tag);
    inform.set_class_id("C" + tag);
    inform.set_informed_on("2026-09-01");
    v1::FamiliesInformed informed;
    if (!Call(&Stub::RecordFamiliesInformed, Lms(tenant), inform, &informed).ok()) {
      return Failed("families");
    }

    v1::CreateAssignmentRequest create;
    create.set_request_id("assignment-" + tag);
    create.set_class_id("C" + tag);
    create.set_title("Essai");
    for (const char* id : {"c1", "c2", "c3"}) {
      v1::Criterion* c = create.mutable_rubric()->add_criteria();
      c->set_id(id);
      c->set_label(id);
      c->set_max_points(6);
    }
    create.add_teacher_ids(kTeacher);
    Scenario s;
    if (!Call(&Stub::CreateAssignment, Lms(tenant), create, &s.assignment).ok()) {
      return Failed("assignment");
    }
    v1::SubmitCopyRequest submit;
    submit.set_request_id("copy-" + tag);
    submit.set_assignment_id(s.assignment.assignment_id());
    submit.set_student_id(kStudent);
    submit.set_text("Les écrans sont utiles. Par exemple, les arguments comptent.");
    if (!Call(&Stub::SubmitCopy, Lms(tenant), submit, &s.copy).ok()) return Failed("copy");
    v1::RequestSuggestionRequest ask;
    ask.set_request_id("suggest-" + tag);
    ask.set_copy_id(s.copy.copy_id());
    ask.set_purpose(v1::EVALUATION);
    if (!Call(&Stub::RequestSuggestion, Lms(tenant), ask, &s.evaluation).ok()) {
      return Failed("suggestion");
    }
    v1::OpenReviewRequest open;
    open.set_request_id("review-" + tag);
    open.set_copy_id(s.copy.copy_id());
    if (!Call(&Stub::OpenReview, Teacher(kTeacher, tenant), open, &s.review).ok()) {
      return Failed("review");
    }
    v1::Decision decision;
    const grpc::Status signed_off = Call(&Stub::SignOff, Teacher(kTeacher, tenant),
                                         ValidSignOff(s, "sign-" + tag), &decision);
    if (!signed_off.ok()) return Failed("sign-off: " + signed_off.error_message());
    return Acknowledged{tenant, s.copy.copy_id(), decision.decision_id(),
                        decision.total_points()};
  }

  int retries() const { return retries_; }
  const std::vector<std::string>& failures() const { return failures_; }

 private:
  Stub& StubFor(int port) {
    auto& stub = stubs_[port];
    if (stub == nullptr) {
      stub = v1::GradingAssist::NewStub(grpc::CreateChannel(
          absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
    }
    return *stub;
  }
  std::optional<Acknowledged> Failed(const std::string& step) {
    failures_.push_back(step);
    return std::nullopt;
  }

  Fleet& fleet_;
  const int index_;
  std::map<int, std::unique_ptr<Stub>> stubs_;
  int retries_ = 0;
  std::vector<std::string> failures_;
};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(MultiInstance, TwoInstancesOnePostgresSurviveAKillOfTheLeader) {
  absl::StatusOr<std::unique_ptr<PostgresCluster>> cluster = PostgresCluster::Start();
  ASSERT_TRUE(cluster.ok()) << "PostgreSQL could not start: " << cluster.status();
  TempDir dir;
  // The schema's owner migrates once and creates the log's key; the instances run as the
  // service role, each given that key.
  const std::string key = (dir.path() / "log.signing-key").string();
  const RunResult migrated =
      RunCommand(absl::StrCat(GARDEFOU_BINARY, " store migrate --store '", (*cluster)->OwnerUri(),
                              "' --signing-key '", key, "'"));
  ASSERT_EQ(migrated.exit_code, 0) << migrated.output;
  const std::vector<std::string> serve_args = {
      "--store", (*cluster)->ServiceUri(), "--signing-key", key,
      "--checkpoint-events", "25", "--checkpoint-seconds", "1"};

  Fleet fleet;
  ServeProcess first = StartServe(GARDEFOU_BINARY, serve_args, dir.path() / "first.log");
  ASSERT_GT(first.port, 0) << ReadFile(dir.path() / "first.log");
  std::this_thread::sleep_for(std::chrono::seconds(1));  // the first instance takes the lead
  const ServeProcess second = StartServe(GARDEFOU_BINARY, serve_args, dir.path() / "second.log");
  ASSERT_GT(second.port, 0) << ReadFile(dir.path() / "second.log");
  fleet.Set(0, first.port);
  fleet.Set(1, second.port);

  const auto start = Clock::now();
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<std::vector<Acknowledged>> acknowledged(kClients);
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    clients.push_back(std::make_unique<Client>(fleet, c));
    threads.emplace_back([&, c] {
      for (int k = 0; Clock::now() - start < kRun; ++k) {
        if (auto done = clients[c]->Flow(k)) acknowledged[c].push_back(*done);
      }
    });
  }
  std::this_thread::sleep_until(start + kKillAt);
  const int64_t killed_at_us = common::NowMicros();
  ASSERT_EQ(kill(first.pid, SIGKILL), 0);
  int status = 0;
  waitpid(first.pid, &status, 0);
  std::this_thread::sleep_until(start + kRestartAt);
  first = StartServe(GARDEFOU_BINARY, serve_args, dir.path() / "restarted.log");
  ASSERT_GT(first.port, 0) << ReadFile(dir.path() / "restarted.log");
  fleet.Set(0, first.port);
  for (std::thread& t : threads) t.join();
  EXPECT_TRUE(StopServe(first));
  EXPECT_TRUE(StopServe(second));

  size_t total = 0;
  int retries = 0;
  for (int c = 0; c < kClients; ++c) {
    total += acknowledged[c].size();
    retries += clients[c]->retries();
    EXPECT_TRUE(clients[c]->failures().empty())
        << "client " << c << " gave up at " << clients[c]->failures().front();
  }
  std::cout << "flows acknowledged: " << total << ", calls answered by another instance "
            << "after a failure: " << retries << "\n";
  EXPECT_GT(total, 40u) << "too few flows to prove anything";
  EXPECT_GT(retries, 0) << "no client ever failed over: the kill proved nothing";

  // Every acknowledged decision is stored, as acknowledged; the trail has no gap.
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::OpenStoreForReading((*cluster)->ServiceUri());
  ASSERT_TRUE(store.ok()) << store.status();
  std::vector<model::CheckpointRecord> checkpoints;
  ASSERT_TRUE((*store)->Read([&](store::Session& s) -> absl::Status {
    for (const auto& per_client : acknowledged) {
      for (const Acknowledged& ack : per_client) {
        absl::StatusOr<model::DecisionRecord> found = s.FindDecision(ack.tenant, ack.decision_id);
        EXPECT_TRUE(found.ok()) << ack.decision_id << ": " << found.status();
        if (found.ok()) {
          EXPECT_EQ(found->copy_id, ack.copy_id);
          EXPECT_DOUBLE_EQ(found->total_points, ack.total);
        }
      }
    }
    int64_t expected = 1;
    absl::Status walked = s.ForEachAuditEvent(
        [&](const model::AuditEventRecord& e) { EXPECT_EQ(e.seq, expected++); }, 0);
    EXPECT_TRUE(walked.ok()) << walked;
    EXPECT_GT(expected, static_cast<int64_t>(total) * 6);  // six mutations per flow at least
    absl::StatusOr<std::vector<model::CheckpointRecord>> all = s.ListCheckpoints();
    if (all.ok()) checkpoints = *all;
    return all.status();
  }).ok());

  // One chain, its tree and every checkpoint, whichever instance signed it.
  const RunResult verified =
      RunCommand(absl::StrCat(GARDEFOU_BINARY, " audit verify --store '",
                              (*cluster)->ServiceUri(), "' --key '", key, "'"));
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  const auto signed_after = std::count_if(checkpoints.begin(), checkpoints.end(), [&](auto& c) {
    return c.signed_at_us > killed_at_us;
  });
  EXPECT_GT(checkpoints.size() - signed_after, 0u) << "no checkpoint before the kill";
  EXPECT_GT(signed_after, 0) << "no checkpoint after the kill: leadership was not taken over";
  EXPECT_NE(ReadFile(dir.path() / "second.log").find("this instance now signs checkpoints"),
            std::string::npos)
      << "the surviving instance never said it took the lead";
  // The password never reaches a log.
  for (const char* log : {"first.log", "second.log", "restarted.log"}) {
    EXPECT_EQ(ReadFile(dir.path() / log).find((*cluster)->ServicePassword()), std::string::npos)
        << log;
  }
}

TEST(MultiInstance, ARetryOnTheOtherInstanceReplaysTheFirstAnswer) {
  absl::StatusOr<std::unique_ptr<PostgresCluster>> cluster = PostgresCluster::Start();
  ASSERT_TRUE(cluster.ok()) << "PostgreSQL could not start: " << cluster.status();
  TempDir dir;
  const std::string key = (dir.path() / "log.signing-key").string();
  ASSERT_EQ(RunCommand(absl::StrCat(GARDEFOU_BINARY, " store migrate --store '",
                                    (*cluster)->OwnerUri(), "' --signing-key '", key, "'"))
                .exit_code,
            0);
  // An instance never creates the key of a shared log: a missing file stops it.
  const ServeProcess keyless = StartServe(
      GARDEFOU_BINARY,
      {"--store", (*cluster)->ServiceUri(), "--signing-key", (dir.path() / "none").string()},
      dir.path() / "keyless.log");
  EXPECT_EQ(keyless.port, 0);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "none"));
  // Nor does it serve as the schema's owner, who could disable the trail's triggers.
  const ServeProcess as_owner =
      StartServe(GARDEFOU_BINARY, {"--store", (*cluster)->OwnerUri(), "--signing-key", key},
                 dir.path() / "owner.log");
  EXPECT_EQ(as_owner.port, 0);
  std::ifstream owner_log(dir.path() / "owner.log");
  std::stringstream owner_text;
  owner_text << owner_log.rdbuf();
  EXPECT_NE(owner_text.str().find("could disable the trail's protection"), std::string::npos)
      << owner_text.str();
  const std::vector<std::string> serve_args = {"--store", (*cluster)->ServiceUri(),
                                               "--signing-key", key};
  const ServeProcess a = StartServe(GARDEFOU_BINARY, serve_args, dir.path() / "a.log");
  ASSERT_GT(a.port, 0);
  const ServeProcess b = StartServe(GARDEFOU_BINARY, serve_args, dir.path() / "b.log");
  ASSERT_GT(b.port, 0);
  {
    auto on_a = v1::GradingAssist::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", a.port), grpc::InsecureChannelCredentials()));
    auto on_b = v1::GradingAssist::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", b.port), grpc::InsecureChannelCredentials()));
    const Scenario s = BuildScenario(*on_a);
    v1::Decision first, replayed;
    ASSERT_TRUE(on_a->SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s), &first).ok());
    ASSERT_TRUE(
        on_b->SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s), &replayed).ok());
    EXPECT_EQ(replayed.SerializeAsString(), first.SerializeAsString());
    // The same request_id for another request is refused on either instance.
    v1::SignOffRequest other = ValidSignOff(s);
    other.set_final_comment("Autre chose.");
    v1::Decision refused;
    EXPECT_EQ(on_b->SignOff(TestServer::Context(Teacher()).get(), other, &refused).error_code(),
              grpc::StatusCode::ALREADY_EXISTS);
  }
  EXPECT_TRUE(StopServe(a));
  EXPECT_TRUE(StopServe(b));
}

}  // namespace
}  // namespace gardefou::testing
