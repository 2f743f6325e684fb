// The safeguard sections of `gardefou audit report`, rendered by headless Chromium (Debian's
// chromium package). Through the real server: an objection recorded then overridden, another
// withdrawn, AI calls refused for each reason, a stop lifted and one still in force, a
// blind-first sign-off that left the provisional marks, second marks co-signed, amended and still
// pending, and a fast acceptance with its rationale. Every number the page shows matches SQL of
// our own on the SQLite file; the page holds no justification, rationale or pupil name.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/run_command.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

constexpr char kChromium[] =
    "chromium --headless=new --no-sandbox --disable-gpu --enable-logging=stderr --v=0 "
    "--window-size=1400,1200 ";
constexpr char kText[] =
    "Les écrans sont utiles. Par exemple, les arguments et les exemples comptent.";
constexpr char kJustification[] =
    "Épreuve d'examen blanc : la double correction assistée est indispensable.";
constexpr char kRationale[] = "Copie relue : les trois propositions sont justes.";
// Pupils of the class (id, first name, last name); s-6 is the objecting one.
const std::vector<std::vector<std::string>> kPupils = {
    {"s-1", "Inès", "Garnier"}, {"s-2", "Hugo", "Martin"}, {"s-3", "Léa", "Petit"},
    {"s-4", "Noé", "Durand"},   {"s-5", "Zoé", "Lefèvre"}, {"s-6", "Jules", "Roux"}};
constexpr char kClassNotInformed[] = "4C";

Caller Head() { return {kTenant, "h-1", "head_of_school"}; }
Caller Dpo() { return {kTenant, "d-1", "dpo"}; }

