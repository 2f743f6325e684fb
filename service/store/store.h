// The store: what the workflow, the audit tools and the server may ask of the database, as an
// interface each engine implements (SQLite under service/store/sqlite/, PostgreSQL under
// service/store/postgresql/). Writes run in one transaction per call (Store::Write), one after
// the other even across processes; reads on a consistent snapshot (Store::Read). Every
// method of Session that looks an object up is scoped by tenant: an object of another tenant
// is reported exactly like a missing one (NOT_FOUND).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/audit/merkle.h"
#include "service/audit/trail_repository.h"
#include "service/store/records.h"
#include "service/store/tables.h"

namespace gardefou::store {

// The operations available inside one read or write transaction. Not thread-safe; only
// valid inside the callback given to Store::Read or Store::Write.
class Session : public audit::TrailRepository {
 public:
  ~Session() override = default;

  // Roster: replaces the whole class (people not listed are removed).
  virtual absl::Status ReplaceRoster(const std::string& tenant, const model::RosterRecord& roster,
                                     int64_t now_us) = 0;
  // NOT_FOUND when the class has no roster in this tenant.
  virtual absl::StatusOr<model::RosterRecord> LoadRoster(const std::string& tenant,
                                                         const std::string& class_id) = 0;

  // True when `person_id` is a `kind` ("student" or "teacher") of the class's roster.
  virtual absl::StatusOr<bool> HasPerson(const std::string& tenant, const std::string& class_id,
                                         absl::string_view kind, const std::string& person_id) = 0;

  virtual absl::Status InsertAssignment(const std::string& tenant,
                                        const model::AssignmentRecord& assignment) = 0;
  // NOT_FOUND when absent or of another tenant.
  virtual absl::StatusOr<model::AssignmentRecord> FindAssignment(
      const std::string& tenant, const std::string& assignment_id) = 0;

  virtual absl::Status InsertCopy(const std::string& tenant, const model::CopyRecord& copy) = 0;
  // NOT_FOUND when absent or of another tenant. The text is loaded only when `with_text`.
  virtual absl::StatusOr<model::CopyRecord> FindCopy(const std::string& tenant,
                                                     const std::string& copy_id,
                                                     bool with_text) = 0;
  virtual absl::Status SetCopyState(const std::string& tenant, const std::string& copy_id,
                                    model::CopyState state) = 0;

  virtual absl::Status InsertSuggestion(const std::string& tenant,
                                        const model::SuggestionRecord& suggestion) = 0;
  // NOT_FOUND when absent or of another tenant.
  virtual absl::StatusOr<model::SuggestionRecord> FindSuggestion(
      const std::string& tenant, const std::string& suggestion_id) = 0;

  virtual absl::Status InsertReview(const std::string& tenant,
                                    const model::ReviewRecord& review) = 0;
  // NOT_FOUND when absent or of another tenant.
  virtual absl::StatusOr<model::ReviewRecord> FindReview(const std::string& tenant,
                                                         const std::string& review_id) = 0;
  virtual absl::Status CloseReview(const std::string& tenant, const std::string& review_id,
                                   int64_t closed_at_us) = 0;

  virtual absl::Status InsertDecision(const std::string& tenant,
                                      const model::DecisionRecord& decision) = 0;
  // NOT_FOUND when absent or of another tenant.
  virtual absl::StatusOr<model::DecisionRecord> FindDecision(const std::string& tenant,
                                                             const std::string& decision_id) = 0;
  // The ACTIVE decision of a copy, or nullopt when the copy has none.
  virtual absl::StatusOr<std::optional<model::DecisionRecord>> FindActiveDecision(
      const std::string& tenant, const std::string& copy_id) = 0;
  // Marks an active decision SUPERSEDED (the only change a decision ever undergoes).
  virtual absl::Status SupersedeDecision(const std::string& tenant,
                                         const std::string& decision_id) = 0;
  // Decisions of an assignment in signing order, after the internal position `after_pos`.
  // Each comes with its position, to build page tokens.
  virtual absl::StatusOr<std::vector<std::pair<int64_t, model::DecisionRecord>>> ListDecisions(
      const std::string& tenant, const std::string& assignment_id, bool include_superseded,
      int64_t after_pos, int limit) = 0;

  // The marks a teacher recorded in a review before any suggestion; ALREADY_EXISTS when the
  // review has some already.
  virtual absl::Status InsertProvisionalScores(const std::string& tenant,
                                               const model::ProvisionalScoresRecord& scores) = 0;
  // The latest provisional scores recorded for a copy, or nullopt.
  virtual absl::StatusOr<std::optional<model::ProvisionalScoresRecord>> FindProvisionalScores(
      const std::string& tenant, const std::string& copy_id) = 0;

  // Records (or moves) the day a class's families were informed.
  virtual absl::Status RecordFamiliesInformed(const std::string& tenant,
                                              const model::FamiliesInformedRecord& record) = 0;
  // The class's record, or nullopt when its families were never recorded as informed.
  virtual absl::StatusOr<std::optional<model::FamiliesInformedRecord>> FindFamiliesInformed(
      const std::string& tenant, const std::string& class_id) = 0;

