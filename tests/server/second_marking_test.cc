// Second marking, through the real server: a sign-off whose scores stray from the AI's proposal
// or from the teacher's own provisional mark by more than the policy's [second_marking]
// thresholds (per criterion or on the total), or any sign-off on a high-stakes assignment, is
// PENDING_SECOND_MARK — not a grade — until another teacher of the assignment co-signs it as it
// is or amends it (SecondMark); the result is a new ACTIVE decision that supersedes the pending
// one. Every refusal writes nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/support/safeguard_calls.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

policy::Policy PolicyWith(const std::string& sections) {
  return SafeguardPolicy(
      "second", "[role inspector]\nmethods = GetDecision, ListDecisions, ListEvents\n" + sections);
}

// An assignment of the scenario's class shared by kTeacher and kOtherTeacher, with the
// scenario's rubric and one copy of kStudent; with its EVALUATION suggestion (unless
// blind-first) and kTeacher's open review. Call after BuildScenario (roster, families informed).
Scenario Shared(TestServer& server, bool high_stakes, bool blind_first = false) {
  Scenario s;
  v1::CreateAssignmentRequest create =
      EssayAssignment("assignment-2", kClass, {kTeacher, kOtherTeacher});
  create.set_high_stakes(high_stakes);
  create.set_blind_first(blind_first);
  s.assignment = AddAssignment(server, create);
  s.copy = SubmitEssay(server, s.assignment.assignment_id(), kStudent, "copy-2");
  if (!blind_first) {
    ExpectOk(Ask(server, Lms(), s.copy.copy_id(), v1::EVALUATION, "suggest-2", &s.evaluation),
             "RequestSuggestion");
  }
  s.review = Open(server, s.copy.copy_id(), "review-2");
  return s;
}

// c1 and c2 as proposed; c3 (max 6) at least 3 points away from the proposal.
v1::SignOffRequest FarSignOff(const Scenario& s, const std::string& request_id = "sign-far") {
  std::vector<double> points = Proposals(s.evaluation);
  points[2] = points[2] >= 3 ? 0 : 6;
  return SignOffWith(s, points, request_id);
}

// c1 as proposed, c2 and c3 one point away from the proposal.
v1::SignOffRequest NearSignOff(const Scenario& s, const std::string& request_id = "sign-near") {
  std::vector<double> points = Proposals(s.evaluation);
  for (int i : {1, 2}) points[i] += points[i] >= 1 ? -1 : 1;
  return SignOffWith(s, points, request_id);
}

grpc::Status Get(TestServer& server, const std::string& copy_id, v1::Decision* out) {
  v1::GetDecisionRequest get;
  get.set_copy_id(copy_id);
  return server.grading().GetDecision(TestServer::Context(Lms()).get(), get, out);
}

// kTeacher's FarSignOff of `s`, which must be signed and wait for a second mark.
void SignPending(TestServer& server, const Scenario& s, v1::Decision* pending) {
  ASSERT_TRUE(Sign(server, FarSignOff(s), pending).ok());
  ASSERT_EQ(pending->status(), v1::PENDING_SECOND_MARK);
}

void ExpectPending(const v1::Decision& d) {
  EXPECT_EQ(d.status(), v1::PENDING_SECOND_MARK);
  EXPECT_FALSE(d.second_mark_reason().empty());
  EXPECT_EQ(d.teacher_id(), kTeacher);
  EXPECT_TRUE(d.second_marker_id().empty());
}

// ---------------------------------------------------------------- when a second mark is asked

TEST(SecondMarking, AGapBeyondTheCriterionThresholdWaitsForASecondTeacher) {
  TestServer server({}, {0, 0}, PolicyWith("[second_marking]\ncriterion_gap_points = 2\n"));
  BuildScenario(server.grading(), false, false);
  const Scenario s = Shared(server, false);
  ASSERT_EQ(s.evaluation.criteria_size(), 3);
  v1::Decision pending;
  const grpc::Status st = Sign(server, FarSignOff(s), &pending);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ExpectPending(pending);
  v1::Decision got;
  const grpc::Status not_yet = Get(server, s.copy.copy_id(), &got);
  EXPECT_EQ(not_yet.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(not_yet), "PENDING_SECOND_MARK") << not_yet.error_message();
  // Wherever the gradebook lists it, it says it is not a grade yet.
  for (bool include_superseded : {false, true}) {
    v1::ListDecisionsRequest list;
    list.set_assignment_id(s.assignment.assignment_id());
    list.set_include_superseded(include_superseded);
    v1::ListDecisionsResponse listed;
    ASSERT_TRUE(
        server.grading().ListDecisions(TestServer::Context(Lms()).get(), list, &listed).ok());
    for (const v1::Decision& d : listed.decisions()) {
      EXPECT_EQ(d.status(), v1::PENDING_SECOND_MARK) << d.decision_id();
    }
  }
}