policy::Policy PolicyWith(const std::string& extra) {
  absl::StatusOr<policy::Policy> p = policy::Policy::Parse(
      "name = safeguards\nversion = 1\nmax_copy_bytes = 100000\n"
      "default_provider = offline-rubric\npurposes = CORRECTION, EVALUATION, EXTRA_WORK\n"
      "[role lms]\nmethods = UpsertRoster, CreateAssignment, SubmitCopy, RequestSuggestion, "
      "GetDecision, ListDecisions, RecordFamiliesInformed\n"
      "[role teacher]\nmethods = RequestSuggestion, OpenReview, SignOff, GetDecision, "
      "ListDecisions, RecordProvisionalScores, SecondMark\n"
      "[role dpo]\nmethods = RecordObjection, WithdrawObjection, ListObjections\n"
      "[role head_of_school]\nmethods = RecordObjection, OverrideObjection, WithdrawObjection, "
      "ListObjections\n"
      "[families]\nrequire_informed = yes\n[review]\nfast_accept_seconds = 600\n"
      "[second_marking]\ncriterion_gap_points = 2\n" +
          extra,
      "safeguards.conf");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

void Expect(const grpc::Status& st, const std::string& what) {
  EXPECT_TRUE(st.ok()) << what << ": " << st.error_message();
}

// ---------------------------------------------------------------- building the trail

void Roster(TestServer& server, const std::string& class_id,
            const std::vector<std::vector<std::string>>& pupils, bool informed) {
  v1::UpsertRosterRequest roster;
  roster.set_request_id("roster-" + class_id);
  roster.set_class_id(class_id);
  roster.mutable_school()->set_name("Collège Test");
  for (const char* id : {kTeacher, kOtherTeacher}) {
    v1::Person* t = roster.add_teachers();
    t->set_id(id);
    t->set_first("Prof");
    t->set_last(id);
  }
  for (const auto& pupil : pupils) {
    v1::Person* p = roster.add_students();
    p->set_id(pupil[0]);
    p->set_first(pupil[1]);
    p->set_last(pupil[2]);
  }
  v1::UpsertRosterResponse upserted;
  Expect(server.grading().UpsertRoster(TestServer::Context(Lms()).get(), roster, &upserted),
         "UpsertRoster");
  if (informed) InformFamilies(server.grading(), class_id);
}

// An assignment of both teachers with the scenario's rubric (max 6, 8, 6).
v1::Assignment Assignment(TestServer& server, const std::string& class_id,
                          const std::string& name, bool blind_first) {
  v1::CreateAssignmentRequest create;
  create.set_request_id("assignment-" + name);
  create.set_class_id(class_id);
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
  create.set_blind_first(blind_first);
  v1::Assignment out;
  Expect(server.grading().CreateAssignment(TestServer::Context(Lms()).get(), create, &out),
         "CreateAssignment " + name);
  return out;
}

v1::Copy Submit(TestServer& server, const v1::Assignment& assignment, const std::string& student) {
  v1::SubmitCopyRequest submit;
  submit.set_request_id("copy-" + assignment.assignment_id() + "-" + student);
  submit.set_assignment_id(assignment.assignment_id());
  submit.set_student_id(student);
  submit.set_text(kText);
  v1::Copy out;
  Expect(server.grading().SubmitCopy(TestServer::Context(Lms()).get(), submit, &out),
         "SubmitCopy " + student);
  return out;
}

grpc::Status Ask(TestServer& server, const std::string& copy_id, const std::string& request_id,
                 v1::Suggestion* out) {
  v1::RequestSuggestionRequest ask;
  ask.set_request_id(request_id);
  ask.set_copy_id(copy_id);
  ask.set_purpose(v1::EVALUATION);
  return server.grading().RequestSuggestion(TestServer::Context(Teacher()).get(), ask, out);
}

// Refused before anything is sent: FAILED_PRECONDITION naming `reason`.
void ExpectAiCallRefused(TestServer& server, const std::string& copy_id, const std::string& reason) {
  v1::Suggestion ignored;
  const grpc::Status st = Ask(server, copy_id, "ask-refused-" + reason, &ignored);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_NE(st.error_message().find(reason), std::string::npos) << st.error_message();
}

v1::Review Open(TestServer& server, const std::string& copy_id) {
  v1::OpenReviewRequest open;
  open.set_request_id("review-" + copy_id);
  open.set_copy_id(copy_id);
  v1::Review out;
  Expect(server.grading().OpenReview(TestServer::Context(Teacher()).get(), open, &out),
         "OpenReview");
  return out;
}

// A copy with its evaluation and kTeacher's open review.
struct Graded {
  v1::Copy copy;
  v1::Suggestion evaluation;
  v1::Review review;
};

Graded Prepare(TestServer& server, const v1::Assignment& assignment, const std::string& student) {
  Graded g;
  g.copy = Submit(server, assignment, student);
  Expect(Ask(server, g.copy.copy_id(), "ask-" + student, &g.evaluation), "ask " + student);
  g.review = Open(server, g.copy.copy_id());
  return g;
}

std::vector<double> Proposals(const v1::Suggestion& evaluation) {
  std::vector<double> out;
  for (const auto& c : evaluation.criteria()) out.push_back(c.proposed_points());
  return out;
}

// Signs `points`: ACCEPTED_SUGGESTION where equal to the proposal, MODIFIED elsewhere.
v1::Decision Sign(TestServer& server, const Graded& g, const std::vector<double>& points,
                  const std::string& rationale = "") {
  v1::SignOffRequest sign;
  sign.set_request_id("sign-" + g.copy.copy_id());
  sign.set_copy_id(g.copy.copy_id());
  sign.set_review_id(g.review.review_id());
  sign.set_evaluation_suggestion_id(g.evaluation.suggestion_id());
  sign.set_notice_version(g.evaluation.notice_version());
  for (int i = 0; i < g.evaluation.criteria_size(); ++i) {
    const v1::CriterionProposal& p = g.evaluation.criteria(i);
    v1::CriterionScore* score = sign.add_scores();
    score->set_criterion_id(p.criterion_id());
    score->set_points(points[i]);
    score->set_origin(points[i] == p.proposed_points() ? v1::ACCEPTED_SUGGESTION : v1::MODIFIED);
  }
  sign.set_final_comment("Bon travail.");
  sign.set_attest_copy_read(true);
  sign.set_rationale(rationale);
  v1::Decision out;
  Expect(server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &out), "SignOff");
  return out;
}

