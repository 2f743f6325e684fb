// The SQLite engine of the store: one file, a single writer connection (one transaction per
// Write, synchronous=FULL) and a small pool of reader connections, each read in its own
// snapshot. Every SQL statement of this engine lives in sqlite_store.cc.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "service/store/sqlite/database.h"
#include "service/store/connection_pool.h"
#include "service/store/store.h"

namespace gardefou::store {

// The operations of store::Session (documented there) in SQL.
class SqliteSession final : public Session {
 public:
  explicit SqliteSession(Database& db) : db_(db) {}
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
  Database& db_;
};

class SqliteStore final : public Store {
 public:
  // Opens or creates the database file and migrates it. UNAVAILABLE when the file cannot be
  // opened, FAILED_PRECONDITION when it comes from a newer binary.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                           int readers = 4);
  // Opens an existing file for reading only: no migration, no write lock taken. NOT_FOUND
  // when there is no such file, FAILED_PRECONDITION when its schema is not this binary's.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> OpenForReading(const std::string& path);

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  absl::Status Write(const std::function<absl::Status(Session&)>& body) override;
  absl::Status Read(const std::function<absl::Status(Session&)>& body) override;
  // One process writes a SQLite file: it always leads.
  bool HoldsLeadership() override { return true; }

 private:
  SqliteStore() = default;
  std::mutex write_mu_;
  std::unique_ptr<Database> writer_;
  ConnectionPool<Database> readers_;
};

}  // namespace gardefou::store
