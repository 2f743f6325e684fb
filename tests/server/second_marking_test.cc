// Second marking, through the real server: a sign-off whose scores stray from the AI's proposal
// or from the teacher's own provisional mark by more than the policy's [second_marking]
// thresholds (per criterion or on the total), or any sign-off on a high-stakes assignment, is
// PENDING_SECOND_MARK — not a grade — until another teacher of the assignment co-signs it as it
// is or amends it (SecondMark); the result is a new ACTIVE decision that supersedes the pending
// one. Every refusal writes nothing.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

constexpr char kText[] =
    "Les écrans sont utiles. Par exemple, les arguments et les exemples comptent.";

policy::Policy PolicyWith(const std::string& sections) {
  absl::StatusOr<policy::Policy> p = policy::Policy::Parse(
      "name = second\nversion = 1\nmax_copy_bytes = 100000\n"
      "default_provider = offline-rubric\npurposes = CORRECTION, EVALUATION, EXTRA_WORK\n"
      "[role lms]\nmethods = UpsertRoster, CreateAssignment, SubmitCopy, RequestSuggestion, "
      "GetDecision, ListDecisions, RecordFamiliesInformed\n"
      "[role teacher]\nmethods = RequestSuggestion, OpenReview, SignOff, GetDecision, "
      "ListDecisions, RecordProvisionalScores, SecondMark\n"
      "[role inspector]\nmethods = GetDecision, ListDecisions, ListEvents\n" +
          sections,
      "second.conf");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

// Every row of every table of the database (the new tables too), as text.
using Rows = std::map<std::string, std::multiset<std::string>>;

Rows AllRows(const std::filesystem::path& db_path) {
  Rows rows;
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  std::vector<std::string> tables;
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                     "'sqlite_%'",
                     -1, &stmt, nullptr);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  EXPECT_GT(tables.size(), 10u) << "cannot read the tables of " << db_path;
  for (const std::string& table : tables) {
    std::multiset<std::string>& out = rows[table];
    const std::string sql = "SELECT * FROM \"" + table + "\"";
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const void* bytes = sqlite3_column_blob(stmt, i);
        row.append(bytes ? static_cast<const char*>(bytes) : "<null>",
                   bytes ? sqlite3_column_bytes(stmt, i) : 6);
        row.push_back('\x1f');
      }
      out.insert(std::move(row));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return rows;
}

std::vector<std::string> Actions(const std::filesystem::path& db_path) {
  std::vector<std::string> actions;
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT action FROM audit_events ORDER BY seq", -1, &stmt, nullptr);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    actions.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return actions;
}

// Runs a refused call: `code`, a message, and nothing written at all.
void ExpectRefused(const TestServer& server, grpc::StatusCode code,
                   const std::function<grpc::Status()>& call, const std::string& what) {
  const TableCounts counts = server.Counts();
  const Rows rows = AllRows(server.db_path());
  const grpc::Status st = call();
  EXPECT_EQ(st.error_code(), code) << what << ": " << st.error_message();
  EXPECT_FALSE(st.error_message().empty()) << what;
  EXPECT_EQ(server.Counts(), counts) << what << ": a refused call wrote something";
  EXPECT_TRUE(AllRows(server.db_path()) == rows) << what << ": a refused call changed a row";
}

