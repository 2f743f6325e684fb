// Migration list. Never edit a shipped migration: append a new one.
#include "service/store/sqlite/schema.h"

#include <array>
#include "absl/strings/string_view.h"

#include "absl/strings/str_cat.h"
#include "service/common/status_macros.h"

namespace gardefou::store {
namespace {

constexpr std::array<absl::string_view, 6> kMigrations = {
    R"sql(
CREATE TABLE roster_classes (
  tenant TEXT NOT NULL, class_id TEXT NOT NULL, school_json TEXT NOT NULL,
  updated_at_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, class_id));
CREATE TABLE roster_people (
  tenant TEXT NOT NULL, class_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('student', 'teacher')),
  person_id TEXT NOT NULL, person_json TEXT NOT NULL,
  PRIMARY KEY (tenant, class_id, kind, person_id),
  FOREIGN KEY (tenant, class_id) REFERENCES roster_classes (tenant, class_id) ON DELETE CASCADE);
CREATE TABLE assignments (
  tenant TEXT NOT NULL, assignment_id TEXT NOT NULL, class_id TEXT NOT NULL,
  content_json TEXT NOT NULL, created_at_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, assignment_id),
  FOREIGN KEY (tenant, class_id) REFERENCES roster_classes (tenant, class_id));
CREATE TABLE copies (
  tenant TEXT NOT NULL, copy_id TEXT NOT NULL, assignment_id TEXT NOT NULL,
  student_id TEXT NOT NULL, state INTEGER NOT NULL, content_sha256 TEXT NOT NULL,
  text BLOB NOT NULL, submitted_at_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, copy_id),
  FOREIGN KEY (tenant, assignment_id) REFERENCES assignments (tenant, assignment_id));
CREATE TABLE suggestions (
  tenant TEXT NOT NULL, suggestion_id TEXT NOT NULL, copy_id TEXT NOT NULL,
  content_json TEXT NOT NULL, created_at_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, suggestion_id),
  FOREIGN KEY (tenant, copy_id) REFERENCES copies (tenant, copy_id));
CREATE TABLE reviews (
  tenant TEXT NOT NULL, review_id TEXT NOT NULL, copy_id TEXT NOT NULL,
  teacher_id TEXT NOT NULL, opened_at_us INTEGER NOT NULL, closed_at_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, review_id),
  FOREIGN KEY (tenant, copy_id) REFERENCES copies (tenant, copy_id));
CREATE TABLE decisions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL, decision_id TEXT NOT NULL, copy_id TEXT NOT NULL,
  assignment_id TEXT NOT NULL, active INTEGER NOT NULL, content_json TEXT NOT NULL,
  UNIQUE (tenant, decision_id),
  FOREIGN KEY (tenant, copy_id) REFERENCES copies (tenant, copy_id));
CREATE INDEX decisions_by_assignment ON decisions (tenant, assignment_id, seq);
CREATE INDEX decisions_by_copy ON decisions (tenant, copy_id, active);
-- A decision is immutable: only ACTIVE -> SUPERSEDED may change.
CREATE TRIGGER decisions_immutable BEFORE UPDATE ON decisions
  WHEN NEW.content_json IS NOT OLD.content_json OR NEW.decision_id IS NOT OLD.decision_id
    OR NEW.copy_id IS NOT OLD.copy_id OR NEW.tenant IS NOT OLD.tenant
    OR NEW.active > OLD.active
  BEGIN SELECT RAISE(ABORT, 'decisions are immutable'); END;
CREATE TRIGGER decisions_kept BEFORE DELETE ON decisions
  BEGIN SELECT RAISE(ABORT, 'decisions are never deleted'); END;
CREATE TABLE idempotency (
  tenant TEXT NOT NULL, method TEXT NOT NULL, request_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL, response BLOB NOT NULL, created_at_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, method, request_id));
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY, time_us INTEGER NOT NULL, tenant TEXT NOT NULL,
  actor_id TEXT NOT NULL, actor_role TEXT NOT NULL, action TEXT NOT NULL,
  objects_json TEXT NOT NULL, policy_hash TEXT NOT NULL, details_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_by_tenant ON audit_events (tenant, seq);
-- The trail is append-only; the hash chain catches whoever drops these triggers.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
)sql",
    // 2: the Merkle tree over audit_events (RFC 6962) and the signed checkpoints.
    R"sql(
CREATE TABLE merkle_nodes (
  level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)) WITHOUT ROWID;
CREATE TRIGGER merkle_no_update BEFORE UPDATE ON merkle_nodes
  BEGIN SELECT RAISE(ABORT, 'merkle_nodes is append-only'); END;
CREATE TRIGGER merkle_no_delete BEFORE DELETE ON merkle_nodes
  BEGIN SELECT RAISE(ABORT, 'merkle_nodes is append-only'); END;
CREATE TABLE checkpoints (
  tree_size INTEGER PRIMARY KEY, root BLOB NOT NULL, note TEXT NOT NULL,
  signed_at_us INTEGER NOT NULL);
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
)sql",
    // 3: large replies kept by reference (object id and SHA-256) instead of a copy.
    R"sql(
