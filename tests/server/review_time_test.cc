// Against rubber-stamping, through the real server: a policy's minimum review time,
// proportional to the copy's length, refuses a sign-off that comes too soon (nothing written)
// and accepts it once the time has passed; accepting every proposal unchanged too fast needs a
// rationale, kept with the decision and only hashed in the trail.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "service/audit/decision_events.h"
#include "service/common/hashing.h"
#include "service/store/store.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

policy::Policy WithReview(const std::string& review) {
  absl::StatusOr<policy::Policy> p = policy::Policy::Parse(
      "name = careful\nversion = 1\nmax_copy_bytes = 100000\n"
      "default_provider = offline-rubric\npurposes = CORRECTION, EVALUATION, EXTRA_WORK\n"
      "[role lms]\nmethods = UpsertRoster, CreateAssignment, SubmitCopy, RequestSuggestion, "
      "RecordFamiliesInformed\n"
      "[role teacher]\nmethods = RequestSuggestion, OpenReview, SignOff, GetDecision\n"
      "[review]\n" + review,
      "careful.conf");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

TEST(ReviewTime, ASignOffSoonerThanTheCopysLengthAsksIsRefusedAndWritesNothing) {
  // The scenario's copy has 76 characters: 76 x 600 s / 1000 = 45.6 s at least.
  TestServer server({}, {0, 0}, WithReview("min_seconds_per_1000_chars = 600\n"));
  const Scenario s = BuildScenario(server.grading());
  const TableCounts before = server.Counts();
  v1::Decision decision;
  const grpc::Status st =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s), &decision);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(st), "REVIEW_TOO_SHORT") << st.error_message();
  EXPECT_NE(st.error_message().find("at least 46 s for a copy of 76 characters"),
            std::string::npos)
      << st.error_message();
  EXPECT_EQ(server.Counts(), before);
}

TEST(ReviewTime, ASignOffAfterTheMinimumGoesThrough) {
  TestServer server({}, {0, 0}, WithReview("min_seconds = 1\n"));
  const Scenario s = BuildScenario(server.grading());
  v1::Decision decision;
  const grpc::Status early =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s), &decision);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(early), "REVIEW_TOO_SHORT") << early.error_message();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const grpc::Status st = server.grading().SignOff(TestServer::Context(Teacher()).get(),
                                                   ValidSignOff(s, "sign-again"), &decision);
  EXPECT_TRUE(st.ok()) << st.error_message();
}

TEST(ReviewTime, AcceptingEveryProposalTooFastNeedsARationale) {
  TestServer server({}, {0, 0}, WithReview("fast_accept_seconds = 600\n"));
  const Scenario s = BuildScenario(server.grading());
  v1::SignOffRequest all_accepted = ValidSignOff(s);
  for (int i = 0; i < all_accepted.scores_size(); ++i) {
    all_accepted.mutable_scores(i)->set_origin(v1::ACCEPTED_SUGGESTION);
    all_accepted.mutable_scores(i)->set_points(s.evaluation.criteria(i).proposed_points());
  }
  const TableCounts before = server.Counts();
  v1::Decision decision;
  const grpc::Status refused =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), all_accepted, &decision);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(refused), "RATIONALE_REQUIRED") << refused.error_message();
  EXPECT_NE(refused.error_message().find("asks for a rationale"), std::string::npos)
      << refused.error_message();
  EXPECT_EQ(server.Counts(), before);

  // One criterion changed: no rationale needed. All accepted with one: signed, kept.
  const std::string rationale = "Copie relue : les trois propositions sont justes.";
  all_accepted.set_request_id("sign-with-rationale");
  all_accepted.set_rationale(rationale);
  const grpc::Status ok =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), all_accepted, &decision);
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(decision.rationale(), rationale);
  auto store = store::OpenStoreForReading(server.db_path().string());
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->Read([&](store::Session& session) {
    return session.ForEachAuditEvent(
        [&](const model::AuditEventRecord& e) {
          if (e.action != audit::DecisionSigned::kAction) return;
          EXPECT_EQ(e.details_json.find("relue"), std::string::npos) << "the text stays out";
          EXPECT_EQ(audit::DecisionSigned::Parse(e)->rationale_sha256,
                    common::Sha256Hex(rationale));
        },
        0);
  }).ok());
}

TEST(ReviewTime, ChangingACriterionNeedsNoRationale) {
  TestServer server({}, {0, 0}, WithReview("fast_accept_seconds = 600\n"));
  const Scenario s = BuildScenario(server.grading());
  v1::Decision decision;
  const grpc::Status st =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s), &decision);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(decision.rationale().empty());
}

}  // namespace
}  // namespace gardefou::testing
