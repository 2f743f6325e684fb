// SQL of the release feed on SQLite: one append-only table whose rowid is the cursor.
#include "service/common/status_macros.h"
#include "service/store/record_json.h"
#include "service/store/sqlite/sqlite_store.h"

namespace gardefou::store {

absl::Status SqliteSession::AppendRelease(const std::string& tenant,
                                          const model::ReleaseRecord& release) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("INSERT INTO releases (tenant, assignment_id, student_id, "
                               "content_json, timestamp_us) VALUES (?1, ?2, ?3, ?4, ?5)"));
  return stmt->Bind(1, tenant)
      .Bind(2, release.assignment_id)
      .Bind(3, release.student_id)
      .Bind(4, ToJson(release))
      .Bind(5, release.timestamp_us)
      .Run();
}

absl::StatusOr<int64_t> SqliteSession::LastReleaseTime(const std::string& tenant,
                                                       const std::string& assignment_id,
                                                       const std::string& student_id) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT COALESCE(MAX(timestamp_us), 0) FROM releases "
                               "WHERE tenant = ?1 AND assignment_id = ?2 AND student_id = ?3"));
  ASSIGN_OR_RETURN(bool row, stmt->Bind(1, tenant).Bind(2, assignment_id).Bind(3, student_id)
                                 .Step());
  return row ? stmt->ColumnInt(0) : 0;
}

absl::StatusOr<std::vector<model::ReleaseRecord>> SqliteSession::ListReleases(
    const std::string& tenant, int64_t after_cursor, const std::string& assignment_id,
    int limit) {
  ASSIGN_OR_RETURN(Statement * stmt,
                   db_.Prepare("SELECT seq, content_json FROM releases "
                               "WHERE tenant = ?1 AND seq > ?2 "
                               "AND (?3 = '' OR assignment_id = ?3) ORDER BY seq LIMIT ?4"));
  stmt->Bind(1, tenant).Bind(2, after_cursor).Bind(3, assignment_id)
      .Bind(4, static_cast<int64_t>(limit));
  std::vector<model::ReleaseRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    ASSIGN_OR_RETURN(model::ReleaseRecord release,
                     FromJson<model::ReleaseRecord>(stmt->ColumnText(1)));
    release.cursor = stmt->ColumnInt(0);
    out.push_back(std::move(release));
  }
  return out;
}

}  // namespace gardefou::store
