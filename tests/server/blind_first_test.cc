// Against anchoring on the AI's marks, through the real server. Blind-first review (policy
// [review] blind_first, per tenant, or per assignment): no suggestion for a copy until its
// reviewing teacher has recorded provisional scores (FAILED_PRECONDITION "BLIND_FIRST", only an
// AI_CALL_REFUSED event); the decision then keeps, per criterion, the provisional mark and the
// AI's proposal beside the final score. The automation-bias notice (policy [notice]): every
// suggestion carries the one in force when it was made, and a sign-off that uses a suggestion
// must repeat its version. Every refusal writes nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/safeguard_calls.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

policy::Policy PolicyWith(const std::string& sections) {
  return SafeguardPolicy(
      "blind", "[role inspector]\nmethods = GetDecision, ListDecisions, ListEvents, "
               "ListObjections\n" + sections);
}

const Marks kMarks = {{"c1", 4}, {"c2", 5}, {"c3", 2}};

// A second assignment in the scenario's class, with the scenario's rubric, and one copy of
// kStudent (same text): returned as a Scenario (no suggestion, no review).
Scenario AnotherAssignment(TestServer& server, bool blind_first, const std::string& suffix) {
  Scenario s;
  v1::CreateAssignmentRequest create = EssayAssignment("assignment-" + suffix, kClass, {kTeacher});
  create.set_blind_first(blind_first);
  s.assignment = AddAssignment(server, create);
  s.copy = SubmitEssay(server, s.assignment.assignment_id(), kStudent, "copy-" + suffix);
  return s;
}

// kTeacher's sign-off of the copy without suggestion: kMarks, TEACHER_ONLY.
v1::SignOffRequest SignKMarksAlone(const Scenario& s, const std::string& request_id) {
  return TeacherOnlySignOff(s.copy.copy_id(), s.review.review_id(), PointsOf(kMarks), request_id);
}

// A sign-off by kTeacher refused as INVALID_ARGUMENT with `reason`, writing nothing.
void ExpectSignOffRefused(TestServer& server, const v1::SignOffRequest& sign,
                          const std::string& reason, const std::string& what) {
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, reason,
                [&] { return Sign(server, sign); }, what);
}

// Signs `sign` as sign-1 repeating notice `version`: it must pass, the decision keeping the
// policy's 2026-09 notice.
void ExpectSignedWithNotice(TestServer& server, v1::SignOffRequest sign,
                            const std::string& version) {
  sign.set_request_id("sign-1");
  sign.set_notice_version(version);
  v1::Decision decision;
  const grpc::Status st = Sign(server, sign, &decision);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(decision.notice_version(), "2026-09");
}

// ---------------------------------------------------------------- blind-first review

TEST(BlindFirst, NoSuggestionBeforeTheTeachersProvisionalScores) {
  TestServer server({}, {0, 0}, PolicyWith("[review]\nblind_first = yes\n"));
  const Scenario s = BuildScenario(server.grading(), /*with_suggestions=*/false,
                                   /*with_review=*/true);
  for (v1::Purpose purpose : {v1::CORRECTION, v1::EVALUATION, v1::EXTRA_WORK}) {
    for (const Caller& caller : {Lms(), Teacher()}) {
      ExpectAiCallRefused(server, "BLIND_FIRST", [&] {
        return Ask(server, caller, s.copy.copy_id(), purpose,
                   "ask-" + caller.role + "-" + v1::Purpose_Name(purpose));
      }, caller.role + " " + v1::Purpose_Name(purpose));
    }
  }
}

