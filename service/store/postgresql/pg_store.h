// The PostgreSQL engine of the store, for several gardefou instances on one database: each
// instance holds one writer connection and a few reader connections. Every write transaction
// first locks the one row of gardefou_write_lock (waiting 10 s at most), so writes are
// serialised across instances as a SQLite file serialises them in one process; reads run in
// REPEATABLE READ READ ONLY snapshots and never wait for it. Every SQL statement of this
// engine lives in pg_session.cc.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "service/store/postgresql/connection.h"
#include "service/store/connection_pool.h"
#include "service/store/store.h"

namespace gardefou::store {

// The operations of store::Session (documented there) in PostgreSQL's SQL.
class PgSession final : public Session {
 public:
  explicit PgSession(PgConnection& conn) : conn_(conn) {}
  absl::Status ReplaceRoster(const std::string& tenant, const model::RosterRecord& roster,
                             int64_t now_us) override;
  absl::StatusOr<model::RosterRecord> LoadRoster(const std::string& tenant,
                                                 const std::string& class_id) override;
  absl::StatusOr<bool> HasPerson(const std::string& tenant, const std::string& class_id,
                                 absl::string_view kind, const std::string& person_id) override;
  absl::Status InsertAssignment(const std::string& tenant,
                                const model::AssignmentRecord& assignment) override;
  absl::StatusOr<model::AssignmentRecord> FindAssignment(const std::string& tenant,
                                                         const std::string& assignment_id) override;
  absl::Status InsertCopy(const std::string& tenant, const model::CopyRecord& copy) override;
  absl::StatusOr<model::CopyRecord> FindCopy(const std::string& tenant, const std::string& copy_id,
                                             bool with_text) override;
  absl::Status SetCopyState(const std::string& tenant, const std::string& copy_id,
                            model::CopyState state) override;
  absl::Status InsertSuggestion(const std::string& tenant,
                                const model::SuggestionRecord& suggestion) override;
  absl::StatusOr<model::SuggestionRecord> FindSuggestion(const std::string& tenant,
                                                         const std::string& suggestion_id) override;
  absl::Status InsertReview(const std::string& tenant, const model::ReviewRecord& review) override;
  absl::StatusOr<model::ReviewRecord> FindReview(const std::string& tenant,
                                                 const std::string& review_id) override;
  absl::Status CloseReview(const std::string& tenant, const std::string& review_id,
                           int64_t closed_at_us) override;
  absl::Status InsertDecision(const std::string& tenant,
                              const model::DecisionRecord& decision) override;
  absl::StatusOr<model::DecisionRecord> FindDecision(const std::string& tenant,
                                                     const std::string& decision_id) override;
  absl::StatusOr<std::optional<model::DecisionRecord>> FindActiveDecision(
      const std::string& tenant, const std::string& copy_id) override;
  absl::Status SupersedeDecision(const std::string& tenant,
                                 const std::string& decision_id) override;
  absl::StatusOr<std::vector<std::pair<int64_t, model::DecisionRecord>>> ListDecisions(
      const std::string& tenant, const std::string& assignment_id, bool include_superseded,
      int64_t after_pos, int limit) override;
  absl::Status InsertProvisionalScores(const std::string& tenant,
                                       const model::ProvisionalScoresRecord& scores) override;
  absl::StatusOr<std::optional<model::ProvisionalScoresRecord>> FindProvisionalScores(
      const std::string& tenant, const std::string& copy_id) override;
  absl::Status RecordFamiliesInformed(const std::string& tenant,
                                      const model::FamiliesInformedRecord& record) override;
  absl::StatusOr<std::optional<model::FamiliesInformedRecord>> FindFamiliesInformed(
      const std::string& tenant, const std::string& class_id) override;
  absl::Status InsertObjection(const std::string& tenant,
                               const model::ObjectionRecord& objection) override;
  absl::Status UpdateObjection(const std::string& tenant,
                               const model::ObjectionRecord& objection) override;
  absl::StatusOr<model::ObjectionRecord> FindObjection(const std::string& tenant,
                                                       const std::string& objection_id) override;
  absl::StatusOr<std::vector<model::ObjectionRecord>> ListObjections(
      const std::string& tenant, const std::string& class_id,
      const std::string& student_id) override;
  absl::Status AppendRelease(const std::string& tenant,
                             const model::ReleaseRecord& release) override;
  absl::StatusOr<int64_t> LastReleaseTime(const std::string& tenant,
                                          const std::string& assignment_id,
                                          const std::string& student_id) override;
  absl::StatusOr<std::vector<model::ReleaseRecord>> ListReleases(
      const std::string& tenant, int64_t after_cursor, const std::string& assignment_id,
      int limit) override;
  absl::StatusOr<std::optional<IdempotentReply>> FindReply(const std::string& tenant,
                                                           const std::string& method,
                                                           const std::string& request_id) override;
  absl::Status RecordReply(const std::string& tenant, const std::string& method,
                           const std::string& request_id, const IdempotentReply& reply,
                           int64_t now_us) override;
  absl::StatusOr<audit::ChainHead> Head() override;
  absl::Status InsertEvent(const model::AuditEventRecord& event) override;
  absl::Status ForEachAuditEvent(const std::function<void(const model::AuditEventRecord&)>& visit,
                                 int64_t after_seq = 0) override;
  absl::StatusOr<uint64_t> TreeSize() override;
  audit::NodeReader TreeNodes() override;
  absl::Status InsertNode(int level, uint64_t index, const audit::Hash& hash) override;
  absl::StatusOr<std::vector<model::AuditEventRecord>> ListAuditEvents(
      const AuditQuery& query) override;
  absl::StatusOr<std::optional<model::AuditEventRecord>> FindAuditEvent(int64_t seq) override;
  absl::Status InsertCheckpoint(const model::CheckpointRecord& checkpoint) override;
  absl::StatusOr<std::optional<model::CheckpointRecord>> LatestCheckpoint() override;
  absl::StatusOr<std::vector<model::CheckpointRecord>> ListCheckpoints() override;
  absl::Status ForEachRow(
      const TableSpec& table,
      const std::function<absl::Status(const std::vector<std::string>&)>& visit) override;
  absl::Status InsertRow(const TableSpec& table, const std::vector<std::string>& values) override;

