// SQL of every store operation on PostgreSQL. Parameters go as text ($1, $2, ...), cast where
// PostgreSQL could not infer their type; bytes go as BYTEA hex.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "service/common/hashing.h"
#include "service/common/status_macros.h"
#include "service/store/postgresql/pg_store.h"
#include "service/store/not_found.h"
#include "service/store/record_json.h"

namespace gardefou::store {
namespace {

std::string Int(int64_t value) { return absl::StrCat(value); }

// An integer column of `row`; DATA_LOSS when the text is not one.
absl::StatusOr<int64_t> IntAt(const PgResult& result, int row, int col) {
  int64_t value = 0;
  if (!absl::SimpleAtoi(result.Text(row, col), &value)) {
    return absl::DataLossError("an integer column holds no integer");
  }
  return value;
}

}  // namespace

// ---------------------------------------------------------------- roster

absl::Status PgSession::ReplaceRoster(const std::string& tenant,
                                      const model::RosterRecord& roster, int64_t now_us) {
  RETURN_IF_ERROR(conn_
                      .Query("INSERT INTO roster_classes (tenant, class_id, school_json, "
                             "updated_at_us) VALUES ($1, $2, $3, $4) "
                             "ON CONFLICT (tenant, class_id) DO UPDATE SET "
                             "school_json = excluded.school_json, "
                             "updated_at_us = excluded.updated_at_us",
                             {tenant, roster.class_id, ToJson(roster.school), Int(now_us)})
                      .status());
  RETURN_IF_ERROR(
      conn_.Query("DELETE FROM roster_people WHERE tenant = $1 AND class_id = $2",
                  {tenant, roster.class_id})
          .status());
  for (const auto& [kind, people] :
       {std::pair{"teacher", &roster.teachers}, std::pair{"student", &roster.students}}) {
    for (const model::PersonRecord& person : *people) {
      RETURN_IF_ERROR(conn_
                          .Query("INSERT INTO roster_people (tenant, class_id, kind, person_id, "
                                 "person_json) VALUES ($1, $2, $3, $4, $5)",
                                 {tenant, roster.class_id, std::string(kind), person.id,
                                  ToJson(person)})
                          .status());
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<model::RosterRecord> PgSession::LoadRoster(const std::string& tenant,
                                                          const std::string& class_id) {
  ASSIGN_OR_RETURN(PgResult cls, conn_.Query("SELECT school_json FROM roster_classes "
                                             "WHERE tenant = $1 AND class_id = $2",
                                             {tenant, class_id}));
  if (cls.Rows() == 0) return NotFound("class", class_id);
  model::RosterRecord roster;
  roster.class_id = class_id;
  ASSIGN_OR_RETURN(roster.school, FromJson<model::SchoolRecord>(cls.Text(0, 0)));
  // COLLATE "C": the byte order SQLite uses, whatever the database's collation.
  ASSIGN_OR_RETURN(PgResult people,
                   conn_.Query("SELECT kind, person_json FROM roster_people "
                               "WHERE tenant = $1 AND class_id = $2 "
                               "ORDER BY kind COLLATE \"C\", person_id COLLATE \"C\"",
                               {tenant, class_id}));
  for (int row = 0; row < people.Rows(); ++row) {
    ASSIGN_OR_RETURN(model::PersonRecord person,
                     FromJson<model::PersonRecord>(people.Text(row, 1)));
    (people.Text(row, 0) == "teacher" ? roster.teachers : roster.students)
        .push_back(std::move(person));
  }
  return roster;
}

absl::StatusOr<bool> PgSession::HasPerson(const std::string& tenant, const std::string& class_id,
                                          absl::string_view kind, const std::string& person_id) {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT 1 FROM roster_people WHERE tenant = $1 AND class_id = $2 "
                               "AND kind = $3 AND person_id = $4",
                               {tenant, class_id, std::string(kind), person_id}));
  return found.Rows() > 0;
}

// ---------------------------------------------------------------- assignments

absl::Status PgSession::InsertAssignment(const std::string& tenant,
                                         const model::AssignmentRecord& assignment) {
  return conn_
      .Query("INSERT INTO assignments (tenant, assignment_id, class_id, content_json, "
             "created_at_us) VALUES ($1, $2, $3, $4, $5)",
             {tenant, assignment.id, assignment.class_id, ToJson(assignment),
              Int(assignment.created_at_us)})
      .status();
}

absl::StatusOr<model::AssignmentRecord> PgSession::FindAssignment(
    const std::string& tenant, const std::string& assignment_id) {
  ASSIGN_OR_RETURN(PgResult found, conn_.Query("SELECT content_json FROM assignments "
                                               "WHERE tenant = $1 AND assignment_id = $2",
                                               {tenant, assignment_id}));
  if (found.Rows() == 0) return NotFound("assignment", assignment_id);
  return FromJson<model::AssignmentRecord>(found.Text(0, 0));
}

// ---------------------------------------------------------------- copies

absl::Status PgSession::InsertCopy(const std::string& tenant, const model::CopyRecord& copy) {
  return conn_
      .Query("INSERT INTO copies (tenant, copy_id, assignment_id, student_id, state, "
             "content_sha256, text, submitted_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
             {tenant, copy.id, copy.assignment_id, copy.student_id,
              Int(static_cast<int64_t>(copy.state)), copy.content_sha256, PgBytea(copy.text),
              Int(copy.submitted_at_us)})
      .status();
}

absl::StatusOr<model::CopyRecord> PgSession::FindCopy(const std::string& tenant,
                                                      const std::string& copy_id,
                                                      bool with_text) {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT assignment_id, student_id, state, content_sha256, "
                               "submitted_at_us, CASE WHEN $3::boolean THEN text ELSE "
                               "''::bytea END FROM copies WHERE tenant = $1 AND copy_id = $2",
                               {tenant, copy_id, with_text ? "true" : "false"}));
  if (found.Rows() == 0) return NotFound("copy", copy_id);
  model::CopyRecord copy;
  copy.id = copy_id;
  copy.assignment_id = found.Text(0, 0);
  copy.student_id = found.Text(0, 1);
  ASSIGN_OR_RETURN(int64_t state, IntAt(found, 0, 2));
  copy.state = static_cast<model::CopyState>(state);
  copy.content_sha256 = found.Text(0, 3);
  ASSIGN_OR_RETURN(copy.submitted_at_us, IntAt(found, 0, 4));
  ASSIGN_OR_RETURN(copy.text, PgUnbytea(found.Text(0, 5)));
  return copy;
}

