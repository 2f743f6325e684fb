// Against anchoring on the AI's marks, through the real server. Blind-first review (policy
// [review] blind_first, per tenant, or per assignment): no suggestion for a copy until its
// reviewing teacher has recorded provisional scores (FAILED_PRECONDITION "BLIND_FIRST", only an
// AI_CALL_REFUSED event); the decision then keeps, per criterion, the provisional mark and the
// AI's proposal beside the final score. The automation-bias notice (policy [notice]): every
// suggestion carries the one in force when it was made, and a sign-off that uses a suggestion
// must repeat its version. Every refusal writes nothing.
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

constexpr char kRoles[] =
    "[role lms]\nmethods = UpsertRoster, CreateAssignment, SubmitCopy, RequestSuggestion, "
    "GetDecision, ListDecisions, RecordFamiliesInformed\n"
    "[role teacher]\nmethods = RequestSuggestion, OpenReview, SignOff, GetDecision, "
    "ListDecisions, RecordProvisionalScores, SecondMark\n"
    "[role inspector]\nmethods = GetDecision, ListDecisions, ListEvents, ListObjections\n";

policy::Policy PolicyWith(const std::string& sections, const std::string& name = "blind") {
  absl::StatusOr<policy::Policy> p = policy::Policy::Parse(
      "name = " + name + "\nversion = 1\nmax_copy_bytes = 100000\n"
      "default_provider = offline-rubric\npurposes = CORRECTION, EVALUATION, EXTRA_WORK\n" +
          std::string(kRoles) + sections,
      name + ".conf");
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

// The action of every audit event, in order.
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

struct Snapshot {
  TableCounts counts;
  Rows rows;
};

Snapshot Take(const TestServer& server) { return {server.Counts(), AllRows(server.db_path())}; }

// Runs a refused call: `code`, a message, and nothing written at all.
void ExpectRefused(const TestServer& server, grpc::StatusCode code,
                   const std::function<grpc::Status()>& call, const std::string& what) {
  const Snapshot before = Take(server);
  const grpc::Status st = call();
  EXPECT_EQ(st.error_code(), code) << what << ": " << st.error_message();
  EXPECT_FALSE(st.error_message().empty()) << what;
  EXPECT_EQ(server.Counts(), before.counts) << what << ": a refused call wrote something";
  EXPECT_TRUE(AllRows(server.db_path()) == before.rows)
      << what << ": a refused call changed a row";
}

// Runs an AI call refused for the copy: FAILED_PRECONDITION naming `reason`, and exactly one
// new audit event, AI_CALL_REFUSED (with its Merkle leaf); nothing else changes.
void ExpectAiCallRefused(const TestServer& server, const std::string& reason,
                         const std::function<grpc::Status()>& call, const std::string& what) {
  const Snapshot before = Take(server);
  const grpc::Status st = call();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << what << ": " << st.error_message();
  EXPECT_NE(st.error_message().find(reason), std::string::npos)
      << what << ": " << st.error_message();
  TableCounts after = server.Counts();
  EXPECT_EQ(after["audit_events"], before.counts.at("audit_events") + 1) << what;
  EXPECT_GE(after["merkle_nodes"], before.counts.at("merkle_nodes")) << what;
  after["audit_events"] = before.counts.at("audit_events");
  after["merkle_nodes"] = before.counts.at("merkle_nodes");
  EXPECT_EQ(after, before.counts) << what << ": only the refusal may be written";
  Rows rows = AllRows(server.db_path());
  Rows expected = before.rows;
  for (Rows* r : {&rows, &expected}) {
    r->erase("audit_events");
    r->erase("merkle_nodes");
  }
  EXPECT_TRUE(rows == expected) << what << ": a refused AI call changed a row";
  const std::vector<std::string> actions = Actions(server.db_path());
  ASSERT_FALSE(actions.empty());
  EXPECT_EQ(actions.back(), "AI_CALL_REFUSED") << what;
}

grpc::Status Ask(TestServer& server, const Caller& caller, const std::string& copy_id,
                 v1::Purpose purpose, const std::string& request_id,
                 v1::Suggestion* out = nullptr) {
  v1::RequestSuggestionRequest ask;
  ask.set_request_id(request_id);
  ask.set_copy_id(copy_id);
  ask.set_purpose(purpose);
  v1::Suggestion ignored;
  return server.grading().RequestSuggestion(TestServer::Context(caller).get(), ask,
                                            out ? out : &ignored);
}

using Marks = std::vector<std::pair<std::string, double>>;

grpc::Status Provisional(TestServer& server, const Caller& caller, const std::string& review_id,
                         const Marks& marks, const std::string& request_id,
                         v1::ProvisionalScores* out = nullptr) {
  v1::RecordProvisionalScoresRequest request;
  request.set_request_id(request_id);
  request.set_review_id(review_id);
  for (const auto& [id, points] : marks) {
    v1::ProvisionalScore* score = request.add_scores();
    score->set_criterion_id(id);
    score->set_points(points);
  }
  v1::ProvisionalScores ignored;
  return server.grading().RecordProvisionalScores(TestServer::Context(caller).get(), request,
                                                  out ? out : &ignored);
}

const Marks kMarks = {{"c1", 4}, {"c2", 5}, {"c3", 2}};

// A second assignment in the scenario's class, with the scenario's rubric, and one copy of
// kStudent (same text): returned as a Scenario (no suggestion, no review).
Scenario AnotherAssignment(TestServer& server, bool blind_first, const std::string& suffix) {
  Scenario s;
  v1::CreateAssignmentRequest create;
  create.set_request_id("assignment-" + suffix);
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
  create.set_blind_first(blind_first);
  grpc::Status st =
      server.grading().CreateAssignment(TestServer::Context(Lms()).get(), create, &s.assignment);
  EXPECT_TRUE(st.ok()) << "CreateAssignment: " << st.error_message();
  v1::SubmitCopyRequest submit;
  submit.set_request_id("copy-" + suffix);
  submit.set_assignment_id(s.assignment.assignment_id());
  submit.set_student_id(kStudent);
  submit.set_text(kText);
  st = server.grading().SubmitCopy(TestServer::Context(Lms()).get(), submit, &s.copy);
  EXPECT_TRUE(st.ok()) << "SubmitCopy: " << st.error_message();
  return s;
}

v1::Review Open(TestServer& server, const std::string& copy_id, const std::string& request_id) {
  v1::OpenReviewRequest open;
  open.set_request_id(request_id);
  open.set_copy_id(copy_id);
  v1::Review review;
  const grpc::Status st =
      server.grading().OpenReview(TestServer::Context(Teacher()).get(), open, &review);
  EXPECT_TRUE(st.ok()) << "OpenReview: " << st.error_message();
  return review;
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
  const grpc::Status signed_off =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &decision);
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
    ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, [&] {
      return Provisional(server, Teacher(), review, marks, "provisional-bad-" + std::to_string(++n));
    }, what);
  }
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, [&] {
    return Provisional(server, Teacher(), "rv-doesnotexist", kMarks, "provisional-unknown");
  }, "unknown review");
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, [&] {
    return Provisional(server, Teacher(kTeacher, kOtherTenant), review, kMarks,
                       "provisional-foreign");
  }, "review of another tenant");
  for (const Caller& caller : {Lms(), Inspector()}) {
    ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, [&] {
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
  ExpectRefused(server, grpc::StatusCode::ALREADY_EXISTS, [&] {
    return Provisional(server, Teacher(), review, kMarks, "provisional-2");
  }, "a second set on the same review");
  ExpectRefused(server, grpc::StatusCode::ALREADY_EXISTS, [&] {
    return Provisional(server, Teacher(), review, kMarks, "provisional-1");
  }, "the same request_id with other marks");
}

TEST(BlindFirst, NoProvisionalScoresOnAClosedReview) {
  TestServer server({}, {0, 0}, PolicyWith("[review]\nblind_first = yes\n"));
  const Scenario s = BuildScenario(server.grading(), false, true);
  v1::SignOffRequest sign;
  sign.set_request_id("sign-1");
  sign.set_copy_id(s.copy.copy_id());
  sign.set_review_id(s.review.review_id());
  for (const auto& [id, points] : kMarks) {
    v1::CriterionScore* score = sign.add_scores();
    score->set_criterion_id(id);
    score->set_points(points);
    score->set_origin(v1::TEACHER_ONLY);
  }
  sign.set_attest_copy_read(true);
  v1::Decision decision;
  const grpc::Status st =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &decision);
  ASSERT_TRUE(st.ok()) << "a teacher grades without AI: " << st.error_message();
  ExpectRefused(server, grpc::StatusCode::FAILED_PRECONDITION, [&] {
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
  const grpc::Status st =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &decision);
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
    ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, [&] {
      v1::Decision decision;
      return server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &decision);
    }, field == 0 ? "provisional_points in a request" : "ai_points in a request");
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
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, [&] {
    v1::Decision decision;
    return server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &decision);
  }, "no notice_version");
  sign.set_request_id("sign-other-notice");
  sign.set_notice_version("2025-01");
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, [&] {
    v1::Decision decision;
    return server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &decision);
  }, "another notice_version");

  sign.set_request_id("sign-1");
  sign.set_notice_version("2026-09");
  v1::Decision decision;
  const grpc::Status st =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &decision);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(decision.notice_version(), "2026-09");
}

