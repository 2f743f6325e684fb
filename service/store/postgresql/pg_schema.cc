// Migration list of the PostgreSQL engine. Never edit a shipped migration: append a new one.
// The tables are those of the SQLite engine (service/store/tables.h), with BYTEA for bytes.
#include "service/store/postgresql/pg_schema.h"

#include <array>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "service/common/status_macros.h"
#include "service/store/postgresql/pg_locks.h"

namespace gardefou::store {
namespace {

constexpr std::array<absl::string_view, 3> kMigrations = {
    R"sql(
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gardefou_service') THEN
    CREATE ROLE gardefou_service NOLOGIN;
  END IF;
END $$;
CREATE TABLE roster_classes (
  tenant TEXT NOT NULL, class_id TEXT NOT NULL, school_json TEXT NOT NULL,
  updated_at_us BIGINT NOT NULL,
  PRIMARY KEY (tenant, class_id));
CREATE TABLE roster_people (
  tenant TEXT NOT NULL, class_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('student', 'teacher')),
  person_id TEXT NOT NULL, person_json TEXT NOT NULL,
  PRIMARY KEY (tenant, class_id, kind, person_id),
  FOREIGN KEY (tenant, class_id) REFERENCES roster_classes (tenant, class_id) ON DELETE CASCADE);
CREATE TABLE assignments (
  tenant TEXT NOT NULL, assignment_id TEXT NOT NULL, class_id TEXT NOT NULL,
  content_json TEXT NOT NULL, created_at_us BIGINT NOT NULL,
  PRIMARY KEY (tenant, assignment_id),
  FOREIGN KEY (tenant, class_id) REFERENCES roster_classes (tenant, class_id));
CREATE TABLE copies (
  tenant TEXT NOT NULL, copy_id TEXT NOT NULL, assignment_id TEXT NOT NULL,
  student_id TEXT NOT NULL, state BIGINT NOT NULL, content_sha256 TEXT NOT NULL,
  text BYTEA NOT NULL, submitted_at_us BIGINT NOT NULL,
  PRIMARY KEY (tenant, copy_id),
  FOREIGN KEY (tenant, assignment_id) REFERENCES assignments (tenant, assignment_id));
CREATE TABLE suggestions (
  tenant TEXT NOT NULL, suggestion_id TEXT NOT NULL, copy_id TEXT NOT NULL,
  content_json TEXT NOT NULL, created_at_us BIGINT NOT NULL,
  PRIMARY KEY (tenant, suggestion_id),
  FOREIGN KEY (tenant, copy_id) REFERENCES copies (tenant, copy_id));
CREATE TABLE reviews (
  tenant TEXT NOT NULL, review_id TEXT NOT NULL, copy_id TEXT NOT NULL,
  teacher_id TEXT NOT NULL, opened_at_us BIGINT NOT NULL, closed_at_us BIGINT NOT NULL,
  PRIMARY KEY (tenant, review_id),
  FOREIGN KEY (tenant, copy_id) REFERENCES copies (tenant, copy_id));
CREATE TABLE decisions (
  seq BIGINT PRIMARY KEY,  -- signing order: MAX + 1 under the write lock, no gaps
  tenant TEXT NOT NULL, decision_id TEXT NOT NULL, copy_id TEXT NOT NULL,
  assignment_id TEXT NOT NULL, active BIGINT NOT NULL, content_json TEXT NOT NULL,
  UNIQUE (tenant, decision_id),
  FOREIGN KEY (tenant, copy_id) REFERENCES copies (tenant, copy_id));
CREATE INDEX decisions_by_assignment ON decisions (tenant, assignment_id, seq);
CREATE INDEX decisions_by_copy ON decisions (tenant, copy_id, active);
CREATE TABLE idempotency (
  tenant TEXT NOT NULL, method TEXT NOT NULL, request_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL, response BYTEA NOT NULL, created_at_us BIGINT NOT NULL,
  response_sha256 TEXT NOT NULL DEFAULT '', object_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant, method, request_id));
CREATE TABLE audit_events (
  seq BIGINT PRIMARY KEY, time_us BIGINT NOT NULL, tenant TEXT NOT NULL,
  actor_id TEXT NOT NULL, actor_role TEXT NOT NULL, action TEXT NOT NULL,
  objects_json TEXT NOT NULL, policy_hash TEXT NOT NULL, details_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_by_tenant ON audit_events (tenant, seq);
CREATE TABLE merkle_nodes (
  level BIGINT NOT NULL, idx BIGINT NOT NULL, hash BYTEA NOT NULL,
  PRIMARY KEY (level, idx));
CREATE TABLE checkpoints (
  tree_size BIGINT PRIMARY KEY, root BYTEA NOT NULL, note TEXT NOT NULL,
  signed_at_us BIGINT NOT NULL);

-- Append-only: the trail, its tree and its checkpoints are never changed, deleted or
-- truncated, whoever asks; the hash chain catches the owner who drops these triggers.
CREATE FUNCTION gardefou_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $f$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION gardefou_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION gardefou_append_only();
CREATE TRIGGER merkle_nodes_append_only BEFORE UPDATE OR DELETE ON merkle_nodes
  FOR EACH ROW EXECUTE FUNCTION gardefou_append_only();
CREATE TRIGGER merkle_nodes_no_truncate BEFORE TRUNCATE ON merkle_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION gardefou_append_only();
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
  FOR EACH ROW EXECUTE FUNCTION gardefou_append_only();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION gardefou_append_only();
-- A decision is immutable: only ACTIVE -> SUPERSEDED may change, and it is never deleted.
CREATE FUNCTION gardefou_decision_immutable() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF NEW.content_json IS DISTINCT FROM OLD.content_json
     OR NEW.decision_id IS DISTINCT FROM OLD.decision_id
     OR NEW.copy_id IS DISTINCT FROM OLD.copy_id OR NEW.tenant IS DISTINCT FROM OLD.tenant
     OR NEW.assignment_id IS DISTINCT FROM OLD.assignment_id
     OR NEW.seq IS DISTINCT FROM OLD.seq OR NEW.active > OLD.active THEN
    RAISE EXCEPTION 'decisions are immutable' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $f$;
CREATE TRIGGER decisions_immutable BEFORE UPDATE ON decisions
  FOR EACH ROW EXECUTE FUNCTION gardefou_decision_immutable();
CREATE TRIGGER decisions_kept BEFORE DELETE ON decisions
  FOR EACH ROW EXECUTE FUNCTION gardefou_append_only();
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions
  FOR EACH STATEMENT EXECUTE FUNCTION gardefou_append_only();

-- The one row every write transaction locks first (SELECT ... FOR UPDATE): writes from every
-- instance go one at a time. A row lock, unlike an advisory lock, needs a privilege: only
-- members of gardefou_service can hold the writers up.
CREATE TABLE gardefou_write_lock (id INTEGER PRIMARY KEY CHECK (id = 1));
INSERT INTO gardefou_write_lock (id) VALUES (1);

-- The service's privileges: no UPDATE or DELETE on what is append-only, no DDL anywhere.
REVOKE ALL ON roster_classes, roster_people, assignments, copies, suggestions, reviews,
  decisions, idempotency, audit_events, merkle_nodes, checkpoints, gardefou_write_lock
  FROM PUBLIC;
GRANT SELECT, INSERT ON roster_classes, roster_people, assignments, copies, suggestions,
  reviews, decisions, idempotency, audit_events, merkle_nodes, checkpoints TO gardefou_service;
GRANT SELECT, UPDATE ON gardefou_write_lock TO gardefou_service;
GRANT UPDATE (school_json, updated_at_us) ON roster_classes TO gardefou_service;
GRANT DELETE ON roster_people TO gardefou_service;
GRANT UPDATE (state) ON copies TO gardefou_service;
GRANT UPDATE (closed_at_us) ON reviews TO gardefou_service;
GRANT UPDATE (active) ON decisions TO gardefou_service;
)sql",
    // 2: blind-first marks (kept as written), families informed, objections (only their state
    // changes).
    R"sql(
CREATE TABLE provisional_scores (
  tenant TEXT NOT NULL, review_id TEXT NOT NULL, copy_id TEXT NOT NULL,
  content_json TEXT NOT NULL, recorded_at_us BIGINT NOT NULL,
  PRIMARY KEY (tenant, review_id),
  FOREIGN KEY (tenant, review_id) REFERENCES reviews (tenant, review_id));
CREATE INDEX provisional_scores_by_copy ON provisional_scores (tenant, copy_id, recorded_at_us);
CREATE TABLE families_informed (
  tenant TEXT NOT NULL, class_id TEXT NOT NULL, informed_on TEXT NOT NULL,
  recorded_by TEXT NOT NULL, recorded_at_us BIGINT NOT NULL,
  PRIMARY KEY (tenant, class_id),
  FOREIGN KEY (tenant, class_id) REFERENCES roster_classes (tenant, class_id));
CREATE TABLE objections (
  tenant TEXT NOT NULL, objection_id TEXT NOT NULL, class_id TEXT NOT NULL,
  student_id TEXT NOT NULL, content_json TEXT NOT NULL, recorded_at_us BIGINT NOT NULL,
  PRIMARY KEY (tenant, objection_id),
  FOREIGN KEY (tenant, class_id) REFERENCES roster_classes (tenant, class_id));
CREATE INDEX objections_by_class ON objections (tenant, class_id, recorded_at_us);
CREATE TRIGGER provisional_scores_kept BEFORE UPDATE OR DELETE ON provisional_scores
  FOR EACH ROW EXECUTE FUNCTION gardefou_append_only();
CREATE TRIGGER objections_kept BEFORE DELETE ON objections
  FOR EACH ROW EXECUTE FUNCTION gardefou_append_only();
REVOKE ALL ON provisional_scores, families_informed, objections FROM PUBLIC;
GRANT SELECT, INSERT ON provisional_scores, families_informed, objections TO gardefou_service;
GRANT UPDATE (informed_on, recorded_by, recorded_at_us) ON families_informed TO gardefou_service;
GRANT UPDATE (content_json) ON objections TO gardefou_service;
)sql",
    // 3: the release feed (append-only; its seq is the cursor integrators resume from).
    R"sql(