absl::Status PgSession::SetCopyState(const std::string& tenant, const std::string& copy_id,
                                     model::CopyState state) {
  return conn_
      .Query("UPDATE copies SET state = $3 WHERE tenant = $1 AND copy_id = $2",
             {tenant, copy_id, Int(static_cast<int64_t>(state))})
      .status();
}

// ---------------------------------------------------------------- suggestions

absl::Status PgSession::InsertSuggestion(const std::string& tenant,
                                         const model::SuggestionRecord& suggestion) {
  return conn_
      .Query("INSERT INTO suggestions (tenant, suggestion_id, copy_id, content_json, "
             "created_at_us) VALUES ($1, $2, $3, $4, $5)",
             {tenant, suggestion.id, suggestion.copy_id, ToJson(suggestion),
              Int(suggestion.created_at_us)})
      .status();
}

absl::StatusOr<model::SuggestionRecord> PgSession::FindSuggestion(
    const std::string& tenant, const std::string& suggestion_id) {
  ASSIGN_OR_RETURN(PgResult found, conn_.Query("SELECT content_json FROM suggestions "
                                               "WHERE tenant = $1 AND suggestion_id = $2",
                                               {tenant, suggestion_id}));
  if (found.Rows() == 0) return NotFound("suggestion", suggestion_id);
  return FromJson<model::SuggestionRecord>(found.Text(0, 0));
}

// ---------------------------------------------------------------- reviews

absl::Status PgSession::InsertReview(const std::string& tenant,
                                     const model::ReviewRecord& review) {
  return conn_
      .Query("INSERT INTO reviews (tenant, review_id, copy_id, teacher_id, opened_at_us, "
             "closed_at_us) VALUES ($1, $2, $3, $4, $5, $6)",
             {tenant, review.id, review.copy_id, review.teacher_id, Int(review.opened_at_us),
              Int(review.closed_at_us)})
      .status();
}