// An objection overridden by the head of school (after a refused AI call), another withdrawn.
void Objections(TestServer& server, const std::string& copy_id) {
  v1::RecordObjectionRequest object;
  object.set_request_id("object-1");
  object.set_class_id(kClass);
  object.set_student_id("s-6");
  object.set_received_on("2026-10-01");
  v1::Objection first, second;
  Expect(server.grading().RecordObjection(TestServer::Context(Dpo()).get(), object, &first),
         "RecordObjection");
  ExpectAiCallRefused(server, copy_id, "OBJECTION");
  v1::OverrideObjectionRequest override_request;
  override_request.set_request_id("override-1");
  override_request.set_objection_id(first.objection_id());
  override_request.set_justification(kJustification);
  v1::Objection ignored;
  Expect(server.grading().OverrideObjection(TestServer::Context(Head()).get(), override_request,
                                            &ignored),
         "OverrideObjection");
  object.set_request_id("object-2");
  object.set_received_on("2026-10-05");
  Expect(server.grading().RecordObjection(TestServer::Context(Head()).get(), object, &second),
         "RecordObjection again");
  v1::WithdrawObjectionRequest withdraw;
  withdraw.set_request_id("withdraw-2");
  withdraw.set_objection_id(second.objection_id());
  Expect(server.grading().WithdrawObjection(TestServer::Context(Dpo()).get(), withdraw, &ignored),
         "WithdrawObjection");
}

// Refused (BLIND_FIRST) until provisional marks; then c1 kept, c2 moved onto the AI's
// proposal, c3 moved one point further away from it (every gap within the threshold of 2).
void BlindFirst(TestServer& server, const v1::Assignment& assignment,
                const std::vector<double>& expected) {
  Graded g;
  g.copy = Submit(server, assignment, "s-5");
  ExpectAiCallRefused(server, g.copy.copy_id(), "BLIND_FIRST");
  g.review = Open(server, g.copy.copy_id());
  const double d2 = expected[1] >= 1 ? -1 : 1, d3 = expected[2] >= 2 ? -1 : 1;
  v1::RecordProvisionalScoresRequest provisional;
  provisional.set_request_id("provisional-1");
  provisional.set_review_id(g.review.review_id());
  const std::vector<double> marks = {expected[0], expected[1] + d2, expected[2] + d3};
  for (int i = 0; i < 3; ++i) {
    v1::ProvisionalScore* score = provisional.add_scores();
    score->set_criterion_id("c" + std::to_string(i + 1));
    score->set_points(marks[i]);
  }
  v1::ProvisionalScores recorded;
  Expect(server.grading().RecordProvisionalScores(TestServer::Context(Teacher()).get(),
                                                  provisional, &recorded),
         "RecordProvisionalScores");
  Expect(Ask(server, g.copy.copy_id(), "ask-blind", &g.evaluation), "ask after provisional");
  ASSERT_EQ(Proposals(g.evaluation), expected) << "the offline provider is deterministic";
  const v1::Decision d = Sign(server, g, {expected[0], expected[1], expected[2] + 2 * d3});
  EXPECT_EQ(d.status(), v1::ACTIVE);
}

grpc::Status SecondMark(TestServer& server, const std::string& decision_id,
                        const std::vector<double>& amended) {
  v1::SecondMarkRequest request;
  request.set_request_id("second-" + decision_id);
  request.set_decision_id(decision_id);
  for (size_t i = 0; i < amended.size(); ++i) {
    v1::CriterionScore* score = request.add_scores();
    score->set_criterion_id("c" + std::to_string(i + 1));
    score->set_points(amended[i]);
    score->set_origin(v1::TEACHER_ONLY);
  }
  request.set_attest_copy_read(true);
  v1::Decision ignored;
  return server.grading().SecondMark(TestServer::Context(Teacher(kOtherTeacher)).get(), request,
                                     &ignored);
}

