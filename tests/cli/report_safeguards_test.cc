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

#include "tests/support/rendered_page.h"
#include "tests/support/run_command.h"
#include "tests/support/safeguard_calls.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

constexpr char kRationale[] = "Copie relue : les trois propositions sont justes.";
// Pupils of the class (id, first name, last name); s-6 is the objecting one.
const std::vector<std::vector<std::string>> kPupils = {
    {"s-1", "Inès", "Garnier"}, {"s-2", "Hugo", "Martin"}, {"s-3", "Léa", "Petit"},
    {"s-4", "Noé", "Durand"},   {"s-5", "Zoé", "Lefèvre"}, {"s-6", "Jules", "Roux"}};
constexpr char kClassNotInformed[] = "4C";

policy::Policy PolicyWith(const std::string& extra) {
  return SafeguardPolicy(
      "safeguards",
      "[role dpo]\nmethods = RecordObjection, WithdrawObjection, ListObjections\n"
      "[role head_of_school]\nmethods = RecordObjection, OverrideObjection, WithdrawObjection, "
      "ListObjections\n"
      "[families]\nrequire_informed = yes\n[review]\nfast_accept_seconds = 600\n"
      "[second_marking]\ncriterion_gap_points = 2\n" +
          extra);
}

// ---------------------------------------------------------------- building the trail

// An assignment of both teachers with the scenario's rubric (max 6, 8, 6).
v1::Assignment Assignment(TestServer& server, const std::string& class_id,
                          const std::string& name, bool blind_first) {
  v1::CreateAssignmentRequest create =
      EssayAssignment("assignment-" + name, class_id, {kTeacher, kOtherTeacher});
  create.set_blind_first(blind_first);
  return AddAssignment(server, create);
}

v1::Copy Submit(TestServer& server, const v1::Assignment& assignment, const std::string& student) {
  const std::string& id = assignment.assignment_id();
  return SubmitEssay(server, id, student, "copy-" + id + "-" + student);
}

// Refused before anything is sent: FAILED_PRECONDITION naming `reason`.
void ExpectAiCallRefused(TestServer& server, const std::string& copy_id, const std::string& reason) {
  ExpectFailedPrecondition(
      Ask(server, Teacher(), copy_id, v1::EVALUATION, "ask-refused-" + reason), reason, copy_id);
}

// A copy with its evaluation and kTeacher's open review.
Scenario Prepare(TestServer& server, const v1::Assignment& assignment,
                 const std::string& student) {
  Scenario g;
  g.copy = Submit(server, assignment, student);
  ExpectOk(Ask(server, Teacher(), g.copy.copy_id(), v1::EVALUATION, "ask-" + student,
               &g.evaluation),
           "ask " + student);
  g.review = Open(server, g.copy.copy_id(), "review-" + g.copy.copy_id());
  return g;
}

// Signs `points`: ACCEPTED_SUGGESTION where equal to the proposal, MODIFIED elsewhere.
v1::Decision SignPoints(TestServer& server, const Scenario& g, const std::vector<double>& points,
                        const std::string& rationale = "") {
  v1::SignOffRequest sign = SignOffWith(g, points, "sign-" + g.copy.copy_id());
  sign.set_rationale(rationale);
  v1::Decision out;
  ExpectOk(Sign(server, sign, &out), "SignOff");
  return out;
}

// An objection overridden by the head of school (after a refused AI call), another withdrawn.
void Objections(TestServer& server, const std::string& copy_id) {
  v1::Objection first, second;
  ExpectOk(Object(server, Dpo(), kClass, "s-6", "2026-10-01", "object-1", &first),
           "RecordObjection");
  ExpectAiCallRefused(server, copy_id, "OBJECTION");
  ExpectOk(Override(server, Head(), first.objection_id(), kJustification, "override-1"),
           "OverrideObjection");
  ExpectOk(Object(server, Head(), kClass, "s-6", "2026-10-05", "object-2", &second),
           "RecordObjection again");
  ExpectOk(Withdraw(server, Dpo(), second.objection_id(), "withdraw-2"), "WithdrawObjection");
}

// Refused (BLIND_FIRST) until provisional marks; then c1 kept, c2 moved onto the AI's
// proposal, c3 moved one point further away from it (every gap within the threshold of 2).
void BlindFirst(TestServer& server, const v1::Assignment& assignment,
                const std::vector<double>& expected) {
  Scenario g;
  g.copy = Submit(server, assignment, "s-5");
  ExpectAiCallRefused(server, g.copy.copy_id(), "BLIND_FIRST");
  g.review = Open(server, g.copy.copy_id(), "review-" + g.copy.copy_id());
  const double d2 = expected[1] >= 1 ? -1 : 1, d3 = expected[2] >= 2 ? -1 : 1;
  const Marks marks = {{"c1", expected[0]}, {"c2", expected[1] + d2}, {"c3", expected[2] + d3}};
  ExpectOk(Provisional(server, Teacher(), g.review.review_id(), marks, "provisional-1"),
           "RecordProvisionalScores");
  ExpectOk(Ask(server, Teacher(), g.copy.copy_id(), v1::EVALUATION, "ask-blind", &g.evaluation),
           "ask after provisional");
  ASSERT_EQ(Proposals(g.evaluation), expected) << "the offline provider is deterministic";
  const v1::Decision d = SignPoints(server, g, {expected[0], expected[1], expected[2] + 2 * d3});
  EXPECT_EQ(d.status(), v1::ACTIVE);
}

// Three sign-offs far from the AI on c3 (pending): co-signed, amended, left pending.
void SecondMarks(TestServer& server, const v1::Assignment& assignment) {
  std::vector<std::string> pending;
  for (const char* student : {"s-2", "s-3", "s-4"}) {
    const Scenario g = Prepare(server, assignment, student);
    std::vector<double> points = Proposals(g.evaluation);
    points[2] = points[2] >= 3 ? 0 : 6;
    const v1::Decision d = SignPoints(server, g, points);
    EXPECT_EQ(d.status(), v1::PENDING_SECOND_MARK) << student;
    pending.push_back(d.decision_id());
  }
  const Caller second_marker = Teacher(kOtherTeacher);
  ExpectOk(SecondMark(server, second_marker, pending[0], "second-" + pending[0]), "co-signed");
  ExpectOk(SecondMark(server, second_marker, pending[1], "second-" + pending[1], nullptr,
                      TeacherOnly({4, 5, 3.5})),
           "amended");
}

// The whole trail; returns nothing, fails the test on error.
void DriveSafeguards(TestServer& server) {
  Roster(server, kClass, kPupils);
  InformFamilies(server.grading(), kClass);
  Roster(server, kClassNotInformed, {{"s-9", "Chloé", "Moreau"}});  // families not informed
  const v1::Assignment open = Assignment(server, kClass, "open", false);
  const v1::Assignment blind = Assignment(server, kClass, "blind", true);
  const v1::Assignment elsewhere = Assignment(server, kClassNotInformed, "elsewhere", false);

  // Every proposal accepted at once: the policy asks a rationale.
  const Scenario fast = Prepare(server, open, "s-1");
  SignPoints(server, fast, Proposals(fast.evaluation), kRationale);

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