TEST(SecondMarking, ReSigningCloserToTheAiIsNoWayAroundASecondMark) {
  TestServer server({}, {0, 0}, PolicyWith("[second_marking]\ncriterion_gap_points = 2\n"));
  BuildScenario(server.grading(), false, false);
  Scenario s = Shared(server, false);
  v1::Decision pending;
  ASSERT_TRUE(Sign(server, FarSignOff(s), &pending).ok());
  ExpectPending(pending);
  // The signer reopens the copy and signs again, every proposal accepted as it is.
  v1::OpenReviewRequest reopen;
  reopen.set_request_id("review-again");
  reopen.set_copy_id(s.copy.copy_id());
  ASSERT_TRUE(
      server.grading().OpenReview(TestServer::Context(Teacher()).get(), reopen, &s.review).ok());
  v1::SignOffRequest again = SignOffWith(s, Proposals(s.evaluation), "sign-again");
  again.set_supersedes_decision_id(pending.decision_id());
  again.set_supersede_reason("Je me range à la proposition.");
  v1::Decision replaced;
  const grpc::Status st = Sign(server, again, &replaced);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ExpectPending(replaced);
  EXPECT_NE(replaced.second_mark_reason().find(pending.decision_id()), std::string::npos)
      << replaced.second_mark_reason();
  v1::Decision got;
  const grpc::Status not_yet = Get(server, s.copy.copy_id(), &got);
  EXPECT_EQ(not_yet.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(not_yet), "PENDING_SECOND_MARK") << not_yet.error_message();
  // The second teacher's co-signature still settles it.
  v1::Decision settled;
  ASSERT_TRUE(SecondMark(server, Teacher(kOtherTeacher), replaced.decision_id(), "second-1",
                         &settled).ok());
  EXPECT_EQ(settled.status(), v1::ACTIVE);
  ASSERT_TRUE(Get(server, s.copy.copy_id(), &got).ok());
  EXPECT_EQ(got.decision_id(), settled.decision_id());
}

TEST(SecondMarking, WithinTheThresholdsTheDecisionIsActiveAtOnce) {
  TestServer server({}, {0, 0}, PolicyWith("[second_marking]\ncriterion_gap_points = 2\n"
                                           "total_gap_points = 3\n"));
  BuildScenario(server.grading(), false, false);
  const Scenario s = Shared(server, false);
  v1::Decision decision;
  const grpc::Status st = Sign(server, NearSignOff(s), &decision);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(decision.status(), v1::ACTIVE);
  EXPECT_TRUE(decision.second_mark_reason().empty());
  v1::Decision got;
  ASSERT_TRUE(Get(server, s.copy.copy_id(), &got).ok());
  EXPECT_EQ(got.decision_id(), decision.decision_id());
}

TEST(SecondMarking, ATotalGapBeyondItsThresholdWaitsToo) {
  TestServer server({}, {0, 0}, PolicyWith("[second_marking]\ntotal_gap_points = 2\n"));
  BuildScenario(server.grading(), false, false);
  const Scenario s = Shared(server, false);
  // Every criterion one point away, the same way: 3 points on the total.
  std::vector<double> points = Proposals(s.evaluation);
  const bool down = std::all_of(points.begin(), points.end(), [](double p) { return p >= 1; });
  const double max[] = {6, 8, 6};
  bool up = true;
  for (int i = 0; i < 3; ++i) up = up && points[i] <= max[i] - 1;
  ASSERT_TRUE(down || up);
  for (double& p : points) p += down ? -1 : 1;
  v1::Decision pending;
  const grpc::Status st = Sign(server, SignOffWith(s, points, "sign-drift"), &pending);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ExpectPending(pending);
  v1::Decision got;
  const grpc::Status not_yet = Get(server, s.copy.copy_id(), &got);
  EXPECT_EQ(not_yet.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(not_yet), "PENDING_SECOND_MARK") << not_yet.error_message();
}