// An assignment of the scenario's class shared by kTeacher and kOtherTeacher, with the
// scenario's rubric and one copy of kStudent; with its EVALUATION suggestion (unless
// blind-first) and kTeacher's open review. Call after BuildScenario (roster, families informed).
Scenario Shared(TestServer& server, bool high_stakes, bool blind_first = false) {
  Scenario s;
  v1::CreateAssignmentRequest create;
  create.set_request_id("assignment-2");
  create.set_class_id(kClass);
  create.set_title("Essai");
  for (const auto& [id, max] : {std::pair{"c1", 6.0}, std::pair{"c2", 8.0}, std::pair{"c3", 6.0}}) {
    v1::Criterion* c = create.mutable_rubric()->add_criteria();
    c->set_id(id);
    c->set_label(std::string("Critère ") + id);
    c->set_max_points(max);
    c->add_descriptors("arguments illustrés par des exemples");
  }
  create.add_teacher_ids(kTeacher);
  create.add_teacher_ids(kOtherTeacher);
  create.set_high_stakes(high_stakes);
  create.set_blind_first(blind_first);
  grpc::Status st =
      server.grading().CreateAssignment(TestServer::Context(Lms()).get(), create, &s.assignment);
  EXPECT_TRUE(st.ok()) << "CreateAssignment: " << st.error_message();
  v1::SubmitCopyRequest submit;
  submit.set_request_id("copy-2");
  submit.set_assignment_id(s.assignment.assignment_id());
  submit.set_student_id(kStudent);
  submit.set_text(kText);
  st = server.grading().SubmitCopy(TestServer::Context(Lms()).get(), submit, &s.copy);
  EXPECT_TRUE(st.ok()) << "SubmitCopy: " << st.error_message();
  if (!blind_first) {
    v1::RequestSuggestionRequest ask;
    ask.set_request_id("suggest-2");
    ask.set_copy_id(s.copy.copy_id());
    ask.set_purpose(v1::EVALUATION);
    st = server.grading().RequestSuggestion(TestServer::Context(Lms()).get(), ask, &s.evaluation);
    EXPECT_TRUE(st.ok()) << "RequestSuggestion: " << st.error_message();
  }
  v1::OpenReviewRequest open;
  open.set_request_id("review-2");
  open.set_copy_id(s.copy.copy_id());
  st = server.grading().OpenReview(TestServer::Context(Teacher()).get(), open, &s.review);
  EXPECT_TRUE(st.ok()) << "OpenReview: " << st.error_message();
  return s;
}

// Scores from the evaluation: `points[i]` for criterion i, ACCEPTED_SUGGESTION when equal to
// the proposal, MODIFIED otherwise.
v1::SignOffRequest SignOffWith(const Scenario& s, const std::vector<double>& points,
                               const std::string& request_id) {
  v1::SignOffRequest sign;
  sign.set_request_id(request_id);
  sign.set_copy_id(s.copy.copy_id());
  sign.set_review_id(s.review.review_id());
  sign.set_evaluation_suggestion_id(s.evaluation.suggestion_id());
  sign.set_notice_version(s.evaluation.notice_version());
  for (int i = 0; i < s.evaluation.criteria_size(); ++i) {
    const v1::CriterionProposal& p = s.evaluation.criteria(i);
    v1::CriterionScore* score = sign.add_scores();
    score->set_criterion_id(p.criterion_id());
    score->set_points(points[i]);
    score->set_origin(points[i] == p.proposed_points() ? v1::ACCEPTED_SUGGESTION : v1::MODIFIED);
  }
  sign.set_final_comment("Bon travail.");
  sign.set_attest_copy_read(true);
  return sign;
}

std::vector<double> Proposals(const Scenario& s) {
  std::vector<double> out;
  for (const auto& p : s.evaluation.criteria()) out.push_back(p.proposed_points());
  return out;
}

// c1 and c2 as proposed; c3 (max 6) at least 3 points away from the proposal.
v1::SignOffRequest FarSignOff(const Scenario& s, const std::string& request_id = "sign-far") {
  std::vector<double> points = Proposals(s);
  points[2] = points[2] >= 3 ? 0 : 6;
  return SignOffWith(s, points, request_id);
}

// c1 as proposed, c2 and c3 one point away from the proposal.
v1::SignOffRequest NearSignOff(const Scenario& s, const std::string& request_id = "sign-near") {
  std::vector<double> points = Proposals(s);
  for (int i : {1, 2}) points[i] += points[i] >= 1 ? -1 : 1;
  return SignOffWith(s, points, request_id);
}