TEST(Notice, ASignOffUsingOnlyAnExtraWorkProposalMustRepeatItsNoticeVersion) {
  TestServer server({}, {0, 0}, PolicyWith(NoticeSection("2026-09", kNoticeText)));
  const Scenario s = BuildScenario(server.grading(), true, true);
  ASSERT_GT(s.extra_work.extra_work_size(), 0);
  v1::SignOffRequest sign;
  sign.set_request_id("sign-without-notice");
  sign.set_copy_id(s.copy.copy_id());
  sign.set_review_id(s.review.review_id());
  for (const auto& [id, points] : kMarks) {
    v1::CriterionScore* score = sign.add_scores();
    score->set_criterion_id(id);
    score->set_points(points);
    score->set_origin(v1::TEACHER_ONLY);
  }
  sign.set_extra_work_suggestion_id(s.extra_work.suggestion_id());
  v1::ExtraWorkItem* item = sign.add_extra_work();
  item->set_description(s.extra_work.extra_work(0).description());
  item->set_origin(v1::ACCEPTED_SUGGESTION);
  item->set_proposal_item_id(s.extra_work.extra_work(0).item_id());
  sign.set_attest_copy_read(true);
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, [&] {
    v1::Decision decision;
    return server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &decision);
  }, "an accepted extra-work proposal without notice_version");
  sign.set_request_id("sign-1");
  sign.set_notice_version(s.extra_work.notice_version());
  v1::Decision decision;
  const grpc::Status st =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &decision);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(decision.notice_version(), "2026-09");
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
  ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, [&] {
    v1::Decision decision;
    return server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &decision);
  }, "the policy's newer notice instead of the suggestion's");
  sign.set_request_id("sign-1");
  sign.set_notice_version("2026-09");
  v1::Decision decision;
  const grpc::Status st =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &decision);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(decision.notice_version(), "2026-09");
}

TEST(Notice, ASignOffWithoutSuggestionsNeedsNoNotice) {
  TestServer server({}, {0, 0}, PolicyWith(NoticeSection("2026-09", kNoticeText)));
  const Scenario s = BuildScenario(server.grading(), false, true);
  v1::SignOffRequest sign;
  sign.set_request_id("sign-1");
  sign.set_copy_id(s.copy.copy_id());
  sign.set_review_id(s.review.review_id());
  for (const auto& [id, points] : kMarks) {
    v1::CriterionScore* score = sign.add_scores();
    score->set_criterion_id(id);
    score->set_points(points);
    score->set_origin(v1::TEACHER_ONLY);
  }
  sign.set_attest_copy_read(true);
  v1::Decision decision;
  const grpc::Status st =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &decision);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(decision.notice_version().empty());
}

}  // namespace
}  // namespace gardefou::testing