absl::StatusOr<model::ReviewRecord> PgSession::FindReview(const std::string& tenant,
                                                          const std::string& review_id) {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT copy_id, teacher_id, opened_at_us, closed_at_us "
                               "FROM reviews WHERE tenant = $1 AND review_id = $2",
                               {tenant, review_id}));
  if (found.Rows() == 0) return NotFound("review", review_id);
  model::ReviewRecord review;
  review.id = review_id;
  review.copy_id = found.Text(0, 0);
  review.teacher_id = found.Text(0, 1);
  ASSIGN_OR_RETURN(review.opened_at_us, IntAt(found, 0, 2));
  ASSIGN_OR_RETURN(review.closed_at_us, IntAt(found, 0, 3));
  return review;
}

absl::Status PgSession::CloseReview(const std::string& tenant, const std::string& review_id,
                                    int64_t closed_at_us) {
  return conn_
      .Query("UPDATE reviews SET closed_at_us = $3 WHERE tenant = $1 AND review_id = $2",
             {tenant, review_id, Int(closed_at_us)})
      .status();
}

// ---------------------------------------------------------------- decisions

namespace {

absl::StatusOr<model::DecisionRecord> DecisionAt(const PgResult& result, int row, int json_col,
                                                 int active_col) {
  ASSIGN_OR_RETURN(model::DecisionRecord decision,
                   FromJson<model::DecisionRecord>(result.Text(row, json_col)));
  decision.active = result.Text(row, active_col) != "0";
  return decision;
}

}  // namespace

absl::Status PgSession::InsertDecision(const std::string& tenant,
                                       const model::DecisionRecord& decision) {
  return conn_
      .Query("INSERT INTO decisions (seq, tenant, decision_id, copy_id, assignment_id, active, "
             "content_json) SELECT COALESCE(MAX(seq), 0) + 1, $1, $2, $3, $4, 1, $5 "
             "FROM decisions",
             {tenant, decision.id, decision.copy_id, decision.assignment_id, ToJson(decision)})
      .status();
}

absl::StatusOr<model::DecisionRecord> PgSession::FindDecision(const std::string& tenant,
                                                              const std::string& decision_id) {
  ASSIGN_OR_RETURN(PgResult found, conn_.Query("SELECT content_json, active FROM decisions "
                                               "WHERE tenant = $1 AND decision_id = $2",
                                               {tenant, decision_id}));
  if (found.Rows() == 0) return NotFound("decision", decision_id);
  return DecisionAt(found, 0, 0, 1);
}

absl::StatusOr<std::optional<model::DecisionRecord>> PgSession::FindActiveDecision(
    const std::string& tenant, const std::string& copy_id) {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT content_json, active FROM decisions "
                               "WHERE tenant = $1 AND copy_id = $2 AND active = 1",
                               {tenant, copy_id}));
  if (found.Rows() == 0) return std::nullopt;
  return DecisionAt(found, 0, 0, 1);
}

absl::Status PgSession::SupersedeDecision(const std::string& tenant,
                                          const std::string& decision_id) {
  return conn_
      .Query("UPDATE decisions SET active = 0 WHERE tenant = $1 AND decision_id = $2",
             {tenant, decision_id})
      .status();
}

absl::StatusOr<std::vector<std::pair<int64_t, model::DecisionRecord>>> PgSession::ListDecisions(
    const std::string& tenant, const std::string& assignment_id, bool include_superseded,
    int64_t after_pos, int limit) {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT seq, content_json, active FROM decisions "
                               "WHERE tenant = $1 AND assignment_id = $2 AND seq > $3::bigint "
                               "AND ($4::boolean OR active = 1) ORDER BY seq LIMIT $5::bigint",
                               {tenant, assignment_id, Int(after_pos),
                                include_superseded ? "true" : "false", Int(limit)}));
  std::vector<std::pair<int64_t, model::DecisionRecord>> out;
  for (int row = 0; row < found.Rows(); ++row) {
    ASSIGN_OR_RETURN(int64_t seq, IntAt(found, row, 0));
    ASSIGN_OR_RETURN(model::DecisionRecord decision, DecisionAt(found, row, 1, 2));
    out.emplace_back(seq, std::move(decision));
  }
  return out;
}

