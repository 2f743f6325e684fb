// SQL of every store operation, and the writer/reader connection handling.
#include "service/store/sqlite/sqlite_store.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/audit/canonical.h"
#include "service/audit/trail_writer.h"
#include "service/common/hashing.h"
#include "service/common/status_macros.h"
#include "service/store/not_found.h"
#include "service/store/record_json.h"
#include "service/store/sqlite/schema.h"

namespace gardefou::store {

// ---------------------------------------------------------------- roster

absl::Status SqliteSession::ReplaceRoster(const std::string& tenant,
                                          const model::RosterRecord& roster, int64_t now_us) {
  ASSIGN_OR_RETURN(Statement * upsert,
                   db_.Prepare("INSERT INTO roster_classes (tenant, class_id, school_json, "
                               "updated_at_us) VALUES (?1, ?2, ?3, ?4) "
                               "ON CONFLICT (tenant, class_id) DO UPDATE SET "
                               "school_json = excluded.school_json, "
                               "updated_at_us = excluded.updated_at_us"));
  RETURN_IF_ERROR(upsert->Bind(1, tenant)
                      .Bind(2, roster.class_id)
                      .Bind(3, ToJson(roster.school))
                      .Bind(4, now_us)
                      .Run());
  ASSIGN_OR_RETURN(Statement * clear,
                   db_.Prepare("DELETE FROM roster_people WHERE tenant = ?1 AND class_id = ?2"));
  RETURN_IF_ERROR(clear->Bind(1, tenant).Bind(2, roster.class_id).Run());
  ASSIGN_OR_RETURN(Statement * insert,
                   db_.Prepare("INSERT INTO roster_people (tenant, class_id, kind, person_id, "
                               "person_json) VALUES (?1, ?2, ?3, ?4, ?5)"));
  for (const auto& [kind, people] :
       {std::pair{"teacher", &roster.teachers}, std::pair{"student", &roster.students}}) {
    for (const model::PersonRecord& person : *people) {
      insert->Reset();
      RETURN_IF_ERROR(insert->Bind(1, tenant)
                          .Bind(2, roster.class_id)
                          .Bind(3, absl::string_view(kind))
                          .Bind(4, person.id)
                          .Bind(5, ToJson(person))
                          .Run());
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<model::RosterRecord> SqliteSession::LoadRoster(const std::string& tenant,
                                                              const std::string& class_id) {
  ASSIGN_OR_RETURN(Statement * cls, db_.Prepare("SELECT school_json FROM roster_classes "
                                                "WHERE tenant = ?1 AND class_id = ?2"));
  ASSIGN_OR_RETURN(bool found, cls->Bind(1, tenant).Bind(2, class_id).Step());
  if (!found) return NotFound("class", class_id);
  model::RosterRecord roster;
  roster.class_id = class_id;
  ASSIGN_OR_RETURN(roster.school, FromJson<model::SchoolRecord>(cls->ColumnText(0)));
  ASSIGN_OR_RETURN(Statement * people,
                   db_.Prepare("SELECT kind, person_json FROM roster_people "
                               "WHERE tenant = ?1 AND class_id = ?2 ORDER BY kind, person_id"));
  people->Bind(1, tenant).Bind(2, class_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, people->Step());
    if (!row) break;
    ASSIGN_OR_RETURN(model::PersonRecord person,
                     FromJson<model::PersonRecord>(people->ColumnText(1)));
    (people->ColumnText(0) == "teacher" ? roster.teachers : roster.students)
        .push_back(std::move(person));
  }
  return roster;
}

absl::StatusOr<bool> SqliteSession::HasPerson(const std::string& tenant,
                                              const std::string& class_id, absl::string_view kind,
                                              const std::string& person_id) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT 1 FROM roster_people WHERE tenant = ?1 AND class_id = ?2 "
                               "AND kind = ?3 AND person_id = ?4"));
  return stmt->Bind(1, tenant).Bind(2, class_id).Bind(3, kind).Bind(4, person_id).Step();
}

// ---------------------------------------------------------------- assignments

absl::Status SqliteSession::InsertAssignment(const std::string& tenant,
                                             const model::AssignmentRecord& assignment) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("INSERT INTO assignments (tenant, assignment_id, class_id, "
                               "content_json, created_at_us) VALUES (?1, ?2, ?3, ?4, ?5)"));
  return stmt->Bind(1, tenant)
      .Bind(2, assignment.id)
      .Bind(3, assignment.class_id)
      .Bind(4, ToJson(assignment))
      .Bind(5, assignment.created_at_us)
      .Run();
}

