// `gardefou audit report` rendered by headless Chromium (Debian's chromium package): the page
// becomes a PNG with no console message, and the numbers it shows match what the database
// holds, counted here with SQL of our own (decisions table and raw event JSON).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "tests/support/rendered_page.h"
#include "tests/support/run_command.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {


// (teacher|assignment) -> metric -> value, read from the rendered DOM.
std::map<std::string, std::map<std::string, std::string>> SummaryMetrics(const std::string& dom) {
  std::map<std::string, std::map<std::string, std::string>> out;
  const std::regex row("<tr data-group=\"([^\"]+)\">(.*?)</tr>");
  const std::regex metric("data-metric=\"([a-z_]+)\">([^<]*)<");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), row); it != std::sregex_iterator();
       ++it) {
    const std::string cells = (*it)[2];
    for (auto m = std::sregex_iterator(cells.begin(), cells.end(), metric);
         m != std::sregex_iterator(); ++m) {
      out[(*it)[1]][(*m)[1]] = (*m)[2];
    }
  }
  return out;
}

std::map<std::string, std::map<std::string, std::string>> FromDatabase(
    const std::filesystem::path& db) {
  std::map<std::string, std::map<std::string, std::string>> out;
  sqlite3* handle = nullptr;
  sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
  auto query = [&](const char* sql, const char* name) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(handle, sql, -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(handle);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const std::string group = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      out[group][name] = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
    }
    sqlite3_finalize(stmt);
  };
  // Decisions in force, from the business table (not from the trail).
  query("SELECT json_extract(content_json, '$.teacher_id') || '|' || assignment_id, COUNT(*) "
        "FROM decisions WHERE active = 1 GROUP BY 1",
        "decisions");
  const char* criteria =
      "FROM audit_events e, json_each(e.details_json, '$.criteria') c "
      "WHERE e.action = 'DECISION_SIGNED' AND json_extract(c.value, '$.ai_points') IS NOT NULL "
      "GROUP BY 1";
  query((std::string("SELECT json_extract(e.details_json, '$.teacher_id') || '|' || "
                     "json_extract(e.objects_json, '$.assignment_id'), COUNT(*) ") + criteria)
            .c_str(),
        "criteria_with_ai");
  query((std::string("SELECT json_extract(e.details_json, '$.teacher_id') || '|' || "
                     "json_extract(e.objects_json, '$.assignment_id'), SUM(json_extract(c.value, "
                     "'$.ai_points') = json_extract(c.value, '$.final_points')) ") + criteria)
            .c_str(),
        "unchanged");
  query("SELECT json_extract(details_json, '$.teacher_id') || '|' || "
        "json_extract(objects_json, '$.assignment_id'), "
        "SUM(json_extract(details_json, '$.review_duration_ms') < 30000) "
        "FROM audit_events WHERE action = 'DECISION_SIGNED' GROUP BY 1",
        "fast_reviews");
  sqlite3_close(handle);
  return out;
}

TEST(InspectorReport, ChromiumRendersItAndItsNumbersAreTheDatabases) {
  TestServer server;
  for (const char* tenant : {kTenant, kOtherTenant}) {  // two assignments, two schools
    Scenario s = BuildScenario(server.grading(), true, true, tenant);
    v1::Decision decision;
    ASSERT_TRUE(server.grading().SignOff(TestServer::Context(Teacher(kTeacher, tenant)).get(),
                                         ValidSignOff(s), &decision)
                    .ok());
  }
  v1::GetCheckpointRequest sign;
  sign.set_sign_now(true);
  v1::Checkpoint checkpoint;
  ASSERT_TRUE(
      server.trail().GetCheckpoint(TestServer::Context(Inspector()).get(), sign, &checkpoint).ok());
  server.Stop();

  TempDir dir;
  const auto html = dir.path() / "report.html";
  RunResult r = RunCommand(std::string(GARDEFOU_BINARY) + " audit report --db '" +
                           server.db_path().string() + "' --out '" + html.string() +
                           "' --fast-review-seconds 30");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string page = ReadAll(html);
  EXPECT_EQ(page.find("<script"), std::string::npos) << "no script";
  EXPECT_EQ(page.find("src="), std::string::npos) << "no external asset";
  EXPECT_EQ(page.find("href="), std::string::npos) << "no external asset";

  // The console check can fail: a page that logs is caught.
  const auto probe = dir.path() / "probe.html";
  std::ofstream(probe) << "<script>console.error('probe')</script>";
  r = RunCommand(std::string(kChromium) + "--dump-dom 'file://" + probe.string() + "'");
  ASSERT_NE(ConsoleLines(r.output).find("probe"), std::string::npos)
      << "chromium (Debian package, installed by `make deps`) must run here:\n" << r.output;

  const auto png = dir.path() / "report.png";
  r = RunCommand(std::string(kChromium) + "--screenshot='" + png.string() + "' 'file://" +
                 html.string() + "'");
  EXPECT_EQ(ConsoleLines(r.output), "");
  const std::string image = ReadAll(png);
  ASSERT_GT(image.size(), 10000u) << r.output;
  EXPECT_EQ(image.substr(1, 3), "PNG");

  r = RunCommand(std::string(kChromium) + "--dump-dom 'file://" + html.string() + "'");
  EXPECT_EQ(ConsoleLines(r.output), "");
  const std::string dom = r.output;
  EXPECT_NE(dom.find("data-value=\"OK\""), std::string::npos) << "verification shown as OK";
  EXPECT_NE(dom.find("data-metric=\"checkpoint_size\">" + std::to_string(checkpoint.tree_size()) +
                     "<"),
            std::string::npos)
      << "the checkpoint it was checked against";
  const auto shown = SummaryMetrics(dom);
  const auto expected = FromDatabase(server.db_path());
  ASSERT_EQ(expected.size(), 2u);
  ASSERT_EQ(shown.size(), expected.size()) << dom;
  for (const auto& [group, metrics] : expected) {
    ASSERT_TRUE(shown.contains(group)) << group;
    for (const auto& [name, value] : metrics) {
      EXPECT_EQ(shown.at(group).at(name), value) << group << " " << name;
    }
  }
}

TEST(InspectorReport, ATamperedLogSaysSoAtTheTop) {
  TestServer server;
  BuildScenario(server.grading());
  server.Stop();
  TamperWith(server.db_path(), "UPDATE audit_events SET actor_id = 'x' WHERE seq = 2;");
  TempDir dir;
  const auto html = dir.path() / "report.html";
  const RunResult r = RunCommand(std::string(GARDEFOU_BINARY) + " audit report --db '" +
                                 server.db_path().string() + "' --out '" + html.string() + "'");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  const std::string page = ReadAll(html);
  EXPECT_NE(page.find("data-value=\"TAMPERED\""), std::string::npos);
  EXPECT_NE(page.find("event 2"), std::string::npos);
}

}  // namespace
}  // namespace gardefou::testing