// ---------------------------------------------------------------- idempotency

absl::StatusOr<std::optional<IdempotentReply>> PgSession::FindReply(
    const std::string& tenant, const std::string& method, const std::string& request_id) {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT fingerprint, response, response_sha256, object_id "
                               "FROM idempotency "
                               "WHERE tenant = $1 AND method = $2 AND request_id = $3",
                               {tenant, method, request_id}));
  if (found.Rows() == 0) return std::nullopt;
  ASSIGN_OR_RETURN(std::string response, PgUnbytea(found.Text(0, 1)));
  return IdempotentReply{found.Text(0, 0), std::move(response), found.Text(0, 2),
                         found.Text(0, 3)};
}

absl::Status PgSession::RecordReply(const std::string& tenant, const std::string& method,
                                    const std::string& request_id, const IdempotentReply& reply,
                                    int64_t now_us) {
  return conn_
      .Query("INSERT INTO idempotency (tenant, method, request_id, fingerprint, response, "
             "created_at_us, response_sha256, object_id) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
             {tenant, method, request_id, reply.fingerprint, PgBytea(reply.response),
              Int(now_us), reply.response_sha256, reply.object_id})
      .status();
}

// ---------------------------------------------------------------- audit

namespace {

constexpr char kEventColumns[] =
    "seq, time_us, tenant, actor_id, actor_role, action, objects_json, policy_hash, "
    "details_json, prev_hash, hash";

absl::StatusOr<model::AuditEventRecord> EventAt(const PgResult& result, int row) {
  model::AuditEventRecord event;
  ASSIGN_OR_RETURN(event.seq, IntAt(result, row, 0));
  ASSIGN_OR_RETURN(event.time_us, IntAt(result, row, 1));
  event.tenant = result.Text(row, 2);
  event.actor_id = result.Text(row, 3);
  event.actor_role = result.Text(row, 4);
  event.action = result.Text(row, 5);
  nlohmann::json objects = nlohmann::json::parse(result.Text(row, 6), nullptr, false);
  if (objects.is_object()) {
    for (const auto& [key, value] : objects.items()) {
      if (value.is_string()) event.objects[key] = value.get<std::string>();
    }
  }
  event.policy_hash = result.Text(row, 7);
  event.details_json = result.Text(row, 8);
  event.prev_hash = result.Text(row, 9);
  event.hash = result.Text(row, 10);
  return event;
}

// Events are read in batches of this many rows: memory stays bounded on a long trail.
constexpr int kEventBatch = 5000;

}  // namespace

absl::StatusOr<audit::ChainHead> PgSession::Head() {
  ASSIGN_OR_RETURN(PgResult last,
                   conn_.Query("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"));
  audit::ChainHead head;
  if (last.Rows() == 0) return head;
  ASSIGN_OR_RETURN(head.seq, IntAt(last, 0, 0));
  head.hash = last.Text(0, 1);
  return head;
}