// Three sign-offs far from the AI on c3 (pending): co-signed, amended, left pending.
void SecondMarks(TestServer& server, const v1::Assignment& assignment) {
  std::vector<std::string> pending;
  for (const char* student : {"s-2", "s-3", "s-4"}) {
    const Graded g = Prepare(server, assignment, student);
    std::vector<double> points = Proposals(g.evaluation);
    points[2] = points[2] >= 3 ? 0 : 6;
    const v1::Decision d = Sign(server, g, points);
    EXPECT_EQ(d.status(), v1::PENDING_SECOND_MARK) << student;
    pending.push_back(d.decision_id());
  }
  Expect(SecondMark(server, pending[0], {}), "co-signed");
  Expect(SecondMark(server, pending[1], {4, 5, 3.5}), "amended");
}

// The whole trail; returns nothing, fails the test on error.
void DriveSafeguards(TestServer& server) {
  Roster(server, kClass, kPupils, /*informed=*/true);
  Roster(server, kClassNotInformed, {{"s-9", "Chloé", "Moreau"}}, /*informed=*/false);
  const v1::Assignment open = Assignment(server, kClass, "open", false);
  const v1::Assignment blind = Assignment(server, kClass, "blind", true);
  const v1::Assignment elsewhere = Assignment(server, kClassNotInformed, "elsewhere", false);

  // Every proposal accepted at once: the policy asks a rationale.
  const Graded fast = Prepare(server, open, "s-1");
  Sign(server, fast, Proposals(fast.evaluation), kRationale);

  ExpectAiCallRefused(server, Submit(server, elsewhere, "s-9").copy_id(), "FAMILIES_NOT_INFORMED");
  Objections(server, Submit(server, open, "s-6").copy_id());
  ASSERT_TRUE(server.server().ChangePolicy(PolicyWith("[stop]\ntenants = 0999002B\n")).ok());
  ASSERT_TRUE(server.server().ChangePolicy(PolicyWith("")).ok());
  BlindFirst(server, blind, Proposals(fast.evaluation));
  SecondMarks(server, open);
  ASSERT_TRUE(server.server().ChangePolicy(PolicyWith("[stop]\nall = yes\n")).ok());
}

// ---------------------------------------------------------------- SQL of our own

using Row = std::vector<std::string>;

std::vector<Row> Query(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(handle) << "\n" << sql;
  std::vector<Row> rows;
  while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
    Row row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const unsigned char* text = sqlite3_column_text(stmt, i);
      row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(handle);
  return rows;
}

std::string One(const std::filesystem::path& db, const std::string& sql) {
  const std::vector<Row> rows = Query(db, sql);
  return rows.empty() || rows[0].empty() ? "<none>" : rows[0][0];
}

// DECISION_SIGNED events not replaced by a DECISION_SUPERSEDED, with their criteria as c.
constexpr char kInForce[] =
    " FROM audit_events e, json_each(e.details_json, '$.criteria') c "
    "WHERE e.action = 'DECISION_SIGNED' AND json_extract(e.objects_json, '$.decision_id') NOT IN "
    "(SELECT json_extract(objects_json, '$.decision_id') FROM audit_events "
    "WHERE action = 'DECISION_SUPERSEDED')";
constexpr char kCompared[] =
    " AND json_extract(c.value, '$.provisional_points') IS NOT NULL"
    " AND json_extract(c.value, '$.ai_points') IS NOT NULL";
constexpr char kFinal[] = "json_extract(c.value, '$.final_points')";
constexpr char kProvisional[] = "json_extract(c.value, '$.provisional_points')";
constexpr char kAi[] = "json_extract(c.value, '$.ai_points')";