grpc::Status Sign(TestServer& server, const v1::SignOffRequest& sign, v1::Decision* out) {
  return server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, out);
}

grpc::Status SecondMark(TestServer& server, const Caller& caller, const std::string& decision_id,
                        const std::string& request_id, v1::Decision* out = nullptr,
                        const std::vector<v1::CriterionScore>& scores = {},
                        bool attest = true) {
  v1::SecondMarkRequest request;
  request.set_request_id(request_id);
  request.set_decision_id(decision_id);
  for (const v1::CriterionScore& score : scores) *request.add_scores() = score;
  request.set_attest_copy_read(attest);
  v1::Decision ignored;
  return server.grading().SecondMark(TestServer::Context(caller).get(), request,
                                     out ? out : &ignored);
}

grpc::Status Get(TestServer& server, const std::string& copy_id, v1::Decision* out) {
  v1::GetDecisionRequest get;
  get.set_copy_id(copy_id);
  return server.grading().GetDecision(TestServer::Context(Lms()).get(), get, out);
}

std::vector<v1::CriterionScore> TeacherOnly(const std::vector<double>& points) {
  std::vector<v1::CriterionScore> scores;
  const char* ids[] = {"c1", "c2", "c3"};
  for (size_t i = 0; i < points.size(); ++i) {
    v1::CriterionScore score;
    score.set_criterion_id(ids[i]);
    score.set_points(points[i]);
    score.set_origin(v1::TEACHER_ONLY);
    scores.push_back(score);
  }
  return scores;
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
  EXPECT_EQ(Get(server, s.copy.copy_id(), &got).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
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
  v1::SignOffRequest again = SignOffWith(s, Proposals(s), "sign-again");
  again.set_supersedes_decision_id(pending.decision_id());
  again.set_supersede_reason("Je me range à la proposition.");
  v1::Decision replaced;
  const grpc::Status st = Sign(server, again, &replaced);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ExpectPending(replaced);
  EXPECT_NE(replaced.second_mark_reason().find(pending.decision_id()), std::string::npos)
      << replaced.second_mark_reason();
  v1::Decision got;
  EXPECT_EQ(Get(server, s.copy.copy_id(), &got).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
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
  std::vector<double> points = Proposals(s);
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
  EXPECT_EQ(Get(server, s.copy.copy_id(), &got).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST(SecondMarking, AProvisionalMarkFarFromTheFinalScoreWaitsToo) {
  TestServer server({}, {0, 0}, PolicyWith("[second_marking]\ncriterion_gap_points = 2\n"));
  // The scenario's assignment (same rubric, same text) shows what the AI will propose.
  const Scenario probe = BuildScenario(server.grading(), true, false);
  Scenario s = Shared(server, false, /*blind_first=*/true);
  ASSERT_TRUE(s.assignment.blind_first());
  const std::vector<double> expected = Proposals(probe);
  ASSERT_EQ(expected.size(), 3u);
  const double far_c1 = expected[0] >= 3 ? 0 : 6;
  v1::RecordProvisionalScoresRequest provisional;
  provisional.set_request_id("provisional-1");
  provisional.set_review_id(s.review.review_id());
  for (const auto& [id, points] :
       {std::pair{"c1", far_c1}, std::pair{"c2", expected[1]}, std::pair{"c3", expected[2]}}) {
    v1::ProvisionalScore* score = provisional.add_scores();
    score->set_criterion_id(id);
    score->set_points(points);
  }
  v1::ProvisionalScores recorded;
  grpc::Status st = server.grading().RecordProvisionalScores(
      TestServer::Context(Teacher()).get(), provisional, &recorded);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::RequestSuggestionRequest ask;
  ask.set_request_id("suggest-2");
  ask.set_copy_id(s.copy.copy_id());
  ask.set_purpose(v1::EVALUATION);
  st = server.grading().RequestSuggestion(TestServer::Context(Teacher()).get(), ask,
                                          &s.evaluation);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(Proposals(s), expected) << "the offline provider is deterministic";

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
  const grpc::Status st = Sign(server, SignOffWith(s, Proposals(s), "sign-accepted"), &pending);
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
  ASSERT_TRUE(Sign(server, FarSignOff(s), &pending).ok());
  ASSERT_EQ(pending.status(), v1::PENDING_SECOND_MARK);

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
  ASSERT_TRUE(Sign(server, FarSignOff(s), &pending).ok());
  ASSERT_EQ(pending.status(), v1::PENDING_SECOND_MARK);

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
  ASSERT_TRUE(Sign(server, FarSignOff(s), &pending).ok());
  ASSERT_EQ(pending.status(), v1::PENDING_SECOND_MARK);
  const std::string id = pending.decision_id();

  ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, [&] {
    return SecondMark(server, Teacher(), id, "second-by-signer");
  }, "the signer");
  ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, [&] {
    return SecondMark(server, Teacher("t-9"), id, "second-by-stranger");
  }, "a teacher not on the assignment");
  for (const Caller& caller : {Lms(), Inspector(), Caller{kTenant, kOtherTeacher, "admin"}}) {
    ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, [&] {
      return SecondMark(server, caller, id, "second-by-" + caller.role);
    }, "role " + caller.role);
  }
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, [&] {
    return SecondMark(server, Teacher(kOtherTeacher), id, "second-unread", nullptr, {}, false);
  }, "attest_copy_read false");
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, [&] {
    return SecondMark(server, Teacher(kOtherTeacher), "dc-doesnotexist", "second-unknown");
  }, "unknown decision");
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, [&] {
    return SecondMark(server, Teacher(kOtherTeacher, kOtherTenant), id, "second-foreign");
  }, "another tenant's decision");
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, [&] {
    return SecondMark(server, Teacher(kOtherTeacher), id, "second-two-scores", nullptr,
                      TeacherOnly({4, 5}));
  }, "amended scores missing a criterion");
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, [&] {
    return SecondMark(server, Teacher(kOtherTeacher), id, "second-too-high", nullptr,
                      TeacherOnly({4, 9, 3}));
  }, "amended score above the maximum");
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, [&] {
    std::vector<v1::CriterionScore> scores = TeacherOnly({4, 5, 3});
    scores[0].set_points(s.evaluation.criteria(0).proposed_points());
    scores[0].set_origin(v1::MODIFIED);
    return SecondMark(server, Teacher(kOtherTeacher), id, "second-modified-equal", nullptr,
                      scores);
  }, "amended MODIFIED score equal to the AI's proposal");
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, [&] {
    std::vector<v1::CriterionScore> scores = TeacherOnly({4, 5, 3});
    scores[0].set_ai_points(4);
    return SecondMark(server, Teacher(kOtherTeacher), id, "second-ai-points", nullptr, scores);
  }, "ai_points in a request");
  v1::Decision got;
  EXPECT_EQ(Get(server, s.copy.copy_id(), &got).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Once second-marked, neither the pending decision nor the new one can be again.
  v1::Decision active;
  ASSERT_TRUE(SecondMark(server, Teacher(kOtherTeacher), id, "second-1", &active).ok());
  ExpectRefused(server, grpc::StatusCode::FAILED_PRECONDITION, [&] {
    return SecondMark(server, Teacher(kOtherTeacher), id, "second-again");
  }, "the superseded pending decision");
  ExpectRefused(server, grpc::StatusCode::FAILED_PRECONDITION, [&] {
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
  ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, [&] {
    return SecondMark(server, Teacher(kOtherTeacher), pending.decision_id(), "second-1");
  }, "kOtherTeacher is on the roster, not on the assignment");
}

}  // namespace
}  // namespace gardefou::testing