absl::StatusOr<model::AssignmentRecord> SqliteSession::FindAssignment(
    const std::string& tenant, const std::string& assignment_id) {
  ASSIGN_OR_RETURN(Statement * stmt, db_.Prepare("SELECT content_json FROM assignments "
                                                 "WHERE tenant = ?1 AND assignment_id = ?2"));
  ASSIGN_OR_RETURN(bool found, stmt->Bind(1, tenant).Bind(2, assignment_id).Step());
  if (!found) return NotFound("assignment", assignment_id);
  return FromJson<model::AssignmentRecord>(stmt->ColumnText(0));
}

// ---------------------------------------------------------------- copies

absl::Status SqliteSession::InsertCopy(const std::string& tenant, const model::CopyRecord& copy) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("INSERT INTO copies (tenant, copy_id, assignment_id, student_id, "
                               "state, content_sha256, text, submitted_at_us) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  return stmt->Bind(1, tenant)
      .Bind(2, copy.id)
      .Bind(3, copy.assignment_id)
      .Bind(4, copy.student_id)
      .Bind(5, static_cast<int64_t>(copy.state))
      .Bind(6, copy.content_sha256)
      .BindBlob(7, copy.text)
      .Bind(8, copy.submitted_at_us)
      .Run();
}

absl::StatusOr<model::CopyRecord> SqliteSession::FindCopy(const std::string& tenant,
                                                          const std::string& copy_id,
                                                          bool with_text) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT assignment_id, student_id, state, content_sha256, "
                               "submitted_at_us, CASE WHEN ?3 THEN text ELSE NULL END "
                               "FROM copies WHERE tenant = ?1 AND copy_id = ?2"));
  ASSIGN_OR_RETURN(
      bool found,
      stmt->Bind(1, tenant).Bind(2, copy_id).Bind(3, static_cast<int64_t>(with_text)).Step());
  if (!found) return NotFound("copy", copy_id);
  model::CopyRecord copy;
  copy.id = copy_id;
  copy.assignment_id = stmt->ColumnText(0);
  copy.student_id = stmt->ColumnText(1);
  copy.state = static_cast<model::CopyState>(stmt->ColumnInt(2));
  copy.content_sha256 = stmt->ColumnText(3);
  copy.submitted_at_us = stmt->ColumnInt(4);
  copy.text = stmt->ColumnText(5);
  return copy;
}

absl::Status SqliteSession::SetCopyState(const std::string& tenant, const std::string& copy_id,
                                         model::CopyState state) {
  ASSIGN_OR_RETURN(Statement * stmt, db_.Prepare("UPDATE copies SET state = ?3 "
                                                 "WHERE tenant = ?1 AND copy_id = ?2"));
  return stmt->Bind(1, tenant).Bind(2, copy_id).Bind(3, static_cast<int64_t>(state)).Run();
}

// ---------------------------------------------------------------- suggestions

absl::Status SqliteSession::InsertSuggestion(const std::string& tenant,
                                             const model::SuggestionRecord& suggestion) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("INSERT INTO suggestions (tenant, suggestion_id, copy_id, "
                               "content_json, created_at_us) VALUES (?1, ?2, ?3, ?4, ?5)"));
  return stmt->Bind(1, tenant)
      .Bind(2, suggestion.id)
      .Bind(3, suggestion.copy_id)
      .Bind(4, ToJson(suggestion))
      .Bind(5, suggestion.created_at_us)
      .Run();
}

absl::StatusOr<model::SuggestionRecord> SqliteSession::FindSuggestion(
    const std::string& tenant, const std::string& suggestion_id) {
  ASSIGN_OR_RETURN(Statement * stmt, db_.Prepare("SELECT content_json FROM suggestions "
                                                 "WHERE tenant = ?1 AND suggestion_id = ?2"));
  ASSIGN_OR_RETURN(bool found, stmt->Bind(1, tenant).Bind(2, suggestion_id).Step());
  if (!found) return NotFound("suggestion", suggestion_id);
  return FromJson<model::SuggestionRecord>(stmt->ColumnText(0));
}

// ---------------------------------------------------------------- reviews

absl::Status SqliteSession::InsertReview(const std::string& tenant,
                                         const model::ReviewRecord& review) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("INSERT INTO reviews (tenant, review_id, copy_id, teacher_id, "
                               "opened_at_us, closed_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  return stmt->Bind(1, tenant)
      .Bind(2, review.id)
      .Bind(3, review.copy_id)
      .Bind(4, review.teacher_id)
      .Bind(5, review.opened_at_us)
      .Bind(6, review.closed_at_us)
      .Run();
}

