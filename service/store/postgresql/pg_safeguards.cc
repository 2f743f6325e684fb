// SQL of the safeguards' rows on PostgreSQL: blind-first marks, families informed, objections.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/common/status_macros.h"
#include "service/store/not_found.h"
#include "service/store/postgresql/pg_store.h"
#include "service/store/record_json.h"

namespace gardefou::store {

absl::Status PgSession::InsertProvisionalScores(const std::string& tenant,
                                                const model::ProvisionalScoresRecord& scores) {
  return conn_
      .Query("INSERT INTO provisional_scores (tenant, review_id, copy_id, content_json, "
             "recorded_at_us) VALUES ($1, $2, $3, $4, $5)",
             {tenant, scores.review_id, scores.copy_id, ToJson(scores),
              absl::StrCat(scores.recorded_at_us)})
      .status();
}

absl::StatusOr<std::optional<model::ProvisionalScoresRecord>> PgSession::FindProvisionalScores(
    const std::string& tenant, const std::string& copy_id) {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT content_json FROM provisional_scores "
                               "WHERE tenant = $1 AND copy_id = $2 "
                               "ORDER BY recorded_at_us DESC, review_id DESC LIMIT 1",
                               {tenant, copy_id}));
  if (found.Rows() == 0) return std::nullopt;
  return FromJson<model::ProvisionalScoresRecord>(found.Text(0, 0));
}

absl::Status PgSession::RecordFamiliesInformed(const std::string& tenant,
                                               const model::FamiliesInformedRecord& record) {
  return conn_
      .Query("INSERT INTO families_informed (tenant, class_id, informed_on, recorded_by, "
             "recorded_at_us) VALUES ($1, $2, $3, $4, $5) "
             "ON CONFLICT (tenant, class_id) DO UPDATE SET "
             "informed_on = excluded.informed_on, recorded_by = excluded.recorded_by, "
             "recorded_at_us = excluded.recorded_at_us",
             {tenant, record.class_id, record.informed_on, record.recorded_by,
              absl::StrCat(record.recorded_at_us)})
      .status();
}

absl::StatusOr<std::optional<model::FamiliesInformedRecord>> PgSession::FindFamiliesInformed(
    const std::string& tenant, const std::string& class_id) {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT informed_on, recorded_by, recorded_at_us "
                               "FROM families_informed WHERE tenant = $1 AND class_id = $2",
                               {tenant, class_id}));
  if (found.Rows() == 0) return std::nullopt;
  model::FamiliesInformedRecord record{class_id, found.Text(0, 0), found.Text(0, 1), 0};
  if (!absl::SimpleAtoi(found.Text(0, 2), &record.recorded_at_us)) {
    return absl::DataLossError("an integer column holds no integer");
  }
  return record;
}

absl::Status PgSession::InsertObjection(const std::string& tenant,
                                        const model::ObjectionRecord& objection) {
  return conn_
      .Query("INSERT INTO objections (tenant, objection_id, class_id, student_id, "
             "content_json, recorded_at_us) VALUES ($1, $2, $3, $4, $5, $6)",
             {tenant, objection.id, objection.class_id, objection.student_id,
              ToJson(objection), absl::StrCat(objection.recorded_at_us)})
      .status();
}

absl::Status PgSession::UpdateObjection(const std::string& tenant,
                                        const model::ObjectionRecord& objection) {
  return conn_
      .Query("UPDATE objections SET content_json = $3 WHERE tenant = $1 AND objection_id = $2",
             {tenant, objection.id, ToJson(objection)})
      .status();
}

absl::StatusOr<model::ObjectionRecord> PgSession::FindObjection(const std::string& tenant,
                                                                const std::string& objection_id) {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT content_json FROM objections "
                               "WHERE tenant = $1 AND objection_id = $2",
                               {tenant, objection_id}));
  if (found.Rows() == 0) return NotFound("objection", objection_id);
  return FromJson<model::ObjectionRecord>(found.Text(0, 0));
}

absl::StatusOr<std::vector<model::ObjectionRecord>> PgSession::ListObjections(
    const std::string& tenant, const std::string& class_id, const std::string& student_id) {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT content_json FROM objections "
                               "WHERE tenant = $1 AND class_id = $2 "
                               "AND ($3 = '' OR student_id = $3) "
                               "ORDER BY recorded_at_us, objection_id",
                               {tenant, class_id, student_id}));
  std::vector<model::ObjectionRecord> out;
  for (int row = 0; row < found.Rows(); ++row) {
    ASSIGN_OR_RETURN(model::ObjectionRecord objection,
                     FromJson<model::ObjectionRecord>(found.Text(row, 0)));
    out.push_back(std::move(objection));
  }
  return out;
}

}  // namespace gardefou::store