TEST(SecondMarking, AProvisionalMarkFarFromTheFinalScoreWaitsToo) {
  TestServer server({}, {0, 0}, PolicyWith("[second_marking]\ncriterion_gap_points = 2\n"));
  // The scenario's assignment (same rubric, same text) shows what the AI will propose.
  const Scenario probe = BuildScenario(server.grading(), true, false);
  Scenario s = Shared(server, false, /*blind_first=*/true);
  ASSERT_TRUE(s.assignment.blind_first());
  const std::vector<double> expected = Proposals(probe.evaluation);
  ASSERT_EQ(expected.size(), 3u);
  const double far_c1 = expected[0] >= 3 ? 0 : 6;
  const Marks marks = {{"c1", far_c1}, {"c2", expected[1]}, {"c3", expected[2]}};
  grpc::Status st =
      Provisional(server, Teacher(), s.review.review_id(), marks, "provisional-1");
  ASSERT_TRUE(st.ok()) << st.error_message();
  st = Ask(server, Teacher(), s.copy.copy_id(), v1::EVALUATION, "suggest-2", &s.evaluation);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(Proposals(s.evaluation), expected) << "the offline provider is deterministic";

  // Every criterion as the AI proposed: only the provisional mark of c1 is far.
  v1::Decision pending;
  st = Sign(server, SignOffWith(s, expected, "sign-accepted"), &pending);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ExpectPending(pending);
  ASSERT_EQ(pending.scores_size(), 3);
  EXPECT_EQ(pending.scores(0).provisional_points(), far_c1);
}

TEST(SecondMarking, AHighStakesAssignmentAlwaysWaits) {
  TestServer server;  // no threshold in the default policy
  BuildScenario(server.grading(), false, false);
  const Scenario s = Shared(server, /*high_stakes=*/true);
  EXPECT_TRUE(s.assignment.high_stakes());
  v1::Decision pending;
  const grpc::Status st = Sign(server, SignOffWith(s, Proposals(s.evaluation), "sign-accepted"), &pending);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ExpectPending(pending);
  v1::Decision cosigned;
  const grpc::Status marked =
      SecondMark(server, Teacher(kOtherTeacher), pending.decision_id(), "second-1", &cosigned);
  ASSERT_TRUE(marked.ok()) << marked.error_message();
  EXPECT_EQ(cosigned.status(), v1::ACTIVE);
}

TEST(SecondMarking, WithoutThresholdsOrHighStakesEveryDecisionIsActive) {
  TestServer server;
  BuildScenario(server.grading(), false, false);
  const Scenario s = Shared(server, false);
  EXPECT_FALSE(s.assignment.high_stakes());
  v1::Decision decision;
  const grpc::Status st = Sign(server, FarSignOff(s), &decision);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(decision.status(), v1::ACTIVE);
  EXPECT_TRUE(decision.second_mark_reason().empty());
}

// ---------------------------------------------------------------- the second mark