std::map<std::string, std::string> Counts(const std::filesystem::path& db) {
  std::map<std::string, std::string> out;
  for (const auto& [metric, action] : {std::pair{"objections_recorded", "OBJECTION_RECORDED"},
                                       std::pair{"objections_overridden", "OBJECTION_OVERRIDDEN"},
                                       std::pair{"objections_withdrawn", "OBJECTION_WITHDRAWN"}}) {
    out[metric] = One(db, std::string("SELECT COUNT(*) FROM audit_events WHERE action = '") +
                              action + "'");
  }
  for (const std::string reason : {"FAMILIES_NOT_INFORMED", "OBJECTION", "BLIND_FIRST"}) {
    std::string metric = "refused_" + reason;
    std::transform(metric.begin(), metric.end(), metric.begin(), ::tolower);
    out[metric] = One(db, "SELECT COUNT(*) FROM audit_events WHERE action = 'AI_CALL_REFUSED' "
                          "AND json_extract(details_json, '$.reason') = '" + reason + "'");
  }
  out["refused_total"] =
      One(db, "SELECT COUNT(*) FROM audit_events WHERE action = 'AI_CALL_REFUSED'");
  const std::string changed = std::string(kFinal) + " <> " + kProvisional;
  out["provisional_decisions"] = One(db, std::string("SELECT COUNT(DISTINCT e.seq)") + kInForce +
                                             " AND " + kProvisional + " IS NOT NULL");
  out["provisional_criteria"] = One(db, std::string("SELECT COUNT(*)") + kInForce + kCompared);
  out["provisional_changed"] =
      One(db, "SELECT COALESCE(SUM(" + changed + "), 0)" + kInForce + kCompared);
  out["provisional_changed_percent"] =
      One(db, "SELECT CAST(ROUND(100.0 * SUM(" + changed + ") / COUNT(*)) AS INTEGER)" +
                  kInForce + kCompared);
  out["provisional_toward_ai"] =
      One(db, "SELECT COALESCE(SUM(" + changed + " AND ABS(" + kFinal + " - " + kAi + ") < ABS(" +
                  kProvisional + " - " + kAi + ")), 0)" + kInForce + kCompared);
  // One row per event: the criteria's json_each would repeat it.
  const std::string signed_in_force =
      "FROM audit_events e WHERE e.action = 'DECISION_SIGNED' AND "
      "json_extract(e.objects_json, '$.decision_id') NOT IN (SELECT json_extract(objects_json, "
      "'$.decision_id') FROM audit_events WHERE action = 'DECISION_SUPERSEDED')";
  out["second_mark_required"] =
      One(db, "SELECT COUNT(*) " + signed_in_force +
                  " AND COALESCE(json_extract(e.details_json, '$.second_mark_reason'), '') <> ''");
  for (const auto& [metric, agreed] :
       {std::pair{"second_mark_cosigned", 1}, std::pair{"second_mark_amended", 0}}) {
    out[metric] = One(db, "SELECT COUNT(*) FROM audit_events WHERE action = "
                          "'DECISION_SECOND_MARKED' AND json_extract(details_json, '$.agreed') = " +
                              std::to_string(agreed));
  }
  // Still pending: from the business table, not from the trail.
  out["second_mark_pending"] =
      One(db, "SELECT COUNT(*) FROM decisions WHERE active = 1 AND "
              "json_extract(content_json, '$.pending_second_mark') = 1");
  out["fast_reviews_total"] =
      One(db, "SELECT COUNT(*) " + signed_in_force +
                  " AND json_extract(e.details_json, '$.review_duration_ms') < 30000");
  out["fast_acceptance_rationales"] =
      One(db, "SELECT COUNT(*) " + signed_in_force +
                  " AND json_extract(e.details_json, '$.rationale_sha256') IS NOT NULL");
  return out;
}

// Means, compared as numbers (the page rounds to two decimals).
std::map<std::string, double> Means(const std::filesystem::path& db) {
  return {{"provisional_mean_shift",
           std::stod(One(db, std::string("SELECT AVG(ABS(") + kFinal + " - " + kProvisional +
                                 "))" + kInForce + kCompared))},
          {"second_mark_mean_change",
           std::stod(One(db, "SELECT AVG(ABS(json_extract(details_json, '$.total_after') - "
                             "json_extract(details_json, '$.total_before'))) FROM audit_events "
                             "WHERE action = 'DECISION_SECOND_MARKED'"))}};
}