absl::StatusOr<model::ReviewRecord> SqliteSession::FindReview(const std::string& tenant,
                                                              const std::string& review_id) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT copy_id, teacher_id, opened_at_us, closed_at_us "
                               "FROM reviews WHERE tenant = ?1 AND review_id = ?2"));
  ASSIGN_OR_RETURN(bool found, stmt->Bind(1, tenant).Bind(2, review_id).Step());
  if (!found) return NotFound("review", review_id);
  model::ReviewRecord review;
  review.id = review_id;
  review.copy_id = stmt->ColumnText(0);
  review.teacher_id = stmt->ColumnText(1);
  review.opened_at_us = stmt->ColumnInt(2);
  review.closed_at_us = stmt->ColumnInt(3);
  return review;
}

absl::Status SqliteSession::CloseReview(const std::string& tenant, const std::string& review_id,
                                        int64_t closed_at_us) {
  ASSIGN_OR_RETURN(Statement * stmt, db_.Prepare("UPDATE reviews SET closed_at_us = ?3 "
                                                 "WHERE tenant = ?1 AND review_id = ?2"));
  return stmt->Bind(1, tenant).Bind(2, review_id).Bind(3, closed_at_us).Run();
}

// ---------------------------------------------------------------- decisions

absl::Status SqliteSession::InsertDecision(const std::string& tenant,
                                           const model::DecisionRecord& decision) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("INSERT INTO decisions (tenant, decision_id, copy_id, "
                               "assignment_id, active, content_json) "
                               "VALUES (?1, ?2, ?3, ?4, 1, ?5)"));
  return stmt->Bind(1, tenant)
      .Bind(2, decision.id)
      .Bind(3, decision.copy_id)
      .Bind(4, decision.assignment_id)
      .Bind(5, ToJson(decision))
      .Run();
}

namespace {

absl::StatusOr<model::DecisionRecord> DecisionFromRow(const Statement& stmt, int json_col,
                                                      int active_col) {
  ASSIGN_OR_RETURN(model::DecisionRecord decision,
                   FromJson<model::DecisionRecord>(stmt.ColumnText(json_col)));
  decision.active = stmt.ColumnInt(active_col) != 0;
  return decision;
}

}  // namespace

absl::StatusOr<model::DecisionRecord> SqliteSession::FindDecision(const std::string& tenant,
                                                                  const std::string& decision_id) {
  ASSIGN_OR_RETURN(Statement * stmt, db_.Prepare("SELECT content_json, active FROM decisions "
                                                 "WHERE tenant = ?1 AND decision_id = ?2"));
  ASSIGN_OR_RETURN(bool found, stmt->Bind(1, tenant).Bind(2, decision_id).Step());
  if (!found) return NotFound("decision", decision_id);
  return DecisionFromRow(*stmt, 0, 1);
}

absl::StatusOr<std::optional<model::DecisionRecord>> SqliteSession::FindActiveDecision(
    const std::string& tenant, const std::string& copy_id) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT content_json, active FROM decisions "
                               "WHERE tenant = ?1 AND copy_id = ?2 AND active = 1"));
  ASSIGN_OR_RETURN(bool found, stmt->Bind(1, tenant).Bind(2, copy_id).Step());
  if (!found) return std::nullopt;
  return DecisionFromRow(*stmt, 0, 1);
}

absl::Status SqliteSession::SupersedeDecision(const std::string& tenant,
                                              const std::string& decision_id) {
  ASSIGN_OR_RETURN(Statement * stmt, db_.Prepare("UPDATE decisions SET active = 0 "
                                                 "WHERE tenant = ?1 AND decision_id = ?2"));
  return stmt->Bind(1, tenant).Bind(2, decision_id).Run();
}

absl::StatusOr<std::vector<std::pair<int64_t, model::DecisionRecord>>> SqliteSession::ListDecisions(
    const std::string& tenant, const std::string& assignment_id, bool include_superseded,
    int64_t after_pos, int limit) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT seq, content_json, active FROM decisions "
                               "WHERE tenant = ?1 AND assignment_id = ?2 AND seq > ?3 "
                               "AND (?4 OR active = 1) ORDER BY seq LIMIT ?5"));
  stmt->Bind(1, tenant)
      .Bind(2, assignment_id)
      .Bind(3, after_pos)
      .Bind(4, static_cast<int64_t>(include_superseded))
      .Bind(5, static_cast<int64_t>(limit));
  std::vector<std::pair<int64_t, model::DecisionRecord>> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    ASSIGN_OR_RETURN(model::DecisionRecord decision, DecisionFromRow(*stmt, 1, 2));
    out.emplace_back(stmt->ColumnInt(0), std::move(decision));
  }
  return out;
}