CREATE TABLE releases (
  seq BIGINT PRIMARY KEY,  -- MAX + 1 under the write lock: commit order, no gaps
  tenant TEXT NOT NULL, assignment_id TEXT NOT NULL, student_id TEXT NOT NULL,
  content_json TEXT NOT NULL, timestamp_us BIGINT NOT NULL);
CREATE INDEX releases_by_tenant ON releases (tenant, seq);
CREATE INDEX releases_by_pupil ON releases (tenant, assignment_id, student_id, timestamp_us);
CREATE TRIGGER releases_append_only BEFORE UPDATE OR DELETE ON releases
  FOR EACH ROW EXECUTE FUNCTION gardefou_append_only();
CREATE TRIGGER releases_no_truncate BEFORE TRUNCATE ON releases
  FOR EACH STATEMENT EXECUTE FUNCTION gardefou_append_only();
REVOKE ALL ON releases FROM PUBLIC;
GRANT SELECT, INSERT ON releases TO gardefou_service;
)sql",
};

}  // namespace

int CurrentPgSchemaVersion() { return static_cast<int>(kMigrations.size()); }

absl::StatusOr<int> PgSchemaVersion(PgConnection& conn) {
  ASSIGN_OR_RETURN(PgResult exists, conn.Query("SELECT to_regclass('gardefou_schema') IS NULL"));
  if (exists.Text(0, 0) == "t") return 0;
  ASSIGN_OR_RETURN(PgResult version, conn.Query("SELECT MAX(version) FROM gardefou_schema"));
  int out = 0;
  if (version.Rows() == 1 && !version.IsNull(0, 0) && !absl::SimpleAtoi(version.Text(0, 0), &out)) {
    return absl::DataLossError("gardefou_schema holds no version number");
  }
  return out;
}