TEST(SecondMarking, ASecondTeacherCoSignsTheDecisionAsItIs) {
  TestServer server({}, {0, 0}, PolicyWith("[second_marking]\ncriterion_gap_points = 2\n"));
  BuildScenario(server.grading(), false, false);
  const Scenario s = Shared(server, false);
  v1::Decision pending;
  ASSERT_NO_FATAL_FAILURE(SignPending(server, s, &pending));

  v1::Decision cosigned;
  const grpc::Status st =
      SecondMark(server, Teacher(kOtherTeacher), pending.decision_id(), "second-1", &cosigned);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(cosigned.status(), v1::ACTIVE);
  EXPECT_NE(cosigned.decision_id(), pending.decision_id());
  EXPECT_EQ(cosigned.copy_id(), s.copy.copy_id());
  EXPECT_EQ(cosigned.teacher_id(), kTeacher);
  EXPECT_EQ(cosigned.second_marker_id(), kOtherTeacher);
  ASSERT_EQ(cosigned.scores_size(), pending.scores_size());
  for (int i = 0; i < pending.scores_size(); ++i) {
    EXPECT_EQ(cosigned.scores(i).criterion_id(), pending.scores(i).criterion_id());
    EXPECT_EQ(cosigned.scores(i).points(), pending.scores(i).points());
    EXPECT_EQ(cosigned.scores(i).origin(), pending.scores(i).origin());
    EXPECT_EQ(cosigned.scores(i).has_ai_points(), pending.scores(i).has_ai_points());
    EXPECT_EQ(cosigned.scores(i).ai_points(), pending.scores(i).ai_points());
  }
  EXPECT_EQ(cosigned.notice_version(), pending.notice_version());
  EXPECT_DOUBLE_EQ(cosigned.total_points(), pending.total_points());

  v1::Decision got;
  const grpc::Status get = Get(server, s.copy.copy_id(), &got);
  ASSERT_TRUE(get.ok()) << get.error_message();
  EXPECT_EQ(got.decision_id(), cosigned.decision_id());
  EXPECT_EQ(got.second_marker_id(), kOtherTeacher);

  v1::ListDecisionsRequest list;
  list.set_assignment_id(s.assignment.assignment_id());
  v1::ListDecisionsResponse listed;
  ASSERT_TRUE(server.grading().ListDecisions(TestServer::Context(Lms()).get(), list, &listed).ok());
  ASSERT_EQ(listed.decisions_size(), 1);
  EXPECT_EQ(listed.decisions(0).decision_id(), cosigned.decision_id());
  list.set_include_superseded(true);
  ASSERT_TRUE(server.grading().ListDecisions(TestServer::Context(Lms()).get(), list, &listed).ok());
  ASSERT_EQ(listed.decisions_size(), 2);
  EXPECT_EQ(listed.decisions(0).decision_id(), pending.decision_id());
  EXPECT_EQ(listed.decisions(0).status(), v1::SUPERSEDED);
  EXPECT_EQ(listed.decisions(1).decision_id(), cosigned.decision_id());
  EXPECT_EQ(listed.decisions(1).status(), v1::ACTIVE);

  const std::vector<std::string> actions = Actions(server.db_path());
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "DECISION_SECOND_MARKED"), 1);
  EXPECT_EQ(actions.back(), "DECISION_SECOND_MARKED");

  // A replay answers the same and writes nothing.
  const TableCounts before = server.Counts();
  v1::Decision replayed;
  ASSERT_TRUE(
      SecondMark(server, Teacher(kOtherTeacher), pending.decision_id(), "second-1", &replayed)
          .ok());
  EXPECT_EQ(replayed.SerializeAsString(), cosigned.SerializeAsString());
  EXPECT_EQ(server.Counts(), before);
}

TEST(SecondMarking, ASecondTeacherMayAmendTheScores) {
  TestServer server({}, {0, 0}, PolicyWith("[second_marking]\ncriterion_gap_points = 2\n"));
  BuildScenario(server.grading(), false, false);
  const Scenario s = Shared(server, false);
  v1::Decision pending;
  ASSERT_NO_FATAL_FAILURE(SignPending(server, s, &pending));

  v1::Decision amended;
  const grpc::Status st = SecondMark(server, Teacher(kOtherTeacher), pending.decision_id(),
                                     "second-1", &amended, TeacherOnly({4, 5, 3.5}));
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(amended.status(), v1::ACTIVE);
  EXPECT_EQ(amended.teacher_id(), kTeacher);
  EXPECT_EQ(amended.second_marker_id(), kOtherTeacher);
  ASSERT_EQ(amended.scores_size(), 3);
  const double expected[] = {4, 5, 3.5};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(amended.scores(i).points(), expected[i]) << i;
    EXPECT_EQ(amended.scores(i).origin(), v1::TEACHER_ONLY) << i;
  }
  EXPECT_DOUBLE_EQ(amended.total_points(), 12.5);
  v1::Decision got;
  ASSERT_TRUE(Get(server, s.copy.copy_id(), &got).ok());
  EXPECT_EQ(got.decision_id(), amended.decision_id());
  EXPECT_DOUBLE_EQ(got.total_points(), 12.5);
}

