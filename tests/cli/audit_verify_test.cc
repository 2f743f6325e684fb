// End to end: `gardefou audit verify` as a process, on a database written by the real server,
// then tampered with through the sqlite3 library (triggers dropped first, as an attacker would).
#include <gtest/gtest.h>

#include <string>

#include "tests/support/run_command.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

RunResult VerifyDb(const std::filesystem::path& db) {
  return RunCommand(std::string(GARDEFOU_BINARY) + " audit verify --db '" + db.string() + "'");
}

class AuditVerifyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    Scenario s = BuildScenario(server_->grading());
    v1::Decision decision;
    ASSERT_TRUE(server_->grading().SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s),
                                           &decision).ok());
    server_->Stop();
    db_ = server_->db_path();
  }
  std::unique_ptr<TestServer> server_;  // keeps the temporary directory alive
  std::filesystem::path db_;
};

TEST_F(AuditVerifyCli, AnUntouchedTrailVerifies) {
  RunResult r = VerifyDb(db_);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("OK: 8 events verified"), std::string::npos) << r.output;
}

TEST_F(AuditVerifyCli, AnEditedRowIsReported) {
  TamperWith(db_, "UPDATE audit_events SET details_json = replace(details_json, "
              "'\"attest_copy_read\":true', '\"attest_copy_read\":false') WHERE seq = 8;");
  RunResult r = VerifyDb(db_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("first bad event 8"), std::string::npos) << r.output;
}

TEST_F(AuditVerifyCli, ADeletedRowIsReported) {
  TamperWith(db_, "DELETE FROM audit_events WHERE seq = 4;");
  RunResult r = VerifyDb(db_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("first bad event 4"), std::string::npos) << r.output;
}

TEST_F(AuditVerifyCli, SwappedRowsAreReported) {
  // Exchange the contents of events 2 and 5, each keeping its position.
  TamperWith(db_,
         "CREATE TEMP TABLE t AS SELECT * FROM audit_events WHERE seq IN (2, 5);"
         "DELETE FROM audit_events WHERE seq IN (2, 5);"
         "INSERT INTO audit_events SELECT CASE seq WHEN 2 THEN 5 ELSE 2 END, time_us, tenant, "
         "actor_id, actor_role, action, objects_json, policy_hash, details_json, prev_hash, hash "
         "FROM t;");
  RunResult r = VerifyDb(db_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("first bad event 2"), std::string::npos) << r.output;
}

TEST_F(AuditVerifyCli, AMissingDatabaseIsAnErrorNotASuccess) {
  RunResult r = VerifyDb(db_.parent_path() / "nope.db");
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace gardefou::testing