absl::Status PgSession::InsertEvent(const model::AuditEventRecord& event) {
  return conn_
      .Query(absl::StrCat("INSERT INTO audit_events (", kEventColumns,
                          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"),
             {Int(event.seq), Int(event.time_us), event.tenant, event.actor_id, event.actor_role,
              event.action, nlohmann::json(event.objects).dump(), event.policy_hash,
              event.details_json, event.prev_hash, event.hash})
      .status();
}

absl::StatusOr<std::vector<model::AuditEventRecord>> PgSession::ListAuditEvents(
    const AuditQuery& query) {
  ASSIGN_OR_RETURN(
      PgResult found,
      conn_.Query(absl::StrCat(
                      "SELECT ", kEventColumns,
                      " FROM audit_events WHERE tenant = $1 AND seq > $2::bigint "
                      "AND ($3 = '' OR action = $3) AND ($4 = '' OR actor_id = $4) "
                      "AND ($5::bigint = 0 OR time_us >= $5::bigint) "
                      "AND ($6::bigint = 0 OR time_us < $6::bigint) "
                      "AND ($7 = '' OR EXISTS (SELECT 1 FROM json_each_text(objects_json::json) "
                      "AS o WHERE o.value = $7)) ORDER BY seq LIMIT $8::bigint"),
                  {query.tenant, Int(query.after_seq), query.action, query.actor_id,
                   Int(query.since_us), Int(query.until_us), query.object_id,
                   Int(query.limit)}));
  std::vector<model::AuditEventRecord> out;
  for (int row = 0; row < found.Rows(); ++row) {
    ASSIGN_OR_RETURN(model::AuditEventRecord event, EventAt(found, row));
    out.push_back(std::move(event));
  }
  return out;
}

absl::Status PgSession::ForEachAuditEvent(
    const std::function<void(const model::AuditEventRecord&)>& visit, int64_t after_seq) {
  while (true) {
    ASSIGN_OR_RETURN(PgResult batch,
                     conn_.Query(absl::StrCat("SELECT ", kEventColumns,
                                              " FROM audit_events WHERE seq > $1::bigint "
                                              "ORDER BY seq LIMIT ",
                                              kEventBatch),
                                 {Int(after_seq)}));
    for (int row = 0; row < batch.Rows(); ++row) {
      ASSIGN_OR_RETURN(model::AuditEventRecord event, EventAt(batch, row));
      after_seq = event.seq;
      visit(event);
    }
    if (batch.Rows() < kEventBatch) return absl::OkStatus();
  }
}

absl::StatusOr<std::optional<model::AuditEventRecord>> PgSession::FindAuditEvent(int64_t seq) {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query(absl::StrCat("SELECT ", kEventColumns,
                                            " FROM audit_events WHERE seq = $1::bigint"),
                               {Int(seq)}));
  if (found.Rows() == 0) return std::nullopt;
  return EventAt(found, 0);
}

// ---------------------------------------------------------------- Merkle tree

absl::Status PgSession::InsertNode(int level, uint64_t index, const audit::Hash& hash) {
  return conn_
      .Query("INSERT INTO merkle_nodes (level, idx, hash) VALUES ($1, $2, $3)",
             {Int(level), Int(static_cast<int64_t>(index)),
              PgBytea(common::DigestBytes(hash))})
      .status();
}

absl::StatusOr<uint64_t> PgSession::TreeSize() {
  ASSIGN_OR_RETURN(PgResult found, conn_.Query("SELECT COALESCE(MAX(idx) + 1, 0) FROM "
                                               "merkle_nodes WHERE level = 0"));
  ASSIGN_OR_RETURN(int64_t size, IntAt(found, 0, 0));
  return static_cast<uint64_t>(size);
}

audit::NodeReader PgSession::TreeNodes() {
  return [this](int level, uint64_t index) -> absl::StatusOr<audit::Hash> {
    ASSIGN_OR_RETURN(PgResult found,
                     conn_.Query("SELECT hash FROM merkle_nodes WHERE level = $1::bigint "
                                 "AND idx = $2::bigint",
                                 {Int(level), Int(static_cast<int64_t>(index))}));
    audit::Hash hash;
    absl::StatusOr<std::string> bytes =
        found.Rows() == 1 ? PgUnbytea(found.Text(0, 0)) : std::string();
    if (!bytes.ok() || !common::DigestFromBytes(*bytes, hash)) {
      return absl::DataLossError(absl::StrCat("the Merkle tree lacks node ", level, "/", index));
    }
    return hash;
  };
}

// ---------------------------------------------------------------- checkpoints

namespace {

absl::StatusOr<model::CheckpointRecord> CheckpointAt(const PgResult& result, int row) {
  model::CheckpointRecord checkpoint;
  ASSIGN_OR_RETURN(checkpoint.tree_size, IntAt(result, row, 0));
  ASSIGN_OR_RETURN(checkpoint.root, PgUnbytea(result.Text(row, 1)));
  checkpoint.note = result.Text(row, 2);
  ASSIGN_OR_RETURN(checkpoint.signed_at_us, IntAt(result, row, 3));
  return checkpoint;
}

}  // namespace