ALTER TABLE idempotency ADD COLUMN response_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE idempotency ADD COLUMN object_id TEXT NOT NULL DEFAULT '';
)sql",
    // 4: a decision's position and assignment are as immutable as the rest (as on PostgreSQL).
    R"sql(
DROP TRIGGER decisions_immutable;
CREATE TRIGGER decisions_immutable BEFORE UPDATE ON decisions
  WHEN NEW.content_json IS NOT OLD.content_json OR NEW.decision_id IS NOT OLD.decision_id
    OR NEW.copy_id IS NOT OLD.copy_id OR NEW.tenant IS NOT OLD.tenant
    OR NEW.assignment_id IS NOT OLD.assignment_id OR NEW.seq IS NOT OLD.seq
    OR NEW.active > OLD.active
  BEGIN SELECT RAISE(ABORT, 'decisions are immutable'); END;
)sql",
    // 5: blind-first marks (immutable), families informed, objections (their state changes).
    R"sql(
CREATE TABLE provisional_scores (
  tenant TEXT NOT NULL, review_id TEXT NOT NULL, copy_id TEXT NOT NULL,
  content_json TEXT NOT NULL, recorded_at_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, review_id));
CREATE INDEX provisional_scores_by_copy ON provisional_scores (tenant, copy_id, recorded_at_us);
CREATE TRIGGER provisional_scores_immutable BEFORE UPDATE ON provisional_scores
  BEGIN SELECT RAISE(ABORT, 'provisional scores are immutable'); END;
CREATE TABLE families_informed (
  tenant TEXT NOT NULL, class_id TEXT NOT NULL, informed_on TEXT NOT NULL,
  recorded_by TEXT NOT NULL, recorded_at_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, class_id));
CREATE TABLE objections (
  tenant TEXT NOT NULL, objection_id TEXT NOT NULL, class_id TEXT NOT NULL,
  student_id TEXT NOT NULL, content_json TEXT NOT NULL, recorded_at_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, objection_id));
CREATE INDEX objections_by_class ON objections (tenant, class_id, recorded_at_us);
CREATE TRIGGER objections_keep_identity BEFORE UPDATE ON objections
  WHEN NEW.tenant IS NOT OLD.tenant OR NEW.objection_id IS NOT OLD.objection_id
    OR NEW.class_id IS NOT OLD.class_id OR NEW.student_id IS NOT OLD.student_id
    OR NEW.recorded_at_us IS NOT OLD.recorded_at_us
  BEGIN SELECT RAISE(ABORT, 'an objection keeps its pupil'); END;
CREATE TRIGGER objections_kept BEFORE DELETE ON objections
  BEGIN SELECT RAISE(ABORT, 'objections are kept'); END;
CREATE TRIGGER provisional_scores_kept BEFORE DELETE ON provisional_scores
  BEGIN SELECT RAISE(ABORT, 'provisional scores are kept'); END;
)sql",
    // 6: the release feed (append-only; its seq is the cursor integrators resume from).
    R"sql(
CREATE TABLE releases (
  seq INTEGER PRIMARY KEY, tenant TEXT NOT NULL, assignment_id TEXT NOT NULL,
  student_id TEXT NOT NULL, content_json TEXT NOT NULL, timestamp_us INTEGER NOT NULL);
CREATE INDEX releases_by_tenant ON releases (tenant, seq);
CREATE INDEX releases_by_pupil ON releases (tenant, assignment_id, student_id, timestamp_us);
CREATE TRIGGER releases_no_update BEFORE UPDATE ON releases
  BEGIN SELECT RAISE(ABORT, 'releases are append-only'); END;
CREATE TRIGGER releases_no_delete BEFORE DELETE ON releases
  BEGIN SELECT RAISE(ABORT, 'releases are append-only'); END;
)sql",
};

absl::StatusOr<int> UserVersion(Database& db) {
  ASSIGN_OR_RETURN(Statement * stmt, db.Prepare("PRAGMA user_version"));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return absl::InternalError("PRAGMA user_version returned nothing");
  return static_cast<int>(stmt->ColumnInt(0));
}

}  // namespace

int CurrentSchemaVersion() { return static_cast<int>(kMigrations.size()); }

absl::Status Migrate(Database& db) {
  ASSIGN_OR_RETURN(int version, UserVersion(db));
  if (version > CurrentSchemaVersion()) {
    return absl::FailedPreconditionError(
        absl::StrCat("database schema version ", version, " is newer than this binary's (",
                     CurrentSchemaVersion(), "): upgrade gardefou"));
  }
  for (int v = version; v < CurrentSchemaVersion(); ++v) {
    ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db));
    RETURN_IF_ERROR(db.Exec(kMigrations[v]));
    RETURN_IF_ERROR(db.Exec(absl::StrCat("PRAGMA user_version = ", v + 1)));
    RETURN_IF_ERROR(tx->Commit());
  }
  return absl::OkStatus();
}

}  // namespace gardefou::store