  virtual absl::Status InsertObjection(const std::string& tenant,
                                       const model::ObjectionRecord& objection) = 0;
  // Stores a changed state (overridden, withdrawn) of an existing objection.
  virtual absl::Status UpdateObjection(const std::string& tenant,
                                       const model::ObjectionRecord& objection) = 0;
  // NOT_FOUND when absent or of another tenant.
  virtual absl::StatusOr<model::ObjectionRecord> FindObjection(
      const std::string& tenant, const std::string& objection_id) = 0;
  // The objections of a class (every state), oldest first; with `student_id`, that pupil's only.
  virtual absl::StatusOr<std::vector<model::ObjectionRecord>> ListObjections(
      const std::string& tenant, const std::string& class_id,
      const std::string& student_id = "") = 0;

  // Appends to the tenant's release feed; `release.cursor` is ignored and assigned (one
  // sequence over all tenants, in commit order).
  virtual absl::Status AppendRelease(const std::string& tenant,
                                     const model::ReleaseRecord& release) = 0;
  // The timestamp of the latest release of (assignment, pupil), or 0.
  virtual absl::StatusOr<int64_t> LastReleaseTime(const std::string& tenant,
                                                  const std::string& assignment_id,
                                                  const std::string& student_id) = 0;
  // The tenant's releases after `after_cursor`, in cursor order; with `assignment_id`, that
  // line item's only.
  virtual absl::StatusOr<std::vector<model::ReleaseRecord>> ListReleases(
      const std::string& tenant, int64_t after_cursor, const std::string& assignment_id,
      int limit) = 0;

  // The first answer given to (tenant, method, request_id), or nullopt.
  virtual absl::StatusOr<std::optional<IdempotentReply>> FindReply(
      const std::string& tenant, const std::string& method, const std::string& request_id) = 0;
  virtual absl::Status RecordReply(const std::string& tenant, const std::string& method,
                                   const std::string& request_id, const IdempotentReply& reply,
                                   int64_t now_us) = 0;

  // The trail's repository (audit/trail_repository.h): audit::AppendEvent extends the chain
  // and the Merkle tree through these, in this session's transaction.
  absl::StatusOr<audit::ChainHead> Head() override = 0;
  absl::Status InsertEvent(const model::AuditEventRecord& event) override = 0;
  absl::Status ForEachAuditEvent(const std::function<void(const model::AuditEventRecord&)>& visit,
                                 int64_t after_seq = 0) override = 0;
  absl::StatusOr<uint64_t> TreeSize() override = 0;
  audit::NodeReader TreeNodes() override = 0;
  absl::Status InsertNode(int level, uint64_t index, const audit::Hash& hash) override = 0;

  // Events matching `query`, in sequence order.
  virtual absl::StatusOr<std::vector<model::AuditEventRecord>> ListAuditEvents(
      const AuditQuery& query) = 0;
  // The event of sequence number `seq` in any tenant, or nullopt.
  virtual absl::StatusOr<std::optional<model::AuditEventRecord>> FindAuditEvent(int64_t seq) = 0;

  virtual absl::Status InsertCheckpoint(const model::CheckpointRecord& checkpoint) = 0;
  // The largest checkpoint, or nullopt.
  virtual absl::StatusOr<std::optional<model::CheckpointRecord>> LatestCheckpoint() = 0;
  // Every checkpoint, smallest tree first.
  virtual absl::StatusOr<std::vector<model::CheckpointRecord>> ListCheckpoints() = 0;

  // Bulk transfer between engines (`gardefou store copy`): the rows of a table of tables.h in
  // its key order, each value as bytes (integers in decimal), and their insertion as they are.
  virtual absl::Status ForEachRow(
      const TableSpec& table,
      const std::function<absl::Status(const std::vector<std::string>&)>& visit) = 0;
  virtual absl::Status InsertRow(const TableSpec& table,
                                 const std::vector<std::string>& values) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `body` in one write transaction: everything it did is committed durably when it
  // returns OK, and nothing when it returns an error. FAILED_PRECONDITION on a store opened
  // for reading.
  virtual absl::Status Write(const std::function<absl::Status(Session&)>& body) = 0;

  // Runs `body` on a consistent snapshot. Writes attempted inside fail.
  virtual absl::Status Read(const std::function<absl::Status(Session&)>& body) = 0;

  // True while this process is the one that runs the jobs only one instance may run at a time
  // (signing checkpoints in the background). Always true for an engine only one process
  // writes; on a shared database, taken by one instance and taken over when it dies.
  virtual bool HoldsLeadership() = 0;
};

// Opens the store named by `spec` to serve: "sqlite:PATH" or a plain PATH (SQLite: created
// and migrated if needed), or a libpq URI "postgresql://..." (never migrated: the schema must
// be this binary's, and the role one that cannot disable the trail's protection).
// UNAVAILABLE when it cannot be opened, FAILED_PRECONDITION when it comes from a newer binary
// or (PostgreSQL) is not ready for this role, INVALID_ARGUMENT for an unknown engine.
absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& spec);

// Opens the store as its schema's owner: creates or migrates the schema first (`store
// migrate`, the target of `store copy`). The same as OpenStore for SQLite.
absl::StatusOr<std::unique_ptr<Store>> OpenStoreAsOwner(const std::string& spec);

// `spec` as it may be shown (logs, pages): a PostgreSQL one reduced to its user, host, port
// and database.
std::string DescribeStore(const std::string& spec);

// True when `spec` names a PostgreSQL store.
bool IsPostgresStore(absl::string_view spec);

// Opens an existing store for reading only (the inspector's tools): no migration, no write
// lock, so it works beside a running server. NOT_FOUND when there is none, FAILED_PRECONDITION
// when its schema is not this binary's.
absl::StatusOr<std::unique_ptr<Store>> OpenStoreForReading(const std::string& spec);

}  // namespace gardefou::store
