// The stop switch, through the real server and a slow vendor on loopback: a policy whose
// [stop] section names a provider aborts the call in flight (the suggestion is recorded
// FAILED, saying it was stopped), refuses new calls to it (nothing written) while other
// providers go on, and a policy without it resumes; both changes are in the trail.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "plugins/openai_compatible.h"
#include "service/audit/policy_events.h"
#include "service/store/store.h"
#include "tests/support/http_test_server.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kPolicy[] =
    "name = with-stop\nversion = 1\nmax_copy_bytes = 100000\n"
    "default_provider = offline-rubric\npurposes = CORRECTION, EVALUATION, EXTRA_WORK\n"
    "[role lms]\nmethods = UpsertRoster, CreateAssignment, SubmitCopy, RequestSuggestion, "
      "RecordFamiliesInformed\n"
    "[role teacher]\nmethods = RequestSuggestion, OpenReview, SignOff, GetDecision\n";

policy::Policy PolicyOf(const std::string& extra) {
  absl::StatusOr<policy::Policy> p = policy::Policy::Parse(kPolicy + extra, "stop.conf");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

// A vendor that takes 1.5 s to score every criterion.
HttpReply SlowScores(const std::string&) {
  nlohmann::json criteria = nlohmann::json::array();
  for (const char* id : {"c1", "c2", "c3"}) {
    criteria.push_back({{"criterion_id", id}, {"proposed_points", 3}, {"rationale", "ok"}});
  }
  const nlohmann::json content = {{"summary", "Copie correcte."}, {"criteria", criteria}};
  HttpReply reply(200, nlohmann::json{{"model", "test-model"},
                                      {"choices",
                                       {{{"message",
                                          {{"role", "assistant"}, {"content", content.dump()}}}}}}}
                           .dump());
  reply.delay_ms = 1500;
  return reply;
}

class StopSwitch : public ::testing::Test {
 protected:
  StopSwitch()
      : vendor_(SlowScores),
        server_(
            [this](plugins::ProviderRegistry& r) {
              return r.Register(std::make_unique<plugins::OpenAiCompatibleProvider>(
                  VendorSettings("slow", vendor_.base_url())));
            },
            {0, 0}, PolicyOf("")) {
    scenario_ = BuildScenario(server_.grading(), false, false);
  }

  grpc::Status Ask(const std::string& id, const std::string& provider, v1::Suggestion* out) {
    v1::RequestSuggestionRequest ask;
    ask.set_request_id(id);
    ask.set_copy_id(scenario_.copy.copy_id());
    ask.set_purpose(v1::EVALUATION);
    ask.set_provider(provider);
    return server_.grading().RequestSuggestion(TestServer::Context(Lms()).get(), ask, out);
  }

  HttpTestServer vendor_;
  TestServer server_;
  Scenario scenario_;
};

TEST_F(StopSwitch, AStopAbortsTheCallInFlightRefusesNewOnesAndAResumeEndsIt) {
  // A call in flight when the stop comes: aborted at once, recorded FAILED as stopped.
  v1::Suggestion in_flight;
  grpc::Status in_flight_status;
  const auto start = Clock::now();
  std::thread caller([&] { in_flight_status = Ask("ask-1", "slow", &in_flight); });
  for (int i = 0; i < 500 && vendor_.requests() < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(vendor_.requests(), 1);
  ASSERT_TRUE(server_.server().ChangePolicy(PolicyOf("[stop]\nproviders = slow\n")).ok());
  caller.join();
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(1400)) << "the call was not aborted";
  ASSERT_TRUE(in_flight_status.ok()) << in_flight_status.error_message();
  EXPECT_EQ(in_flight.state(), v1::FAILED);
  EXPECT_NE(in_flight.failure_reason().find("stopped while the provider worked"),
            std::string::npos)
      << in_flight.failure_reason();

  // While stopped: refused, nothing written, nothing sent; another provider goes on.
  const TableCounts before = server_.Counts();
  v1::Suggestion refused;
  const grpc::Status st = Ask("ask-2", "slow", &refused);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(st), "AI_STOPPED") << st.error_message();
  EXPECT_NE(st.error_message().find("provider 'slow' stopped by policy with-stop"),
            std::string::npos)
      << st.error_message();
  EXPECT_EQ(server_.Counts(), before);
  EXPECT_EQ(vendor_.requests(), 1);
  // A retry of the stopped call gets its first answer, not a refusal.
  v1::Suggestion replayed;
  ASSERT_TRUE(Ask("ask-1", "slow", &replayed).ok());
  EXPECT_EQ(replayed.suggestion_id(), in_flight.suggestion_id());
  v1::Suggestion offline;
  EXPECT_TRUE(Ask("ask-3", "offline-rubric", &offline).ok());

  // Resumed explicitly: the provider answers again.
  ASSERT_TRUE(server_.server().ChangePolicy(PolicyOf("")).ok());
  v1::Suggestion resumed;
  ASSERT_TRUE(Ask("ask-4", "slow", &resumed).ok());
  EXPECT_EQ(resumed.state(), v1::READY);

  // The trail says when it stopped and when it resumed.
  auto store = store::OpenStoreForReading(server_.db_path().string());
  ASSERT_TRUE(store.ok()) << store.status();
  std::vector<audit::PolicyChanged> changes;
  ASSERT_TRUE((*store)->Read([&](store::Session& s) {
    return s.ForEachAuditEvent(
        [&](const model::AuditEventRecord& e) {
          if (e.action != audit::PolicyChanged::kAction) return;
          absl::StatusOr<audit::PolicyChanged> change = audit::PolicyChanged::Parse(e);
          EXPECT_TRUE(change.ok()) << change.status();
          if (change.ok()) changes.push_back(*change);
        },
        0);
  }).ok());
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].new_stopped, std::vector<std::string>{"provider slow"});
  EXPECT_EQ(changes[1].old_stopped, std::vector<std::string>{"provider slow"});
  EXPECT_TRUE(changes[1].new_stopped.empty());
}

TEST(StopSwitchPolicy, AllOrATenantStopsEveryProviderForThem) {
  const policy::Policy all = PolicyOf("[stop]\nall = yes\n");
  EXPECT_EQ(all.StopOf("T", "offline-rubric").value_or(""), "all AI calls");
  const policy::Policy tenant = PolicyOf("[stop]\ntenants = 0999001A\n");
  EXPECT_TRUE(tenant.StopOf("0999001A", "offline-rubric").has_value());
  EXPECT_FALSE(tenant.StopOf("0999002B", "offline-rubric").has_value());
  EXPECT_FALSE(policy::Policy::Default().StopOf("T", "offline-rubric").has_value());
  EXPECT_FALSE(policy::Policy::Parse(std::string(kPolicy) + "[stop]\nall = maybe\n", "s.conf").ok());
}

}  // namespace
}  // namespace gardefou::testing
