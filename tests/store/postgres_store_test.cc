// What only the PostgreSQL engine has to guard, against a throw-away cluster: a writer held up
// by a lock gives up with UNAVAILABLE and writes nothing; an instance refuses a role that could
// disable the trail's protection, and a trail whose triggers were dropped; a password with
// URI-special characters never shows; a NUL byte in a value is refused, not cut.
#include <gtest/gtest.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "service/audit/trail_writer.h"
#include "service/store/postgresql/connection.h"
#include "service/store/store.h"
#include "tests/support/postgres_cluster.h"

namespace gardefou::store {
namespace {

using testing::PostgresCluster;

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<PostgresCluster>> started = PostgresCluster::Start();
    ASSERT_TRUE(started.ok()) << "the PostgreSQL cluster did not start: " << started.status();
    cluster_ = *std::move(started);
    absl::StatusOr<std::unique_ptr<Store>> owner = OpenStoreAsOwner(cluster_->OwnerUri());
    ASSERT_TRUE(owner.ok()) << owner.status();
  }

  absl::Status AsOwner(const std::string& sql) {
    absl::StatusOr<std::unique_ptr<PgConnection>> conn = PgConnection::Open(cluster_->OwnerUri());
    if (!conn.ok()) return conn.status();
    return (*conn)->Exec(sql);
  }

  std::unique_ptr<PostgresCluster> cluster_;
};

model::AuditEventRecord Event() {
  model::AuditEventRecord e;
  e.time_us = 1;
  e.tenant = "T1";
  e.actor_id = "t-1";
  e.actor_role = "teacher";
  e.action = "COPY_SUBMITTED";
  e.policy_hash = std::string(64, 'a');
  return e;
}

TEST_F(PostgresStoreTest, AWriterHeldUpTooLongGivesUpWithUnavailableAndWritesNothing) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(cluster_->ServiceUri());
  ASSERT_TRUE(store.ok()) << store.status();
  // Another instance, stuck inside a write transaction.
  absl::StatusOr<std::unique_ptr<PgConnection>> stuck = PgConnection::Open(cluster_->ServiceUri());
  ASSERT_TRUE(stuck.ok());
  ASSERT_TRUE((*stuck)->Exec("BEGIN; SELECT 1 FROM gardefou_write_lock WHERE id = 1 FOR UPDATE")
                  .ok());
  const auto start = std::chrono::steady_clock::now();
  const absl::Status held = (*store)->Write([](Session& s) {
    return audit::AppendEvent(s, Event()).status();
  });
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(held.code(), absl::StatusCode::kUnavailable) << held;
  EXPECT_GE(waited, std::chrono::seconds(9));
  EXPECT_LE(waited, std::chrono::seconds(20));
  ASSERT_TRUE((*stuck)->Exec("ROLLBACK").ok());
  ASSERT_TRUE((*store)->Read([](Session& s) -> absl::Status {
    EXPECT_EQ(s.Head()->seq, 0);
    return absl::OkStatus();
  }).ok());
  // Once the lock is free, the same write goes through.
  EXPECT_TRUE((*store)->Write([](Session& s) {
    return audit::AppendEvent(s, Event()).status();
  }).ok());
}

TEST_F(PostgresStoreTest, AnAdvisoryLockTakenByAnyRoleDoesNotStopTheWriters) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(cluster_->ServiceUri());
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<std::unique_ptr<PgConnection>> other =
      PgConnection::Open(cluster_->ConnInfo(PostgresCluster::kServiceDatabase));
  ASSERT_TRUE(other.ok());
  for (int key = 0; key < 4; ++key) {
    ASSERT_TRUE((*other)->Exec(absl::StrCat("SELECT pg_advisory_lock(1734439524, ", key, ")")).ok());
  }
  EXPECT_TRUE((*store)->Write([](Session& s) {
    return audit::AppendEvent(s, Event()).status();
  }).ok());
}

TEST_F(PostgresStoreTest, AnInstanceRefusesARoleThatCouldDisableTheTrailsProtection) {
  // The owner: could DISABLE TRIGGER.
  absl::StatusOr<std::unique_ptr<Store>> owner = OpenStore(cluster_->OwnerUri());
  EXPECT_EQ(owner.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(owner.status().message().find("could disable the trail's protection"),
            std::string::npos)
      << owner.status();
  // A service role given CREATE in the schema: could shadow the tables.
  ASSERT_TRUE(AsOwner("GRANT CREATE ON SCHEMA public TO gardefou").ok());
  EXPECT_EQ(OpenStore(cluster_->ServiceUri()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(AsOwner("REVOKE CREATE ON SCHEMA public FROM gardefou").ok());
  EXPECT_TRUE(OpenStore(cluster_->ServiceUri()).ok());
  // A trigger disabled by the owner: the instance will not serve on that trail.
  ASSERT_TRUE(AsOwner("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only").ok());
  absl::StatusOr<std::unique_ptr<Store>> unguarded = OpenStore(cluster_->ServiceUri());
  EXPECT_EQ(unguarded.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(unguarded.status().message().find("missing or disabled"), std::string::npos)
      << unguarded.status();
}

TEST_F(PostgresStoreTest, AnInstanceNeverMigratesTheSchema) {
  ASSERT_TRUE(AsOwner("UPDATE gardefou_schema SET version = 0").ok());
  absl::StatusOr<std::unique_ptr<Store>> behind = OpenStore(cluster_->ServiceUri());
  EXPECT_EQ(behind.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(behind.status().message().find("store migrate"), std::string::npos) << behind.status();
}

TEST_F(PostgresStoreTest, APasswordWithUriCharactersNeverShows) {
  const std::string password = "p?w/#x@y:z";
  absl::StatusOr<std::unique_ptr<PgConnection>> superuser =
      PgConnection::Open(cluster_->ConnInfo(PostgresCluster::kServiceDatabase));
  ASSERT_TRUE(superuser.ok());
  ASSERT_TRUE(
      (*superuser)->Exec(absl::StrCat("ALTER ROLE gardefou PASSWORD '", password, "'")).ok());
  // Percent-encoded, as a URI needs it, and a wrong one.
  const std::string encoded = "p%3Fw%2F%23x%40y%3Az";
  for (const std::string& given : {encoded, std::string("p%3Fw%2F%23x%40y%3Aq")}) {
    const std::string uri = absl::StrReplaceAll(
        cluster_->ServiceUri(), {{cluster_->ServicePassword(), given}});
    const std::string shown = DescribeStore(uri);
    EXPECT_EQ(shown.find("p?w"), std::string::npos) << shown;
    EXPECT_EQ(shown.find("p%3F"), std::string::npos) << shown;
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(uri);
    if (!store.ok()) {
      EXPECT_EQ(store.status().message().find("p?w"), std::string::npos) << store.status();
      EXPECT_EQ(store.status().message().find("p%3F"), std::string::npos) << store.status();
    }
    EXPECT_EQ(store.ok(), given == encoded) << store.status();
  }
}

TEST_F(PostgresStoreTest, ANulByteInAValueIsRefusedNotCut) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(cluster_->ServiceUri());
  ASSERT_TRUE(store.ok()) << store.status();
  model::AuditEventRecord event = Event();
  event.actor_id = std::string("t-1\0hidden", 10);
  const absl::Status refused = (*store)->Write([&](Session& s) {
    return audit::AppendEvent(s, event).status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument) << refused;
  ASSERT_TRUE((*store)->Read([](Session& s) -> absl::Status {
    EXPECT_EQ(s.Head()->seq, 0);
    return absl::OkStatus();
  }).ok());
}

}  // namespace
}  // namespace gardefou::store