TEST(BlindFirst, AfterProvisionalScoresTheSuggestionComesAndTheDecisionKeepsAllThreeMarks) {
  TestServer server({}, {0, 0}, PolicyWith("[review]\nblind_first = yes\n"));
  Scenario s = BuildScenario(server.grading(), false, true);
  v1::ProvisionalScores recorded;
  const grpc::Status st =
      Provisional(server, Teacher(), s.review.review_id(), kMarks, "provisional-1", &recorded);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(recorded.review_id(), s.review.review_id());
  EXPECT_EQ(recorded.copy_id(), s.copy.copy_id());
  EXPECT_EQ(recorded.teacher_id(), kTeacher);
  EXPECT_GT(recorded.recorded_at().seconds(), 0);
  ASSERT_EQ(recorded.scores_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(recorded.scores(i).criterion_id(), kMarks[i].first);
    EXPECT_EQ(recorded.scores(i).points(), kMarks[i].second);
  }

  const grpc::Status asked =
      Ask(server, Teacher(), s.copy.copy_id(), v1::EVALUATION, "ask-1", &s.evaluation);
  ASSERT_TRUE(asked.ok()) << asked.error_message();
  ASSERT_EQ(s.evaluation.state(), v1::READY);
  ASSERT_EQ(s.evaluation.criteria_size(), 3);

  // c1 accepted, c2 and c3 modified: each criterion has an AI proposal and a provisional mark.
  v1::SignOffRequest sign = ValidSignOff(s);
  sign.set_notice_version(s.evaluation.notice_version());
  const double p3 = s.evaluation.criteria(2).proposed_points();
  sign.mutable_scores(2)->set_points(p3 >= 1 ? p3 - 1 : p3 + 1);
  sign.mutable_scores(2)->set_origin(v1::MODIFIED);
  v1::Decision decision;
  const grpc::Status signed_off = Sign(server, sign, &decision);
  ASSERT_TRUE(signed_off.ok()) << signed_off.error_message();
  EXPECT_EQ(decision.status(), v1::ACTIVE);

  v1::GetDecisionRequest get;
  get.set_copy_id(s.copy.copy_id());
  v1::Decision got;
  ASSERT_TRUE(server.grading().GetDecision(TestServer::Context(Lms()).get(), get, &got).ok());
  for (const v1::Decision* d : {&decision, &got}) {
    ASSERT_EQ(d->scores_size(), 3);
    for (int i = 0; i < 3; ++i) {
      const v1::CriterionScore& score = d->scores(i);
      EXPECT_EQ(score.criterion_id(), kMarks[i].first);
      EXPECT_EQ(score.points(), sign.scores(i).points()) << i;
      EXPECT_EQ(score.origin(), sign.scores(i).origin()) << i;
      ASSERT_TRUE(score.has_provisional_points()) << i;
      EXPECT_EQ(score.provisional_points(), kMarks[i].second) << i;
      ASSERT_TRUE(score.has_ai_points()) << i;
      EXPECT_EQ(score.ai_points(), s.evaluation.criteria(i).proposed_points()) << i;
    }
  }
}