absl::Status PgSession::InsertCheckpoint(const model::CheckpointRecord& checkpoint) {
  return conn_
      .Query("INSERT INTO checkpoints (tree_size, root, note, signed_at_us) "
             "VALUES ($1, $2, $3, $4)",
             {Int(checkpoint.tree_size), PgBytea(checkpoint.root), checkpoint.note,
              Int(checkpoint.signed_at_us)})
      .status();
}

absl::StatusOr<std::vector<model::CheckpointRecord>> PgSession::ListCheckpoints() {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT tree_size, root, note, signed_at_us FROM checkpoints "
                               "ORDER BY tree_size"));
  std::vector<model::CheckpointRecord> out;
  for (int row = 0; row < found.Rows(); ++row) {
    ASSIGN_OR_RETURN(model::CheckpointRecord checkpoint, CheckpointAt(found, row));
    out.push_back(std::move(checkpoint));
  }
  return out;
}

absl::StatusOr<std::optional<model::CheckpointRecord>> PgSession::LatestCheckpoint() {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT tree_size, root, note, signed_at_us FROM checkpoints "
                               "ORDER BY tree_size DESC LIMIT 1"));
  if (found.Rows() == 0) return std::nullopt;
  return CheckpointAt(found, 0);
}

// ---------------------------------------------------------------- bulk transfer

absl::Status PgSession::ForEachRow(
    const TableSpec& table,
    const std::function<absl::Status(const std::vector<std::string>&)>& visit) {
  std::vector<std::string> names;
  for (const Column& column : table.columns) names.emplace_back(column.name);
  // Text keys in byte order (COLLATE "C"), as SQLite lists them, whatever the database's
  // collation; integer keys as they are.
  std::vector<std::string> order;
  for (absl::string_view key : absl::StrSplit(table.key, ", ")) {
    const bool integer = key == "seq" || key == "level" || key == "idx" || key == "tree_size";
    order.push_back(absl::StrCat(key, integer ? "" : " COLLATE \"C\""));
  }
  // Keyset pagination would need per-table key comparisons; a cursor keeps memory bounded.
  RETURN_IF_ERROR(conn_.Exec(absl::StrCat("DECLARE gardefou_rows NO SCROLL CURSOR FOR SELECT ",
                                          absl::StrJoin(names, ", "), " FROM ", table.name,
                                          " ORDER BY ", absl::StrJoin(order, ", "))));
  std::vector<std::string> values(names.size());
  absl::Status status = absl::OkStatus();
  while (status.ok()) {
    absl::StatusOr<PgResult> batch = conn_.Query("FETCH 1000 FROM gardefou_rows");
    if (!batch.ok()) {
      status = batch.status();
      break;
    }
    for (int row = 0; status.ok() && row < batch->Rows(); ++row) {
      for (size_t i = 0; status.ok() && i < values.size(); ++i) {
        values[i] = batch->Text(row, static_cast<int>(i));
        if (table.columns[i].binary) {
          absl::StatusOr<std::string> bytes = PgUnbytea(values[i]);
          if (bytes.ok()) values[i] = *std::move(bytes);
          status = bytes.status();
        }
      }
      if (status.ok()) status = visit(values);
    }
    if (batch->Rows() == 0) break;
  }
  if (status.ok()) return conn_.Exec("CLOSE gardefou_rows");
  return status;
}

absl::Status PgSession::InsertRow(const TableSpec& table, const std::vector<std::string>& values) {
  if (values.size() != table.columns.size()) {
    return absl::InvalidArgumentError(absl::StrCat("a row of ", table.name, " has ",
                                                   values.size(), " values, not ",
                                                   table.columns.size()));
  }
  std::vector<std::string> names, slots;
  std::vector<PgParam> params;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    names.emplace_back(table.columns[i].name);
    slots.push_back(absl::StrCat("$", i + 1));
    params.emplace_back(table.columns[i].binary ? PgBytea(values[i]) : values[i]);
  }
  return conn_
      .Query(absl::StrCat("INSERT INTO ", table.name, " (", absl::StrJoin(names, ", "),
                          ") VALUES (", absl::StrJoin(slots, ", "), ")"),
             params)
      .status();
}

}  // namespace gardefou::store
