// SQL of the safeguards' rows on SQLite: blind-first marks, families informed, objections.
#include "service/common/status_macros.h"
#include "service/store/not_found.h"
#include "service/store/record_json.h"
#include "service/store/sqlite/sqlite_store.h"

namespace gardefou::store {

absl::Status SqliteSession::InsertProvisionalScores(const std::string& tenant,
                                                    const model::ProvisionalScoresRecord& scores) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("INSERT INTO provisional_scores (tenant, review_id, copy_id, "
                               "content_json, recorded_at_us) VALUES (?1, ?2, ?3, ?4, ?5)"));
  return stmt->Bind(1, tenant)
      .Bind(2, scores.review_id)
      .Bind(3, scores.copy_id)
      .Bind(4, ToJson(scores))
      .Bind(5, scores.recorded_at_us)
      .Run();
}

absl::StatusOr<std::optional<model::ProvisionalScoresRecord>> SqliteSession::FindProvisionalScores(
    const std::string& tenant, const std::string& copy_id) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT content_json FROM provisional_scores "
                               "WHERE tenant = ?1 AND copy_id = ?2 "
                               "ORDER BY recorded_at_us DESC, review_id DESC LIMIT 1"));
  ASSIGN_OR_RETURN(bool found, stmt->Bind(1, tenant).Bind(2, copy_id).Step());
  if (!found) return std::nullopt;
  return FromJson<model::ProvisionalScoresRecord>(stmt->ColumnText(0));
}

absl::Status SqliteSession::RecordFamiliesInformed(const std::string& tenant,
                                                   const model::FamiliesInformedRecord& record) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("INSERT INTO families_informed (tenant, class_id, informed_on, "
                               "recorded_by, recorded_at_us) VALUES (?1, ?2, ?3, ?4, ?5) "
                               "ON CONFLICT (tenant, class_id) DO UPDATE SET "
                               "informed_on = excluded.informed_on, "
                               "recorded_by = excluded.recorded_by, "
                               "recorded_at_us = excluded.recorded_at_us"));
  return stmt->Bind(1, tenant)
      .Bind(2, record.class_id)
      .Bind(3, record.informed_on)
      .Bind(4, record.recorded_by)
      .Bind(5, record.recorded_at_us)
      .Run();
}

absl::StatusOr<std::optional<model::FamiliesInformedRecord>> SqliteSession::FindFamiliesInformed(
    const std::string& tenant, const std::string& class_id) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT informed_on, recorded_by, recorded_at_us "
                               "FROM families_informed WHERE tenant = ?1 AND class_id = ?2"));
  ASSIGN_OR_RETURN(bool found, stmt->Bind(1, tenant).Bind(2, class_id).Step());
  if (!found) return std::nullopt;
  return model::FamiliesInformedRecord{class_id, stmt->ColumnText(0), stmt->ColumnText(1),
                                       stmt->ColumnInt(2)};
}

absl::Status SqliteSession::InsertObjection(const std::string& tenant,
                                            const model::ObjectionRecord& objection) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("INSERT INTO objections (tenant, objection_id, class_id, "
                               "student_id, content_json, recorded_at_us) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  return stmt->Bind(1, tenant)
      .Bind(2, objection.id)
      .Bind(3, objection.class_id)
      .Bind(4, objection.student_id)
      .Bind(5, ToJson(objection))
      .Bind(6, objection.recorded_at_us)
      .Run();
}

absl::Status SqliteSession::UpdateObjection(const std::string& tenant,
                                            const model::ObjectionRecord& objection) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("UPDATE objections SET content_json = ?3 "
                               "WHERE tenant = ?1 AND objection_id = ?2"));
  return stmt->Bind(1, tenant).Bind(2, objection.id).Bind(3, ToJson(objection)).Run();
}

absl::StatusOr<model::ObjectionRecord> SqliteSession::FindObjection(
    const std::string& tenant, const std::string& objection_id) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT content_json FROM objections "
                               "WHERE tenant = ?1 AND objection_id = ?2"));
  ASSIGN_OR_RETURN(bool found, stmt->Bind(1, tenant).Bind(2, objection_id).Step());
  if (!found) return NotFound("objection", objection_id);
  return FromJson<model::ObjectionRecord>(stmt->ColumnText(0));
}

absl::StatusOr<std::vector<model::ObjectionRecord>> SqliteSession::ListObjections(
    const std::string& tenant, const std::string& class_id, const std::string& student_id) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT content_json FROM objections "
                               "WHERE tenant = ?1 AND class_id = ?2 "
                               "AND (?3 = '' OR student_id = ?3) "
                               "ORDER BY recorded_at_us, objection_id"));
  stmt->Bind(1, tenant).Bind(2, class_id).Bind(3, student_id);
  std::vector<model::ObjectionRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    ASSIGN_OR_RETURN(model::ObjectionRecord objection,
                     FromJson<model::ObjectionRecord>(stmt->ColumnText(0)));
    out.push_back(std::move(objection));
  }
  return out;
}

}  // namespace gardefou::store