TEST(BlindFirst, ProvisionalScoresCoverTheRubricOnceAndBelongToTheReviewingTeacher) {
  TestServer server({}, {0, 0}, PolicyWith("[review]\nblind_first = yes\n"));
  const Scenario s = BuildScenario(server.grading(), false, true);
  const std::string review = s.review.review_id();
  const std::pair<const char*, Marks> bad[] = {
      {"a criterion missing", {{"c1", 4}, {"c2", 5}}},
      {"an unknown criterion", {{"c1", 4}, {"c2", 5}, {"c3", 2}, {"c9", 1}}},
      {"an unknown criterion instead of one", {{"c1", 4}, {"c2", 5}, {"c9", 2}}},
      {"a criterion twice", {{"c1", 4}, {"c2", 5}, {"c2", 5}}},
      {"above the maximum", {{"c1", 4}, {"c2", 8.5}, {"c3", 2}}},
      {"negative", {{"c1", -1}, {"c2", 5}, {"c3", 2}}},
      {"no score", {}},
  };
  int n = 0;
  for (const auto& [what, marks] : bad) {
    ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
      return Provisional(server, Teacher(), review, marks, "provisional-bad-" + std::to_string(++n));
    }, what);
  }
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    return Provisional(server, Teacher(), "rv-doesnotexist", kMarks, "provisional-unknown");
  }, "unknown review");
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    return Provisional(server, Teacher(kTeacher, kOtherTenant), review, kMarks,
                       "provisional-foreign");
  }, "review of another tenant");
  for (const Caller& caller : {Lms(), Inspector()}) {
    ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED", [&] {
      return Provisional(server, caller, review, kMarks, "provisional-by-" + caller.role);
    }, "role " + caller.role);
  }
  {  // Another teacher of the class, on the teacher's review.
    const Snapshot before = Take(server);
    const grpc::Status st =
        Provisional(server, Teacher(kOtherTeacher), review, kMarks, "provisional-other");
    EXPECT_TRUE(st.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
                st.error_code() == grpc::StatusCode::NOT_FOUND)
        << st.error_code() << " " << st.error_message();
    EXPECT_EQ(ReasonOf(st), st.error_code() == grpc::StatusCode::NOT_FOUND ? "NOT_FOUND"
                                                                            : "NOT_ENTITLED")
        << st.error_message();
    EXPECT_EQ(server.Counts(), before.counts);
    EXPECT_TRUE(AllRows(server.db_path()) == before.rows);
  }
  // Still nothing recorded: still no suggestion.
  ExpectAiCallRefused(server, "BLIND_FIRST", [&] {
    return Ask(server, Lms(), s.copy.copy_id(), v1::EVALUATION, "ask-still-blind");
  }, "after the refused provisional scores");

  // The bounds themselves are accepted, once.
  const Marks bounds = {{"c1", 0}, {"c2", 8}, {"c3", 6}};
  v1::ProvisionalScores first, again;
  ASSERT_TRUE(Provisional(server, Teacher(), review, bounds, "provisional-1", &first).ok());
  const Snapshot before = Take(server);
  ASSERT_TRUE(Provisional(server, Teacher(), review, bounds, "provisional-1", &again).ok());
  EXPECT_EQ(first.SerializeAsString(), again.SerializeAsString()) << "a replay";
  EXPECT_EQ(server.Counts(), before.counts);
  EXPECT_TRUE(AllRows(server.db_path()) == before.rows);
  ExpectRefused(server, grpc::StatusCode::ALREADY_EXISTS, "PROVISIONAL_SCORES_RECORDED", [&] {
    return Provisional(server, Teacher(), review, kMarks, "provisional-2");
  }, "a second set on the same review");
  ExpectRefused(server, grpc::StatusCode::ALREADY_EXISTS, "REQUEST_ID_REUSED", [&] {
    return Provisional(server, Teacher(), review, kMarks, "provisional-1");
  }, "the same request_id with other marks");
}

TEST(BlindFirst, NoProvisionalScoresOnAClosedReview) {
  TestServer server({}, {0, 0}, PolicyWith("[review]\nblind_first = yes\n"));
  const Scenario s = BuildScenario(server.grading(), false, true);
  v1::Decision decision;
  const grpc::Status st = Sign(server, SignKMarksAlone(s, "sign-1"), &decision);
  ASSERT_TRUE(st.ok()) << "a teacher grades without AI: " << st.error_message();
  ExpectRefused(server, grpc::StatusCode::FAILED_PRECONDITION, "REVIEW_NOT_OPEN", [&] {
    return Provisional(server, Teacher(), s.review.review_id(), kMarks, "provisional-late");
  }, "the review was closed by the sign-off");
}

TEST(BlindFirst, ATenantSectionAsksItForThatSchoolOnly) {
  TestServer server({}, {0, 0}, PolicyWith(std::string("[tenant ") + kTenant +
                                           "]\nblind_first = yes\n"));
  // The other school gets its suggestions as before (BuildScenario fails the test otherwise).
  const Scenario other = BuildScenario(server.grading(), true, true, kOtherTenant);
  EXPECT_EQ(other.evaluation.state(), v1::READY);
  const Scenario s = BuildScenario(server.grading(), false, true);
  ExpectAiCallRefused(server, "BLIND_FIRST", [&] {
    return Ask(server, Lms(), s.copy.copy_id(), v1::EVALUATION, "ask-1");
  }, "the tenant asked for blind-first");
  ASSERT_TRUE(Provisional(server, Teacher(), s.review.review_id(), kMarks, "provisional-1").ok());
  v1::Suggestion suggestion;
  const grpc::Status st = Ask(server, Lms(), s.copy.copy_id(), v1::EVALUATION, "ask-2",
                              &suggestion);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(suggestion.state(), v1::READY);
}