absl::Status MigratePg(PgConnection& conn) {
  ASSIGN_OR_RETURN(int version, PgSchemaVersion(conn));
  if (version == CurrentPgSchemaVersion()) return absl::OkStatus();  // no DDL: any role
  if (version > CurrentPgSchemaVersion()) {
    return absl::FailedPreconditionError(
        absl::StrCat("database schema version ", version, " is newer than this binary's (",
                     CurrentPgSchemaVersion(), "): upgrade gardefou"));
  }
  ASSIGN_OR_RETURN(auto tx, PgTransaction::Begin(conn));
  RETURN_IF_ERROR(conn.Exec(absl::StrCat("SELECT pg_advisory_xact_lock(", kLockSpace, ", ",
                                         kMigrationLock, ")")));
  absl::Status status = conn.Exec(
      "CREATE TABLE IF NOT EXISTS gardefou_schema (version INTEGER NOT NULL);"
      "REVOKE ALL ON gardefou_schema FROM PUBLIC;");
  absl::StatusOr<int> now = status.ok() ? PgSchemaVersion(conn) : status;  // another may have
  for (int v = now.ok() ? *now : 0; status.ok() && now.ok() && v < CurrentPgSchemaVersion(); ++v) {
    status = conn.Exec(kMigrations[v]);
    if (status.ok()) {
      status = conn.Exec(absl::StrCat("INSERT INTO gardefou_schema (version) VALUES (", v + 1,
                                      "); GRANT SELECT ON gardefou_schema TO ",
                                      kPgServiceGroup));
    }
  }
  if (status.ok() && !now.ok()) status = now.status();
  if (status.ok()) status = tx->Commit();
  if (absl::IsPermissionDenied(status)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the PostgreSQL schema is at version ", version, ", this binary needs ",
        CurrentPgSchemaVersion(), ", and this role may not change it: run `gardefou store "
        "migrate --store URL` as the schema's owner (docs/operations.md)"));
  }
  return status;
}

