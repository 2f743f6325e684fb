// Tests of the libpq wrapper against a throw-away PostgreSQL cluster: parameters and NULLs,
// SQLSTATE mapping (unique violation, missing privilege), transactions that roll back unless
// committed, a refused password kept out of the message, and the cluster's own cleanup.
#include "service/store/postgresql/connection.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/support/postgres_cluster.h"

namespace gardefou::store {
namespace {

using testing::PostgresCluster;

class PostgresConnectionTest : public ::testing::Test {
 protected:
  // One cluster per process (ctest runs each test in a process of its own).
  static void SetUpTestSuite() {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::unique_ptr<PostgresCluster>> started = PostgresCluster::Start();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    std::cout << "PostgreSQL cluster started in " << ms.count() << " ms\n";
    if (started.ok()) {
      cluster_ = std::move(*started).release();
    } else {
      start_status_ = new absl::Status(started.status());
    }
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
    delete start_status_;
    start_status_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(cluster_, nullptr) << "the PostgreSQL cluster did not start: " << *start_status_;
    absl::StatusOr<std::unique_ptr<PgConnection>> conn =
        PgConnection::Open(cluster_->ConnInfo(PostgresCluster::kServiceDatabase));
    ASSERT_TRUE(conn.ok()) << conn.status();
    admin_ = std::move(*conn);
    // Each test gets a fresh table, whatever the previous one left.
    ASSERT_TRUE(admin_->Exec("DROP TABLE IF EXISTS events; "
                             "CREATE TABLE events (id TEXT PRIMARY KEY, body TEXT, n BIGINT)")
                    .ok());
  }

  // A connection of the service role, with INSERT and SELECT only on `events`.
  std::unique_ptr<PgConnection> ServiceConnection() {
    EXPECT_TRUE(admin_->Exec("GRANT INSERT, SELECT ON events TO gardefou").ok());
    absl::StatusOr<std::unique_ptr<PgConnection>> conn = PgConnection::Open(cluster_->ConnInfoAs(
        PostgresCluster::kServiceRole, cluster_->ServicePassword(),
        PostgresCluster::kServiceDatabase));
    EXPECT_TRUE(conn.ok()) << conn.status();
    return conn.ok() ? std::move(*conn) : nullptr;
  }

  int64_t CountEvents() {
    absl::StatusOr<PgResult> count = admin_->Query("SELECT count(*) FROM events");
    EXPECT_TRUE(count.ok()) << count.status();
    return count.ok() ? std::stoll(count->Text(0, 0)) : -1;
  }

  static PostgresCluster* cluster_;
  static absl::Status* start_status_;
  std::unique_ptr<PgConnection> admin_;
};

PostgresCluster* PostgresConnectionTest::cluster_ = nullptr;
absl::Status* PostgresConnectionTest::start_status_ = nullptr;

TEST_F(PostgresConnectionTest, InsertsWithParametersAndReadsBack) {
  absl::StatusOr<PgResult> inserted =
      admin_->Query("INSERT INTO events (id, body, n) VALUES ($1, $2, $3), ($4, $5, $6)",
                    {"e1", "it's; DROP TABLE events; --", "42", "e2", std::nullopt, "-7"});
  ASSERT_TRUE(inserted.ok()) << inserted.status();
  EXPECT_EQ(inserted->AffectedRows(), 2);

  absl::StatusOr<PgResult> rows =
      admin_->Query("SELECT id, body, n FROM events WHERE id >= $1 ORDER BY id", {"e1"});
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->Rows(), 2);
  ASSERT_EQ(rows->Columns(), 3);
  EXPECT_EQ(rows->Text(0, 0), "e1");
  EXPECT_EQ(rows->Text(0, 1), "it's; DROP TABLE events; --");
  EXPECT_FALSE(rows->IsNull(0, 1));
  EXPECT_EQ(rows->Text(0, 2), "42");
  EXPECT_TRUE(rows->IsNull(1, 1));
  EXPECT_EQ(rows->Text(1, 1), "");
  EXPECT_EQ(rows->Text(1, 2), "-7");
}

TEST_F(PostgresConnectionTest, UniqueViolationIsAlreadyExistsWithoutTheValue) {
  ASSERT_TRUE(admin_->Query("INSERT INTO events (id) VALUES ($1)", {"secret-id-1"}).ok());
  absl::StatusOr<PgResult> again = admin_->Query("INSERT INTO events (id) VALUES ($1)",
                                                 {"secret-id-1"});
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists) << again.status();
  EXPECT_NE(again.status().message().find("23505"), std::string::npos) << again.status();
  EXPECT_EQ(again.status().message().find("secret-id-1"), std::string::npos) << again.status();
}

TEST_F(PostgresConnectionTest, OtherErrorsAreInternal) {
  EXPECT_EQ(admin_->Exec("SELECT * FROM no_such_table").code(), absl::StatusCode::kInternal);
  EXPECT_EQ(admin_->Query("SELECT $1::bigint", {"not a number"}).status().code(),
            absl::StatusCode::kInternal);
}

