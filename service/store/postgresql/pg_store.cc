// The PostgreSQL engine's connections: the writer (one transaction at a time, under the
// cluster-wide write lock), the readers' pool, and the leadership connection.
#include "service/store/postgresql/pg_store.h"

#include "absl/strings/str_cat.h"
#include "service/audit/trail_writer.h"
#include "service/common/status_macros.h"
#include "service/store/postgresql/pg_locks.h"
#include "service/store/postgresql/pg_schema.h"

namespace gardefou::store {
namespace {

// A connection that the server dropped (a restart, a failover) is reopened before use; the
// transaction it was in is lost, as its caller was told.
absl::Status Usable(PgConnection& conn) {
  return conn.Connected() ? absl::OkStatus() : conn.Reconnect();
}

// `begin` on `conn`, reconnecting once when the server went away since its last use (a
// restart, a failover): nothing of the transaction ran yet, so trying again is safe.
absl::StatusOr<std::unique_ptr<PgTransaction>> BeginOn(PgConnection& conn,
                                                       absl::string_view begin = "BEGIN") {
  RETURN_IF_ERROR(Usable(conn));
  absl::StatusOr<std::unique_ptr<PgTransaction>> tx = PgTransaction::Begin(conn, begin);
  if (!absl::IsUnavailable(tx.status()) || !conn.Reconnect().ok()) return tx;
  return PgTransaction::Begin(conn, begin);
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgStore>> PgStore::Open(const std::string& conninfo, Role role,
                                                       int readers) {
  std::unique_ptr<PgStore> store(new PgStore());
  store->conninfo_ = conninfo;
  ASSIGN_OR_RETURN(store->writer_, PgConnection::Open(conninfo));
  RETURN_IF_ERROR(role == Role::kOwner ? MigratePg(*store->writer_)
                                       : CheckServiceRole(*store->writer_));
  RETURN_IF_ERROR(store->Write([](Session& session) { return audit::CatchUpTree(session); }));
  for (int i = 0; i < std::max(1, readers); ++i) {
    ASSIGN_OR_RETURN(auto reader, PgConnection::Open(conninfo));
    store->readers_.Add(std::move(reader));
  }
  return store;
}

absl::StatusOr<std::unique_ptr<PgStore>> PgStore::OpenForReading(const std::string& conninfo) {
  std::unique_ptr<PgStore> store(new PgStore());
  store->conninfo_ = conninfo;
  ASSIGN_OR_RETURN(auto reader, PgConnection::Open(conninfo));
  ASSIGN_OR_RETURN(int version, PgSchemaVersion(*reader));
  if (version == 0) return absl::NotFoundError("this PostgreSQL database holds no gardefou store");
  if (version != CurrentPgSchemaVersion()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the PostgreSQL store has schema version ", version, ", this binary reads ",
        CurrentPgSchemaVersion(), ": migrate it with this version's `gardefou store migrate`"));
  }
  store->readers_.Add(std::move(reader));
  return store;
}

absl::Status PgStore::Write(const std::function<absl::Status(Session&)>& body) {
  if (writer_ == nullptr) {
    return absl::FailedPreconditionError("this store was opened for reading only");
  }
  std::lock_guard<std::mutex> lock(write_mu_);
  ASSIGN_OR_RETURN(auto tx, BeginOn(*writer_));
  // Waiting longer means another instance hangs with the lock: UNAVAILABLE, retry later.
  RETURN_IF_ERROR(writer_->Exec(
      "SET LOCAL lock_timeout = '10s'; "
      "SELECT 1 FROM gardefou_write_lock WHERE id = 1 FOR UPDATE"));
  PgSession session(*writer_);
  RETURN_IF_ERROR(body(session));
  return tx->Commit();
}

absl::Status PgStore::Read(const std::function<absl::Status(Session&)>& body) {
  ConnectionPool<PgConnection>::Lease conn = readers_.Borrow();
  // Never committed: the transaction rolls back when the snapshot ends, nothing to keep.
  ASSIGN_OR_RETURN(auto snapshot,
                   BeginOn(*conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  PgSession session(*conn);
  return body(session);
}

bool PgStore::HoldsLeadership() {
  std::lock_guard<std::mutex> lock(leader_mu_);
  if (leader_ == nullptr) {
    absl::StatusOr<std::unique_ptr<PgConnection>> conn = PgConnection::Open(conninfo_);
    if (!conn.ok()) return false;
    leader_ = *std::move(conn);
  }
  if (!leader_->Connected()) {
    leading_ = false;  // the lock went with the connection
    if (!leader_->Reconnect().ok()) return false;
  }
  if (leading_) {
    // A lock on a connection the server has dropped is a lock no more: ask.
    leading_ = leader_->Exec("SELECT 1").ok();
    return leading_;
  }
  absl::StatusOr<PgResult> taken = leader_->Query(
      absl::StrCat("SELECT pg_try_advisory_lock(", kLockSpace, ", ", kLeaderLock, ")"));
  leading_ = taken.ok() && taken->Rows() == 1 && taken->Text(0, 0) == "t";
  return leading_;
}

}  // namespace gardefou::store