absl::Status CheckServiceRole(PgConnection& conn) {
  ASSIGN_OR_RETURN(int version, PgSchemaVersion(conn));
  if (version != CurrentPgSchemaVersion()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the PostgreSQL schema is at version ", version, ", this binary needs ",
        CurrentPgSchemaVersion(), ": run `gardefou store migrate --store URL` as the schema's "
        "owner (docs/operations.md)"));
  }
  ASSIGN_OR_RETURN(
      PgResult role,
      conn.Query("SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), "
                 "(SELECT pg_has_role(current_user, tableowner, 'MEMBER') FROM pg_tables "
                 "WHERE schemaname = current_schema() AND tablename = 'audit_events'), "
                 "has_schema_privilege(current_user, current_schema(), 'CREATE'), "
                 "(SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass "
                 "AND NOT tgisinternal AND tgenabled <> 'D')"));
  if (role.Text(0, 0) == "t" || role.Text(0, 1) == "t" || role.Text(0, 2) == "t") {
    return absl::FailedPreconditionError(
        "this PostgreSQL role could disable the trail's protection (it is a superuser, owns "
        "the tables or may create in their schema): run instances as a member of "
        "gardefou_service only (docs/operations.md)");
  }
  if (role.Text(0, 3) != "2") {  // one for UPDATE and DELETE, one for TRUNCATE
    return absl::FailedPreconditionError(
        "the triggers that keep audit_events append-only are missing or disabled: refusing to "
        "serve; run `gardefou audit verify` and ask the schema's owner");
  }
  return absl::OkStatus();
}

}  // namespace gardefou::store