TEST_F(PostgresConnectionTest, TransactionNotCommittedLeavesNothing) {
  {
    absl::StatusOr<std::unique_ptr<PgTransaction>> tx = PgTransaction::Begin(*admin_);
    ASSERT_TRUE(tx.ok()) << tx.status();
    ASSERT_TRUE(admin_->Query("INSERT INTO events (id) VALUES ($1)", {"e1"}).ok());
    EXPECT_EQ(CountEvents(), 1);  // visible inside the transaction
  }
  EXPECT_EQ(CountEvents(), 0);

  {
    absl::StatusOr<std::unique_ptr<PgTransaction>> tx = PgTransaction::Begin(*admin_);
    ASSERT_TRUE(tx.ok()) << tx.status();
    ASSERT_TRUE(admin_->Query("INSERT INTO events (id) VALUES ($1)", {"e1"}).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  EXPECT_EQ(CountEvents(), 1);
}

TEST_F(PostgresConnectionTest, CommitAfterAFailedStatementIsAborted) {
  {
    absl::StatusOr<std::unique_ptr<PgTransaction>> tx = PgTransaction::Begin(*admin_);
    ASSERT_TRUE(tx.ok()) << tx.status();
    ASSERT_TRUE(admin_->Query("INSERT INTO events (id) VALUES ($1)", {"e2"}).ok());
    EXPECT_FALSE(admin_->Exec("SELECT * FROM no_such_table").ok());
    EXPECT_EQ((*tx)->Commit().code(), absl::StatusCode::kAborted);
  }
  EXPECT_EQ(CountEvents(), 0);
  // The connection is usable again: the transaction was rolled back.
  EXPECT_TRUE(admin_->Query("INSERT INTO events (id) VALUES ($1)", {"e3"}).ok());
}

TEST_F(PostgresConnectionTest, RoleWithoutUpdateIsPermissionDenied) {
  std::unique_ptr<PgConnection> service = ServiceConnection();
  ASSERT_NE(service, nullptr);
  ASSERT_TRUE(service->Query("INSERT INTO events (id, body) VALUES ($1, $2)", {"e1", "a"}).ok());
  absl::StatusOr<PgResult> read = service->Query("SELECT body FROM events WHERE id = $1", {"e1"});
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->Text(0, 0), "a");

  absl::StatusOr<PgResult> update =
      service->Query("UPDATE events SET body = $1 WHERE id = $2", {"b", "e1"});
  EXPECT_EQ(update.status().code(), absl::StatusCode::kPermissionDenied) << update.status();
  absl::StatusOr<PgResult> del = service->Query("DELETE FROM events WHERE id = $1", {"e1"});
  EXPECT_EQ(del.status().code(), absl::StatusCode::kPermissionDenied) << del.status();
  EXPECT_EQ(service->Exec("TRUNCATE events").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CountEvents(), 1);
}

TEST_F(PostgresConnectionTest, WrongPasswordIsUnavailableAndNotQuoted) {
  const std::string wrong = "Wr0ng-passw0rd-" + cluster_->ServicePassword();
  absl::StatusOr<std::unique_ptr<PgConnection>> conn = PgConnection::Open(
      cluster_->ConnInfoAs(PostgresCluster::kServiceRole, wrong, PostgresCluster::kServiceDatabase));
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(conn.status().message().find("password authentication failed"), std::string::npos)
      << conn.status();
  EXPECT_EQ(conn.status().message().find(wrong), std::string::npos) << conn.status();
  EXPECT_EQ(conn.status().message().find(cluster_->ServicePassword()), std::string::npos);
}

TEST_F(PostgresConnectionTest, MalformedConnInfoDoesNotQuoteThePassword) {
  absl::StatusOr<std::unique_ptr<PgConnection>> conn =
      PgConnection::Open("host=/nowhere password hunter2-secret");
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(conn.status().message().find("hunter2"), std::string::npos) << conn.status();
}

TEST_F(PostgresConnectionTest, NoServerIsUnavailable) {
  absl::StatusOr<std::unique_ptr<PgConnection>> conn =
      PgConnection::Open(absl::StrCat("host=", cluster_->Directory(), "/absent port=1 user=x"));
  EXPECT_EQ(conn.status().code(), absl::StatusCode::kUnavailable) << conn.status();
}

TEST(PgErrorTest, MapsSqlstateClasses) {
  EXPECT_EQ(PgError("23505", "m").code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(PgError("40001", "m").code(), absl::StatusCode::kAborted);
  EXPECT_EQ(PgError("40P01", "m").code(), absl::StatusCode::kAborted);
  EXPECT_EQ(PgError("42501", "m").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(PgError("08006", "m").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(PgError("57P01", "m").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(PgError("23503", "m").code(), absl::StatusCode::kInternal);
  EXPECT_EQ(PgError("42P01", "m").message(), "m (SQLSTATE 42P01)");
}

// The cluster's processes are gone and its directory removed once it is destroyed.
TEST(PostgresClusterTest, StopsAndRemovesItsDirectory) {
  absl::StatusOr<std::unique_ptr<PostgresCluster>> cluster = PostgresCluster::Start();
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  const std::filesystem::path dir = (*cluster)->Directory();
  std::ifstream pid_file(dir / "data" / "postmaster.pid");
  pid_t pid = 0;
  ASSERT_TRUE(pid_file >> pid) << "no postmaster.pid in " << dir;
  ASSERT_EQ(kill(pid, 0), 0) << "the postmaster " << pid << " is not running";
  cluster->reset();
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_EQ(kill(pid, 0), -1) << "the postmaster " << pid << " still runs";
  EXPECT_EQ(errno, ESRCH);
}

}  // namespace
}  // namespace gardefou::store