// "seq|objection id|action|hash prefix" per objection event.
std::vector<std::string> ObjectionRows(const std::filesystem::path& db) {
  std::vector<std::string> out;
  for (const Row& r : Query(db, "SELECT seq, json_extract(objects_json, '$.objection_id'), "
                                "action, COALESCE(substr(json_extract(details_json, "
                                "'$.justification_sha256'), 1, 12), '') FROM audit_events "
                                "WHERE action LIKE 'OBJECTION_%' ORDER BY seq")) {
    out.push_back(r[0] + "|" + r[1] + "|" + r[2] + "|" + r[3]);
  }
  return out;
}

// "what|from|until" per stop period, from what each POLICY_CHANGED adds to and drops from the
// stopped list; sorted.
std::vector<std::string> StopRows(const std::filesystem::path& db) {
  const auto changes = [&](const char* to, const char* from) {
    return Query(db, std::string("SELECT e.seq, s.value FROM audit_events e, "
                                 "json_each(e.details_json, '$.") + to + "') s WHERE e.action = "
                     "'POLICY_CHANGED' AND s.value NOT IN (SELECT value FROM "
                     "json_each(e.details_json, '$." + from + "')) ORDER BY e.seq");
  };
  const std::vector<Row> ends = changes("old_stopped", "new_stopped");
  std::vector<std::string> out;
  for (const Row& start : changes("new_stopped", "old_stopped")) {
    std::string until = "toujours en vigueur";
    for (const Row& end : ends) {
      if (end[1] == start[1] && std::stoll(end[0]) > std::stoll(start[0])) {
        until = end[0];
        break;
      }
    }
    out.push_back(start[1] + "|" + start[0] + "|" + until);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// ---------------------------------------------------------------- the rendered page

// decision_id|status as the report's detail table must show each row of the decisions table.
std::vector<std::string> DecisionStatuses(const std::filesystem::path& db) {
  std::vector<std::string> out;
  for (const Row& row : Query(db,
                              "SELECT decision_id || '|' || CASE "
                              "WHEN active = 0 THEN 'remplacée' "
                              "WHEN json_extract(content_json, '$.pending_second_mark') = 1 "
                              "THEN 'attend une seconde correction' "
                              "WHEN COALESCE(json_extract(content_json, '$.second_marker_id'), "
                              "'') <> '' THEN 'en vigueur (seconde correction : ' || "
                              "json_extract(content_json, '$.second_marker_id') || ')' "
                              "ELSE 'en vigueur' END FROM decisions ORDER BY decision_id")) {
    out.push_back(row[0]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string ConsoleLines(const std::string& output) {
  std::string lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.find(":CONSOLE") != std::string::npos) lines += line + "\n";
  }
  return lines;
}

// metric -> value, first occurrence in the DOM.
std::map<std::string, std::string> Metrics(const std::string& dom) {
  std::map<std::string, std::string> out;
  const std::regex metric("data-metric=\"([a-z_]+)\"[^>]*>([^<]*)<");
  for (auto m = std::sregex_iterator(dom.begin(), dom.end(), metric); m != std::sregex_iterator();
       ++m) {
    out.emplace((*m)[1], (*m)[2]);
  }
  return out;
}

std::vector<std::string> Rows(const std::string& dom, const std::regex& row,
                              const std::vector<int>& groups) {
  std::vector<std::string> out;
  for (auto m = std::sregex_iterator(dom.begin(), dom.end(), row); m != std::sregex_iterator();
       ++m) {
    std::string joined;
    for (int g : groups) joined += (joined.empty() ? "" : "|") + (*m)[g].str();
    out.push_back(joined);
  }
  return out;
}

TEST(ReportSafeguards, ChromiumShowsEachSafeguardAndItsNumbersAreTheDatabases) {
  TestServer server({}, {0, 0}, PolicyWith(""));
  DriveSafeguards(server);
  ASSERT_FALSE(::testing::Test::HasFailure()) << "the scenario must build";
  server.Stop();

  // The scenario produced each kind (counted by SQL).
  const auto db = server.db_path();
  const std::map<std::string, std::string> expected = Counts(db);
  for (const auto& [metric, value] : std::map<std::string, std::string>{
           {"objections_recorded", "2"}, {"objections_overridden", "1"},
           {"objections_withdrawn", "1"}, {"refused_families_not_informed", "1"},
           {"refused_objection", "1"}, {"refused_blind_first", "1"},
           {"provisional_decisions", "1"}, {"provisional_criteria", "3"},
           {"provisional_changed", "2"}, {"provisional_toward_ai", "1"},
           {"second_mark_required", "3"}, {"second_mark_cosigned", "1"},
           {"second_mark_amended", "1"}, {"second_mark_pending", "1"},
           {"fast_acceptance_rationales", "1"}}) {
    EXPECT_EQ(expected.at(metric), value) << metric;
  }
  ASSERT_EQ(StopRows(db).size(), 2u);

  TempDir dir;
  const auto html = dir.path() / "report.html";
  RunResult r = RunCommand(std::string(GARDEFOU_BINARY) + " audit report --db '" + db.string() +
                           "' --out '" + html.string() + "' --fast-review-seconds 30");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string page = ReadAll(html);
  r = RunCommand(std::string(kChromium) + "--dump-dom 'file://" + html.string() + "'");
  EXPECT_EQ(ConsoleLines(r.output), "");
  const std::string dom = r.output;
  ASSERT_NE(dom.find("id=\"objections\""), std::string::npos) << r.output;

  const std::map<std::string, std::string> shown = Metrics(dom);
  for (const auto& [metric, value] : expected) {
    ASSERT_TRUE(shown.contains(metric)) << metric;
    EXPECT_EQ(shown.at(metric), value) << metric;
  }
  for (const auto& [metric, value] : Means(db)) {
    ASSERT_TRUE(shown.contains(metric)) << metric;
    EXPECT_NEAR(std::stod(shown.at(metric)), value, 0.005) << metric;
  }
  EXPECT_EQ(shown.at("stop_periods"), "2");
  EXPECT_EQ(shown.at("stop_periods_in_force"), "1");

  EXPECT_EQ(Rows(dom,
                 std::regex("<tr data-objection=\"([^\"]+)\" data-action=\"([A-Z_]+)\"><td "
                            "data-metric=\"event\">([0-9]+)</td>.*?<code "
                            "class=\"justification\">([0-9a-f]*)"),
                 {3, 1, 2, 4}),
            ObjectionRows(db));
  std::vector<std::string> stops =
      Rows(dom,
           std::regex("<tr data-stop=\"([^\"]+)\">.*?data-metric=\"from_event\"[^>]*>([^<]*)<.*?"
                      "data-metric=\"until_event\"[^>]*>([^<]*)<"),
           {1, 2, 3});
  std::sort(stops.begin(), stops.end());
  EXPECT_EQ(stops, StopRows(db));

  // Every decision of the store is in the detail table with its status: the ones waiting for
  // a second mark, the ones a second mark replaced, and the second-marked ones in force.
  std::vector<std::string> statuses =
      Rows(dom, std::regex("<tr data-decision=\"([^\"]+)\"[^>]*>[\\s\\S]*?<td class=\"l\">"
                           "([^<]*)</td></tr>"),
           {1, 2});
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, DecisionStatuses(db));
  const auto with = [&](const std::string& status) {
    return std::count_if(statuses.begin(), statuses.end(), [&](const std::string& s) {
      return s.find(status) != std::string::npos;
    });
  };
  EXPECT_EQ(with("|attend une seconde correction"), 1);
  EXPECT_EQ(with("|en vigueur (seconde correction : " + std::string(kOtherTeacher) + ")"), 2);

  // Hashes and ids only: no justification, no rationale, no pupil's name.
  for (const std::string& text : {std::string(kJustification), std::string("indispensable"),
                                  std::string(kRationale), std::string("relue")}) {
    EXPECT_EQ(page.find(text), std::string::npos) << text;
  }
  for (const auto& pupil : kPupils) {
    EXPECT_EQ(page.find(pupil[1]), std::string::npos) << pupil[1];
    EXPECT_EQ(page.find(pupil[2]), std::string::npos) << pupil[2];
  }
  EXPECT_EQ(page.find("Moreau"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace gardefou::testing