 private:
  PgConnection& conn_;
};

class PgStore final : public Store {
 public:
  // Connects with a libpq URI or conninfo (password from PGPASSWORD, a passfile or the URI).
  // As a service (`serve`): never changes the schema, and refuses (FAILED_PRECONDITION) a
  // schema that is not this binary's or a role that could disable the trail's protection
  // (CheckServiceRole). As the owner (`store migrate`, `store copy`): creates or migrates the
  // schema first.
  enum class Role { kService, kOwner };
  static absl::StatusOr<std::unique_ptr<PgStore>> Open(const std::string& conninfo, Role role,
                                                       int readers = 4);
  // Connects for reading only: no migration; FAILED_PRECONDITION when the schema is not this
  // binary's.
  static absl::StatusOr<std::unique_ptr<PgStore>> OpenForReading(const std::string& conninfo);

  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;

  absl::Status Write(const std::function<absl::Status(Session&)>& body) override;
  absl::Status Read(const std::function<absl::Status(Session&)>& body) override;
  // Holds a session-level advisory lock on a connection of its own; PostgreSQL releases it
  // when that connection ends, so another instance takes over when this one dies.
  bool HoldsLeadership() override;

 private:
  PgStore() = default;
  std::string conninfo_;
  std::mutex write_mu_;
  std::unique_ptr<PgConnection> writer_;
  ConnectionPool<PgConnection> readers_;
  std::mutex leader_mu_;
  std::unique_ptr<PgConnection> leader_;
  bool leading_ = false;
};

}  // namespace gardefou::store
