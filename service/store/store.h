// The store: every SQL statement of gardefou lives behind this interface.
//
// One SQLite file. Writes go through a single writer connection, one transaction per call
// (Store::Write); reads use a small pool of reader connections, each read in its own snapshot
// (Store::Read). Every method of Session that looks an object up is scoped by tenant: an object
// of another tenant is reported exactly like a missing one (NOT_FOUND).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/audit/merkle.h"
#include "service/audit/trail_repository.h"
#include "service/store/records.h"
#include "service/store/sqlite.h"

namespace gardefou::store {

// The operations available inside one read or write transaction. Not thread-safe; only
// valid inside the callback given to Store::Read or Store::Write.
class Session : public audit::TrailRepository {
 public:
  explicit Session(Database& db) : db_(db) {}

  // Roster: replaces the whole class (people not listed are removed).
  absl::Status ReplaceRoster(const std::string& tenant, const model::RosterRecord& roster,
                             int64_t now_us);
  // NOT_FOUND when the class has no roster in this tenant.
  absl::StatusOr<model::RosterRecord> LoadRoster(const std::string& tenant, const std::string& class_id);

  // True when `person_id` is a `kind` ("student" or "teacher") of the class's roster.
  absl::StatusOr<bool> HasPerson(const std::string& tenant, const std::string& class_id,
                                 absl::string_view kind, const std::string& person_id);

  absl::Status InsertAssignment(const std::string& tenant, const model::AssignmentRecord& assignment);
  // NOT_FOUND when absent or of another tenant.
  absl::StatusOr<model::AssignmentRecord> FindAssignment(const std::string& tenant,
                                                  const std::string& assignment_id);

  absl::Status InsertCopy(const std::string& tenant, const model::CopyRecord& copy);
  // NOT_FOUND when absent or of another tenant. The text is loaded only when `with_text`.
  absl::StatusOr<model::CopyRecord> FindCopy(const std::string& tenant, const std::string& copy_id,
                                      bool with_text);
  absl::Status SetCopyState(const std::string& tenant, const std::string& copy_id,
                            model::CopyState state);

  absl::Status InsertSuggestion(const std::string& tenant, const model::SuggestionRecord& suggestion);
  // NOT_FOUND when absent or of another tenant.
  absl::StatusOr<model::SuggestionRecord> FindSuggestion(const std::string& tenant,
                                                  const std::string& suggestion_id);

  absl::Status InsertReview(const std::string& tenant, const model::ReviewRecord& review);
  // NOT_FOUND when absent or of another tenant.
  absl::StatusOr<model::ReviewRecord> FindReview(const std::string& tenant, const std::string& review_id);
  absl::Status CloseReview(const std::string& tenant, const std::string& review_id,
                           int64_t closed_at_us);

  absl::Status InsertDecision(const std::string& tenant, const model::DecisionRecord& decision);
  // NOT_FOUND when absent or of another tenant.
  absl::StatusOr<model::DecisionRecord> FindDecision(const std::string& tenant,
                                              const std::string& decision_id);
  // The ACTIVE decision of a copy, or nullopt when the copy has none.
  absl::StatusOr<std::optional<model::DecisionRecord>> FindActiveDecision(const std::string& tenant,
                                                                   const std::string& copy_id);
  // Marks an active decision SUPERSEDED (the only change a decision ever undergoes).
  absl::Status SupersedeDecision(const std::string& tenant, const std::string& decision_id);
  // Decisions of an assignment in signing order, after the internal position `after_pos`.
  // Each comes with its position, to build page tokens.
  absl::StatusOr<std::vector<std::pair<int64_t, model::DecisionRecord>>> ListDecisions(
      const std::string& tenant, const std::string& assignment_id, bool include_superseded,
      int64_t after_pos, int limit);

  // The first answer given to (tenant, method, request_id), or nullopt.
  absl::StatusOr<std::optional<IdempotentReply>> FindReply(const std::string& tenant,
                                                           const std::string& method,
                                                           const std::string& request_id);
  absl::Status RecordReply(const std::string& tenant, const std::string& method,
                           const std::string& request_id, const IdempotentReply& reply,
                           int64_t now_us);

  // The trail's repository (audit/trail_repository.h): audit::AppendEvent extends the chain
  // and the Merkle tree through these, in this session's transaction.
  absl::StatusOr<audit::ChainHead> Head() override;
  absl::Status InsertEvent(const model::AuditEventRecord& event) override;
  absl::Status ForEachAuditEvent(const std::function<void(const model::AuditEventRecord&)>& visit,
                                 int64_t after_seq = 0) override;
  absl::StatusOr<uint64_t> TreeSize() override;
  audit::NodeReader TreeNodes() override;
  absl::Status InsertNode(int level, uint64_t index, const audit::Hash& hash) override;

  // Events matching `query`, in sequence order.
  absl::StatusOr<std::vector<model::AuditEventRecord>> ListAuditEvents(const AuditQuery& query);
  // The event of sequence number `seq` in any tenant, or nullopt.
  absl::StatusOr<std::optional<model::AuditEventRecord>> FindAuditEvent(int64_t seq);

  absl::Status InsertCheckpoint(const model::CheckpointRecord& checkpoint);
  // The largest checkpoint, or nullopt.
  absl::StatusOr<std::optional<model::CheckpointRecord>> LatestCheckpoint();
  // Every checkpoint, smallest tree first.
  absl::StatusOr<std::vector<model::CheckpointRecord>> ListCheckpoints();

 private:
  Database& db_;
};

class Store {
 public:
  // Opens or creates the database file and migrates it. UNAVAILABLE when the file cannot be
  // opened, FAILED_PRECONDITION when it comes from a newer binary.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path, int readers = 4);
  // Opens an existing file for reading only (the inspector's tools): no migration, no write
  // lock taken, so it works beside a running server. NOT_FOUND when there is no such file,
  // FAILED_PRECONDITION when its schema is not this binary's. Write() then fails.
  static absl::StatusOr<std::unique_ptr<Store>> OpenForReading(const std::string& path);

  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Runs `body` in one write transaction: everything it did is committed (durably, with
  // synchronous=FULL) when it returns OK, and nothing when it returns an error.
  // FAILED_PRECONDITION on a store opened for reading.
  absl::Status Write(const std::function<absl::Status(Session&)>& body);

  // Runs `body` on a consistent snapshot. Writes attempted inside fail.
  absl::Status Read(const std::function<absl::Status(Session&)>& body);

 private:
  Store() = default;
  std::mutex write_mu_;
  std::unique_ptr<Database> writer_;
  std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::vector<std::unique_ptr<Database>> readers_;
  std::vector<Database*> free_readers_;
};

}  // namespace gardefou::store