// ---------------------------------------------------------------- idempotency

absl::StatusOr<std::optional<IdempotentReply>> SqliteSession::FindReply(
    const std::string& tenant, const std::string& method, const std::string& request_id) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT fingerprint, response, response_sha256, object_id "
                               "FROM idempotency "
                               "WHERE tenant = ?1 AND method = ?2 AND request_id = ?3"));
  ASSIGN_OR_RETURN(bool found, stmt->Bind(1, tenant).Bind(2, method).Bind(3, request_id).Step());
  if (!found) return std::nullopt;
  return IdempotentReply{stmt->ColumnText(0), stmt->ColumnText(1), stmt->ColumnText(2),
                         stmt->ColumnText(3)};
}

absl::Status SqliteSession::RecordReply(const std::string& tenant, const std::string& method,
                                        const std::string& request_id, const IdempotentReply& reply,
                                        int64_t now_us) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("INSERT INTO idempotency (tenant, method, request_id, "
                               "fingerprint, response, created_at_us, response_sha256, "
                               "object_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  return stmt->Bind(1, tenant)
      .Bind(2, method)
      .Bind(3, request_id)
      .Bind(4, reply.fingerprint)
      .BindBlob(5, reply.response)
      .Bind(6, now_us)
      .Bind(7, reply.response_sha256)
      .Bind(8, reply.object_id)
      .Run();
}

// ---------------------------------------------------------------- audit

namespace {

constexpr char kEventColumns[] =
    "seq, time_us, tenant, actor_id, actor_role, action, objects_json, policy_hash, "
    "details_json, prev_hash, hash";

absl::StatusOr<model::AuditEventRecord> EventFromRow(const Statement& stmt) {
  model::AuditEventRecord event;
  event.seq = stmt.ColumnInt(0);
  event.time_us = stmt.ColumnInt(1);
  event.tenant = stmt.ColumnText(2);
  event.actor_id = stmt.ColumnText(3);
  event.actor_role = stmt.ColumnText(4);
  event.action = stmt.ColumnText(5);
  nlohmann::json objects = nlohmann::json::parse(stmt.ColumnText(6), nullptr, false);
  if (objects.is_object()) {
    for (const auto& [key, value] : objects.items()) {
      if (value.is_string()) event.objects[key] = value.get<std::string>();
    }
  }
  event.policy_hash = stmt.ColumnText(7);
  event.details_json = stmt.ColumnText(8);
  event.prev_hash = stmt.ColumnText(9);
  event.hash = stmt.ColumnText(10);
  return event;
}

}  // namespace

absl::StatusOr<audit::ChainHead> SqliteSession::Head() {
  ASSIGN_OR_RETURN(Statement * last,
                   db_.Prepare("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"));
  ASSIGN_OR_RETURN(bool has_last, last->Step());
  audit::ChainHead head;
  if (has_last) head = {last->ColumnInt(0), last->ColumnText(1)};
  last->Reset();
  return head;
}

absl::Status SqliteSession::InsertEvent(const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(Statement * insert,
                   db_.Prepare(absl::StrCat("INSERT INTO audit_events (", kEventColumns,
                                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                                            "?10, ?11)")));
  nlohmann::json objects(event.objects);
  return insert->Bind(1, event.seq)
      .Bind(2, event.time_us)
      .Bind(3, event.tenant)
      .Bind(4, event.actor_id)
      .Bind(5, event.actor_role)
      .Bind(6, event.action)
      .Bind(7, objects.dump())
      .Bind(8, event.policy_hash)
      .Bind(9, event.details_json)
      .Bind(10, event.prev_hash)
      .Bind(11, event.hash)
      .Run();
}