TEST(BlindFirst, AnAssignmentMayAskItUnderAPolicyThatDoesNot) {
  TestServer server;
  BuildScenario(server.grading(), false, false);
  const Scenario blind = AnotherAssignment(server, /*blind_first=*/true, "blind");
  EXPECT_TRUE(blind.assignment.blind_first());
  const Scenario open = AnotherAssignment(server, /*blind_first=*/false, "open");
  EXPECT_FALSE(open.assignment.blind_first());

  ExpectAiCallRefused(server, "BLIND_FIRST", [&] {
    return Ask(server, Lms(), blind.copy.copy_id(), v1::EVALUATION, "ask-blind-1");
  }, "the assignment asked for blind-first");
  v1::Suggestion suggestion;
  grpc::Status st =
      Ask(server, Lms(), open.copy.copy_id(), v1::EVALUATION, "ask-open", &suggestion);
  ASSERT_TRUE(st.ok()) << "the other assignment is not blind: " << st.error_message();

  const v1::Review review = Open(server, blind.copy.copy_id(), "review-blind");
  ASSERT_TRUE(Provisional(server, Teacher(), review.review_id(), kMarks, "provisional-1").ok());
  st = Ask(server, Lms(), blind.copy.copy_id(), v1::EVALUATION, "ask-blind-2", &suggestion);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(suggestion.state(), v1::READY);
}

TEST(BlindFirst, WithoutItSuggestionsNeedNoProvisionalScores) {
  TestServer server;
  Scenario s = BuildScenario(server.grading(), true, true);
  EXPECT_EQ(s.evaluation.state(), v1::READY);
  EXPECT_FALSE(s.assignment.blind_first());
  const std::vector<std::string> actions = Actions(server.db_path());
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "AI_CALL_REFUSED"), 0);
  v1::SignOffRequest sign = ValidSignOff(s);
  sign.set_notice_version(s.evaluation.notice_version());
  v1::Decision decision;
  const grpc::Status st = Sign(server, sign, &decision);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(decision.scores_size(), 3);
  for (const v1::CriterionScore& score : decision.scores()) {
    EXPECT_FALSE(score.has_provisional_points()) << score.criterion_id();
  }
  EXPECT_TRUE(decision.scores(0).has_ai_points());
  EXPECT_EQ(decision.scores(0).ai_points(), s.evaluation.criteria(0).proposed_points());
}

TEST(BlindFirst, ProvisionalPointsAndAiPointsAreRefusedInASignOffRequest) {
  TestServer server;
  const Scenario s = BuildScenario(server.grading(), true, true);
  for (int field = 0; field < 2; ++field) {
    v1::SignOffRequest sign = ValidSignOff(s, "sign-with-field-" + std::to_string(field));
    sign.set_notice_version(s.evaluation.notice_version());
    if (field == 0) sign.mutable_scores(0)->set_provisional_points(1);
    if (field == 1) sign.mutable_scores(0)->set_ai_points(1);
    ExpectSignOffRefused(server, sign, "INVALID_ARGUMENT",
                         field == 0 ? "provisional_points in a request" : "ai_points in a request");
  }
}

// ---------------------------------------------------------------- automation-bias notice

constexpr char kNoticeText[] = "Proposition automatique : relisez la copie avant de noter.";

std::string NoticeSection(const std::string& version, const std::string& text) {
  return "[notice]\nversion = " + version + "\ntext = " + text + "\n";
}

