// Unit tests of the store on real SQLite files: pragmas, migrations, tenant scoping,
// all-or-nothing transactions, the guards on decisions and the audit table, and file modes.
#include "service/store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "service/audit/trail_writer.h"
#include "service/store/sqlite/schema.h"
#include "service/store/sqlite/sqlite_store.h"
#include "tests/support/file_modes.h"
#include "tests/support/test_server.h"

namespace gardefou::store {
namespace {

using testing::TempDir;

int64_t QueryInt(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  const int64_t v = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return v;
}

int Exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

model::RosterRecord Roster() {
  model::RosterRecord r;
  r.class_id = "3B";
  r.school.name = "Collège";
  r.teachers.push_back({"t-1", "A", "B", "Mme", "", {}});
  r.students.push_back({"s-1", "C", "D", "", "123456789AB", {"CC"}});
  return r;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (dir_.path() / "store.db").string();
    auto opened = SqliteStore::Open(path_);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(opened).value();
  }
  TempDir dir_;
  std::string path_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(StoreTest, OpensWithWalAndCurrentSchema) {
  EXPECT_EQ(QueryInt(path_, "PRAGMA user_version"), CurrentSchemaVersion());
  sqlite3* db = nullptr;
  sqlite3_open(path_.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST(StoreFiles, TheDatabaseAndItsWalAndShmArePrivateUnderAnUmaskOf022) {
  testing::ScopedUmask umask(0022);
  TempDir dir;
  const std::string path = (dir.path() / "private.db").string();
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->Write([](Session& s) { return s.ReplaceRoster("T", Roster(), 1); }).ok());
  for (const char* suffix : {"", "-wal", "-shm"}) {
    EXPECT_EQ(testing::ModeOf(path + suffix), 0600) << "the file" << suffix;
  }
}

TEST_F(StoreTest, SessionPragmasAreDurableWithForeignKeys) {
  ASSERT_TRUE(store_->Write([](Session&) { return absl::OkStatus(); }).ok());
  auto db = Database::Open(path_);
  ASSERT_TRUE(db.ok());
  auto stmt = (*db)->Prepare("PRAGMA synchronous");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE(*(*stmt)->Step());
  EXPECT_EQ((*stmt)->ColumnInt(0), 2);  // FULL
  stmt = (*db)->Prepare("PRAGMA foreign_keys");
  ASSERT_TRUE(*(*stmt)->Step());
  EXPECT_EQ((*stmt)->ColumnInt(0), 1);
}

TEST_F(StoreTest, ReopeningKeepsDataAndDoesNotRemigrate) {
  ASSERT_TRUE(store_->Write([](Session& s) { return s.ReplaceRoster("T", Roster(), 1); }).ok());
  store_.reset();
  auto reopened = SqliteStore::Open(path_);
  ASSERT_TRUE(reopened.ok());
  ASSERT_TRUE((*reopened)->Read([](Session& s) { return s.LoadRoster("T", "3B").status(); }).ok());
}

TEST_F(StoreTest, RefusesADatabaseFromANewerBinary) {
  store_.reset();
  ASSERT_EQ(Exec(path_, "PRAGMA user_version = 99"), SQLITE_OK);
  auto opened = SqliteStore::Open(path_);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(StoreTest, ObjectsAreScopedByTenant) {
  ASSERT_TRUE(store_->Write([](Session& s) { return s.ReplaceRoster("T1", Roster(), 1); }).ok());
  absl::Status other = store_->Read([](Session& s) { return s.LoadRoster("T2", "3B").status(); });
  EXPECT_EQ(other.code(), absl::StatusCode::kNotFound);
  absl::StatusOr<bool> has = false;
  ASSERT_TRUE(store_->Read([&](Session& s) {
    has = s.HasPerson("T2", "3B", "student", "s-1");
    return has.status();
  }).ok());
  EXPECT_FALSE(*has);
}

TEST_F(StoreTest, AFailingWriteLeavesNothingBehind) {
  absl::Status st = store_->Write([](Session& s) -> absl::Status {
    if (auto r = s.ReplaceRoster("T", Roster(), 1); !r.ok()) return r;
    model::AuditEventRecord e;
    e.tenant = "T";
    e.action = "X";
    if (auto a = audit::AppendEvent(s, e); !a.ok()) return a.status();
    return absl::InvalidArgumentError("refused after writing");
  });
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM roster_classes"), 0);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM audit_events"), 0);
}

TEST_F(StoreTest, ReadersSeeCommittedWrites) {
  ASSERT_TRUE(store_->Read([](Session& s) {
    return s.LoadRoster("T", "3B").status().code() == absl::StatusCode::kNotFound
               ? absl::OkStatus()
               : absl::InternalError("unexpected");
  }).ok());
  ASSERT_TRUE(store_->Write([](Session& s) { return s.ReplaceRoster("T", Roster(), 1); }).ok());
  EXPECT_TRUE(store_->Read([](Session& s) { return s.LoadRoster("T", "3B").status(); }).ok());
}

TEST_F(StoreTest, ReadSessionsCannotWrite) {
  absl::Status st = store_->Read([](Session& s) { return s.ReplaceRoster("T", Roster(), 1); });
  EXPECT_FALSE(st.ok());
}

TEST_F(StoreTest, AuditTableRefusesUpdatesAndDeletes) {
  ASSERT_TRUE(store_->Write([](Session& s) {
    model::AuditEventRecord e;
    e.tenant = "T";
    e.action = "X";
    return audit::AppendEvent(s, e).status();
  }).ok());
  EXPECT_NE(Exec(path_, "UPDATE audit_events SET action = 'Y'"), SQLITE_OK);
  EXPECT_NE(Exec(path_, "DELETE FROM audit_events"), SQLITE_OK);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM audit_events WHERE action = 'X'"), 1);
}

TEST_F(StoreTest, DecisionsAreImmutableExceptForBeingSuperseded) {
  ASSERT_TRUE(store_->Write([](Session& s) -> absl::Status {
    if (auto st = s.ReplaceRoster("T", Roster(), 1); !st.ok()) return st;
    model::AssignmentRecord a;
    a.id = "as-1";
    a.class_id = "3B";
    if (auto st = s.InsertAssignment("T", a); !st.ok()) return st;
    model::CopyRecord c;
    c.id = "cp-1";
    c.assignment_id = "as-1";
    c.student_id = "s-1";
    if (auto st = s.InsertCopy("T", c); !st.ok()) return st;
    model::DecisionRecord d;
    d.id = "dc-1";
    d.copy_id = "cp-1";
    d.assignment_id = "as-1";
    return s.InsertDecision("T", d);
  }).ok());
  EXPECT_NE(Exec(path_, "UPDATE decisions SET content_json = '{}'"), SQLITE_OK);
  EXPECT_NE(Exec(path_, "DELETE FROM decisions"), SQLITE_OK);
  EXPECT_EQ(Exec(path_, "UPDATE decisions SET active = 0"), SQLITE_OK);
  EXPECT_NE(Exec(path_, "UPDATE decisions SET active = 1"), SQLITE_OK);  // no resurrection
}

TEST_F(StoreTest, ForeignKeysRejectACopyOfAnUnknownAssignment) {
  absl::Status st = store_->Write([](Session& s) {
    model::CopyRecord c;
    c.id = "cp-1";
    c.assignment_id = "as-missing";
    return s.InsertCopy("T", c);
  });
  EXPECT_FALSE(st.ok());
}

}  // namespace
}  // namespace gardefou::store