absl::StatusOr<std::vector<model::AuditEventRecord>> SqliteSession::ListAuditEvents(
    const AuditQuery& query) {
  ASSIGN_OR_RETURN(
      Statement * stmt,
      db_.Prepare(absl::StrCat("SELECT ", kEventColumns,
                               " FROM audit_events WHERE tenant = ?1 AND seq > ?2 "
                               "AND (?3 = '' OR action = ?3) AND (?4 = '' OR actor_id = ?4) "
                               "AND (?5 = 0 OR time_us >= ?5) AND (?6 = 0 OR time_us < ?6) "
                               "AND (?7 = '' OR EXISTS (SELECT 1 FROM json_each(objects_json) "
                               "WHERE json_each.value = ?7)) ORDER BY seq LIMIT ?8")));
  stmt->Bind(1, query.tenant)
      .Bind(2, query.after_seq)
      .Bind(3, query.action)
      .Bind(4, query.actor_id)
      .Bind(5, query.since_us)
      .Bind(6, query.until_us)
      .Bind(7, query.object_id)
      .Bind(8, static_cast<int64_t>(query.limit));
  std::vector<model::AuditEventRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    ASSIGN_OR_RETURN(model::AuditEventRecord event, EventFromRow(*stmt));
    out.push_back(std::move(event));
  }
  return out;
}

absl::Status SqliteSession::ForEachAuditEvent(
    const std::function<void(const model::AuditEventRecord&)>& visit, int64_t after_seq) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare(absl::StrCat("SELECT ", kEventColumns,
                                            " FROM audit_events WHERE seq > ?1 ORDER BY seq")));
  stmt->Bind(1, after_seq);
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    ASSIGN_OR_RETURN(model::AuditEventRecord event, EventFromRow(*stmt));
    visit(event);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<model::AuditEventRecord>> SqliteSession::FindAuditEvent(int64_t seq) {
  ASSIGN_OR_RETURN(
      Statement * stmt,
      db_.Prepare(absl::StrCat("SELECT ", kEventColumns, " FROM audit_events WHERE seq = ?1")));
  stmt->Bind(1, seq);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::nullopt;
  ASSIGN_OR_RETURN(model::AuditEventRecord event, EventFromRow(*stmt));
  stmt->Reset();
  return event;
}

// ---------------------------------------------------------------- Merkle tree

absl::Status SqliteSession::InsertNode(int level, uint64_t index, const audit::Hash& hash) {
  ASSIGN_OR_RETURN(Statement * insert,
                   db_.Prepare("INSERT INTO merkle_nodes (level, idx, hash) VALUES (?1, ?2, ?3)"));
  return insert->Bind(1, int64_t{level})
      .Bind(2, static_cast<int64_t>(index))
      .BindBlob(3, common::DigestBytes(hash))
      .Run();
}

absl::StatusOr<uint64_t> SqliteSession::TreeSize() {
  ASSIGN_OR_RETURN(
      Statement * stmt,
      db_.Prepare("SELECT COALESCE(MAX(idx) + 1, 0) FROM merkle_nodes WHERE level = 0"));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  const int64_t size = row ? stmt->ColumnInt(0) : 0;
  stmt->Reset();
  return static_cast<uint64_t>(size);
}

audit::NodeReader SqliteSession::TreeNodes() {
  return [this](int level, uint64_t index) -> absl::StatusOr<audit::Hash> {
    ASSIGN_OR_RETURN(Statement * stmt,
                     db_.Prepare("SELECT hash FROM merkle_nodes WHERE level = ?1 AND idx = ?2"));
    stmt->Bind(1, static_cast<int64_t>(level)).Bind(2, static_cast<int64_t>(index));
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    const std::string bytes = row ? stmt->ColumnText(0) : std::string();
    stmt->Reset();
    audit::Hash hash;
    if (!common::DigestFromBytes(bytes, hash)) {
      return absl::DataLossError(absl::StrCat("the Merkle tree lacks node ", level, "/", index));
    }
    return hash;
  };
}

absl::Status SqliteSession::InsertCheckpoint(const model::CheckpointRecord& checkpoint) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("INSERT INTO checkpoints (tree_size, root, note, signed_at_us) "
                               "VALUES (?1, ?2, ?3, ?4)"));
  return stmt->Bind(1, checkpoint.tree_size)
      .BindBlob(2, checkpoint.root)
      .Bind(3, checkpoint.note)
      .Bind(4, checkpoint.signed_at_us)
      .Run();
}

absl::StatusOr<std::vector<model::CheckpointRecord>> SqliteSession::ListCheckpoints() {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT tree_size, root, note, signed_at_us FROM checkpoints "
                               "ORDER BY tree_size"));
  std::vector<model::CheckpointRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    out.push_back(
        {stmt->ColumnInt(0), stmt->ColumnText(1), stmt->ColumnText(2), stmt->ColumnInt(3)});
  }
  return out;
}