TEST(SecondMarking, OnlyAnotherTeacherOfTheAssignmentAttestingTheReadingMaySecondMark) {
  TestServer server({}, {0, 0}, PolicyWith("[second_marking]\ncriterion_gap_points = 2\n"));
  BuildScenario(server.grading(), false, false);
  BuildScenario(server.grading(), false, false, kOtherTenant);
  const Scenario s = Shared(server, false);
  v1::Decision pending;
  ASSERT_NO_FATAL_FAILURE(SignPending(server, s, &pending));
  const std::string id = pending.decision_id();

  ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, "SECOND_MARKER_IS_SIGNER", [&] {
    return SecondMark(server, Teacher(), id, "second-by-signer");
  }, "the signer");
  ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, "NOT_ENTITLED", [&] {
    return SecondMark(server, Teacher("t-9"), id, "second-by-stranger");
  }, "a teacher not on the assignment");
  for (const Caller& caller : {Lms(), Inspector(), Caller{kTenant, kOtherTeacher, "admin"}}) {
    ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED", [&] {
      return SecondMark(server, caller, id, "second-by-" + caller.role);
    }, "role " + caller.role);
  }
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
    return SecondMark(server, Teacher(kOtherTeacher), id, "second-unread", nullptr, {}, false);
  }, "attest_copy_read false");
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    return SecondMark(server, Teacher(kOtherTeacher), "dc-doesnotexist", "second-unknown");
  }, "unknown decision");
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    return SecondMark(server, Teacher(kOtherTeacher, kOtherTenant), id, "second-foreign");
  }, "another tenant's decision");
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
    return SecondMark(server, Teacher(kOtherTeacher), id, "second-two-scores", nullptr,
                      TeacherOnly({4, 5}));
  }, "amended scores missing a criterion");
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
    return SecondMark(server, Teacher(kOtherTeacher), id, "second-too-high", nullptr,
                      TeacherOnly({4, 9, 3}));
  }, "amended score above the maximum");
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
    std::vector<v1::CriterionScore> scores = TeacherOnly({4, 5, 3});
    scores[0].set_points(s.evaluation.criteria(0).proposed_points());
    scores[0].set_origin(v1::MODIFIED);
    return SecondMark(server, Teacher(kOtherTeacher), id, "second-modified-equal", nullptr,
                      scores);
  }, "amended MODIFIED score equal to the AI's proposal");
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
    std::vector<v1::CriterionScore> scores = TeacherOnly({4, 5, 3});
    scores[0].set_ai_points(4);
    return SecondMark(server, Teacher(kOtherTeacher), id, "second-ai-points", nullptr, scores);
  }, "ai_points in a request");
  v1::Decision got;
  const grpc::Status not_yet = Get(server, s.copy.copy_id(), &got);
  EXPECT_EQ(not_yet.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(not_yet), "PENDING_SECOND_MARK") << not_yet.error_message();

  // Once second-marked, neither the pending decision nor the new one can be again.
  v1::Decision active;
  ASSERT_TRUE(SecondMark(server, Teacher(kOtherTeacher), id, "second-1", &active).ok());
  ExpectRefused(server, grpc::StatusCode::FAILED_PRECONDITION, "NOT_PENDING_SECOND_MARK", [&] {
    return SecondMark(server, Teacher(kOtherTeacher), id, "second-again");
  }, "the superseded pending decision");
  ExpectRefused(server, grpc::StatusCode::FAILED_PRECONDITION, "NOT_PENDING_SECOND_MARK", [&] {
    return SecondMark(server, Teacher(kOtherTeacher), active.decision_id(), "second-of-active");
  }, "an ACTIVE decision");
}

TEST(SecondMarking, ATeacherOfTheClassWhoIsNotOnTheAssignmentMayNotSecondMark) {
  TestServer server({}, {0, 0}, PolicyWith("[second_marking]\ncriterion_gap_points = 2\n"));
  Scenario s = BuildScenario(server.grading(), true, true);  // kTeacher only on its assignment
  v1::Decision pending;
  const grpc::Status st = Sign(server, FarSignOff(s), &pending);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ExpectPending(pending);
  ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, "NOT_ENTITLED", [&] {
    return SecondMark(server, Teacher(kOtherTeacher), pending.decision_id(), "second-1");
  }, "kOtherTeacher is on the roster, not on the assignment");
}

}  // namespace
}  // namespace gardefou::testing
