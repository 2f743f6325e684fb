// ToContent and Parse of the release feed's event, through the shared JSON helpers.
#include "service/audit/release_events.h"

#include "service/audit/event_json.h"
#include "service/common/status_macros.h"

namespace gardefou::audit {

using event_json::DetailsOf;
using event_json::Dump;
using event_json::Field;
using event_json::json;

EventContent ReleasesRead::ToContent() const {
  EventContent out{kAction,
                   {},
                   Dump({{"after_cursor", after_cursor},
                         {"last_cursor", last_cursor},
                         {"count", count},
                         {"assignment_id", assignment_id}})};
  if (!assignment_id.empty()) out.objects["assignment_id"] = assignment_id;
  return out;
}

absl::StatusOr<ReleasesRead> ReleasesRead::Parse(const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, kAction));
  ReleasesRead out;
  ASSIGN_OR_RETURN(out.after_cursor, Field<int64_t>(d, "after_cursor", event));
  ASSIGN_OR_RETURN(out.last_cursor, Field<int64_t>(d, "last_cursor", event));
  ASSIGN_OR_RETURN(out.count, Field<int64_t>(d, "count", event));
  ASSIGN_OR_RETURN(out.assignment_id, Field<std::string>(d, "assignment_id", event));
  return out;
}

}  // namespace gardefou::audit