absl::StatusOr<std::optional<model::CheckpointRecord>> SqliteSession::LatestCheckpoint() {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT tree_size, root, note, signed_at_us FROM checkpoints "
                               "ORDER BY tree_size DESC LIMIT 1"));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::nullopt;
  model::CheckpointRecord out{stmt->ColumnInt(0), stmt->ColumnText(1), stmt->ColumnText(2),
                              stmt->ColumnInt(3)};
  stmt->Reset();
  return out;
}

// ---------------------------------------------------------------- bulk transfer

absl::Status SqliteSession::ForEachRow(
    const TableSpec& table,
    const std::function<absl::Status(const std::vector<std::string>&)>& visit) {
  std::vector<std::string> names;
  for (const Column& column : table.columns) names.emplace_back(column.name);
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare(absl::StrCat("SELECT ", absl::StrJoin(names, ", "), " FROM ",
                                            table.name, " ORDER BY ", table.key)));
  std::vector<std::string> values(names.size());
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    for (size_t i = 0; i < values.size(); ++i) values[i] = stmt->ColumnText(static_cast<int>(i));
    RETURN_IF_ERROR(visit(values));
  }
  return absl::OkStatus();
}

absl::Status SqliteSession::InsertRow(const TableSpec& table,
                                      const std::vector<std::string>& values) {
  if (values.size() != table.columns.size()) {
    return absl::InvalidArgumentError(absl::StrCat("a row of ", table.name, " has ",
                                                   values.size(), " values, not ",
                                                   table.columns.size()));
  }
  std::vector<std::string> names, slots;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    names.emplace_back(table.columns[i].name);
    slots.push_back(absl::StrCat("?", i + 1));
  }
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare(absl::StrCat("INSERT INTO ", table.name, " (",
                                            absl::StrJoin(names, ", "), ") VALUES (",
                                            absl::StrJoin(slots, ", "), ")")));
  for (size_t i = 0; i < values.size(); ++i) {
    // Text given to an INTEGER column is stored as the integer (column affinity).
    if (table.columns[i].binary) {
      stmt->BindBlob(static_cast<int>(i) + 1, values[i]);
    } else {
      stmt->Bind(static_cast<int>(i) + 1, absl::string_view(values[i]));
    }
  }
  return stmt->Run();
}

// ---------------------------------------------------------------- connections

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                               int readers) {
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  ASSIGN_OR_RETURN(store->writer_, Database::Open(path));
  RETURN_IF_ERROR(Migrate(*store->writer_));
  RETURN_IF_ERROR(store->Write([](Session& session) { return audit::CatchUpTree(session); }));
  for (int i = 0; i < std::max(1, readers); ++i) {
    ASSIGN_OR_RETURN(auto reader, Database::Open(path, /*query_only=*/true));
    store->readers_.Add(std::move(reader));
  }
  return store;
}

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::OpenForReading(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0) {
    return absl::NotFoundError(absl::StrCat("no database at ", path));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  ASSIGN_OR_RETURN(auto reader, Database::Open(path, /*query_only=*/true));
  ASSIGN_OR_RETURN(Statement * version, reader->Prepare("PRAGMA user_version"));
  ASSIGN_OR_RETURN(bool row, version->Step());
  const int64_t found = row ? version->ColumnInt(0) : 0;
  version->Reset();
  if (found != CurrentSchemaVersion()) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, " has schema version ", found, ", this binary reads ", CurrentSchemaVersion(),
        ": open it once with this version's server (or `gardefou serve`) to migrate it"));
  }
  store->readers_.Add(std::move(reader));
  return store;
}

absl::Status SqliteStore::Write(const std::function<absl::Status(Session&)>& body) {
  if (writer_ == nullptr) {
    return absl::FailedPreconditionError("this store was opened for reading only");
  }
  std::lock_guard<std::mutex> lock(write_mu_);
  ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*writer_));
  SqliteSession session(*writer_);
  RETURN_IF_ERROR(body(session));
  return tx->Commit();
}

absl::Status SqliteStore::Read(const std::function<absl::Status(Session&)>& body) {
  ConnectionPool<Database>::Lease db = readers_.Borrow();
  absl::Status status = db->Exec("BEGIN");
  if (status.ok()) {
    SqliteSession session(*db);
    status = body(session);
    db->ResetStatements();
    db->Exec("COMMIT").IgnoreError();
  }
  return status;
}

}  // namespace gardefou::store