TEST(Notice, EverySuggestionCarriesTheNoticeOfThePolicy) {
  TestServer server({}, {0, 0}, PolicyWith(NoticeSection("2026-09", kNoticeText)));
  const Scenario s = BuildScenario(server.grading(), true, false);
  v1::Suggestion correction;
  ASSERT_TRUE(Ask(server, Lms(), s.copy.copy_id(), v1::CORRECTION, "ask-c", &correction).ok());
  for (const v1::Suggestion* suggestion :
       std::initializer_list<const v1::Suggestion*>{&s.evaluation, &s.extra_work, &correction}) {
    EXPECT_EQ(suggestion->notice_version(), "2026-09") << suggestion->purpose();
    EXPECT_EQ(suggestion->notice_text(), kNoticeText) << suggestion->purpose();
  }
}

TEST(Notice, ASignOffUsingASuggestionMustRepeatItsNoticeVersion) {
  TestServer server({}, {0, 0}, PolicyWith(NoticeSection("2026-09", kNoticeText)));
  const Scenario s = BuildScenario(server.grading(), true, true);
  ASSERT_EQ(s.evaluation.notice_version(), "2026-09");
  v1::SignOffRequest sign = ValidSignOff(s, "sign-without-notice");
  sign.clear_notice_version();
  ExpectSignOffRefused(server, sign, "NOTICE_VERSION_MISMATCH", "no notice_version");
  sign.set_request_id("sign-other-notice");
  sign.set_notice_version("2025-01");
  ExpectSignOffRefused(server, sign, "NOTICE_VERSION_MISMATCH", "another notice_version");

  ExpectSignedWithNotice(server, sign, "2026-09");
}

TEST(Notice, ASignOffUsingOnlyAnExtraWorkProposalMustRepeatItsNoticeVersion) {
  TestServer server({}, {0, 0}, PolicyWith(NoticeSection("2026-09", kNoticeText)));
  const Scenario s = BuildScenario(server.grading(), true, true);
  ASSERT_GT(s.extra_work.extra_work_size(), 0);
  v1::SignOffRequest sign = SignKMarksAlone(s, "sign-without-notice");
  sign.set_extra_work_suggestion_id(s.extra_work.suggestion_id());
  v1::ExtraWorkItem* item = sign.add_extra_work();
  item->set_description(s.extra_work.extra_work(0).description());
  item->set_origin(v1::ACCEPTED_SUGGESTION);
  item->set_proposal_item_id(s.extra_work.extra_work(0).item_id());
  ExpectSignOffRefused(server, sign, "NOTICE_VERSION_MISMATCH",
                       "an accepted extra-work proposal without notice_version");
  ExpectSignedWithNotice(server, sign, s.extra_work.notice_version());
}

TEST(Notice, ASuggestionKeepsTheNoticeInForceWhenItWasMade) {
  TestServer server({}, {0, 0}, PolicyWith(NoticeSection("2026-09", kNoticeText)));
  const Scenario s = BuildScenario(server.grading(), true, true);
  const std::string newer_text = "Nouvelle mise en garde : la proposition peut se tromper.";
  ASSERT_TRUE(
      server.server().ChangePolicy(PolicyWith(NoticeSection("2027-01", newer_text))).ok());
  v1::Suggestion later;
  ASSERT_TRUE(Ask(server, Lms(), s.copy.copy_id(), v1::CORRECTION, "ask-later", &later).ok());
  EXPECT_EQ(later.notice_version(), "2027-01");
  EXPECT_EQ(later.notice_text(), newer_text);

  // The evaluation used was shown with the 2026-09 notice: that is the one to repeat.
  v1::SignOffRequest sign = ValidSignOff(s, "sign-new-notice");
  sign.set_notice_version("2027-01");
  ExpectSignOffRefused(server, sign, "NOTICE_VERSION_MISMATCH",
                       "the policy's newer notice instead of the suggestion's");
  ExpectSignedWithNotice(server, sign, "2026-09");
}

TEST(Notice, ASignOffWithoutSuggestionsNeedsNoNotice) {
  TestServer server({}, {0, 0}, PolicyWith(NoticeSection("2026-09", kNoticeText)));
  const Scenario s = BuildScenario(server.grading(), false, true);
  v1::Decision decision;
  const grpc::Status st = Sign(server, SignKMarksAlone(s, "sign-1"), &decision);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(decision.notice_version().empty());
}

}  // namespace
}  // namespace gardefou::testing
