// SQL of the release feed on PostgreSQL: one append-only table; its seq (MAX + 1 under the
// write lock) is the cursor, so cursors follow commit order across instances.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/common/status_macros.h"
#include "service/store/postgresql/pg_store.h"
#include "service/store/record_json.h"

namespace gardefou::store {

absl::Status PgSession::AppendRelease(const std::string& tenant,
                                      const model::ReleaseRecord& release) {
  return conn_
      .Query("INSERT INTO releases (seq, tenant, assignment_id, student_id, content_json, "
             "timestamp_us) SELECT COALESCE(MAX(seq), 0) + 1, $1, $2, $3, $4, $5 FROM releases",
             {tenant, release.assignment_id, release.student_id, ToJson(release),
              absl::StrCat(release.timestamp_us)})
      .status();
}

absl::StatusOr<int64_t> PgSession::LastReleaseTime(const std::string& tenant,
                                                   const std::string& assignment_id,
                                                   const std::string& student_id) {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT COALESCE(MAX(timestamp_us), 0) FROM releases "
                               "WHERE tenant = $1 AND assignment_id = $2 AND student_id = $3",
                               {tenant, assignment_id, student_id}));
  int64_t out = 0;
  if (found.Rows() != 1 || !absl::SimpleAtoi(found.Text(0, 0), &out)) {
    return absl::DataLossError("an integer column holds no integer");
  }
  return out;
}

absl::StatusOr<std::vector<model::ReleaseRecord>> PgSession::ListReleases(
    const std::string& tenant, int64_t after_cursor, const std::string& assignment_id,
    int limit) {
  ASSIGN_OR_RETURN(PgResult found,
                   conn_.Query("SELECT seq, content_json FROM releases "
                               "WHERE tenant = $1 AND seq > $2::bigint "
                               "AND ($3 = '' OR assignment_id = $3) ORDER BY seq LIMIT $4::int",
                               {tenant, absl::StrCat(after_cursor), assignment_id,
                                absl::StrCat(limit)}));
  std::vector<model::ReleaseRecord> out;
  for (int row = 0; row < found.Rows(); ++row) {
    ASSIGN_OR_RETURN(model::ReleaseRecord release,
                     FromJson<model::ReleaseRecord>(found.Text(row, 1)));
    if (!absl::SimpleAtoi(found.Text(row, 0), &release.cursor)) {
      return absl::DataLossError("an integer column holds no integer");
    }
    out.push_back(std::move(release));
  }
  return out;
}

}  // namespace gardefou::store
