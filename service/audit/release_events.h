// The trail's event of the release feed, typed: who fetched which part of a tenant's feed.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "service/audit/event_content.h"
#include "service/model/records.h"

namespace gardefou::audit {

// A page of the release feed handed to a caller: cursors (after_cursor, last_cursor], how
// many releases, and the line item asked for, if any.
struct ReleasesRead {
  static constexpr char kAction[] = "RELEASES_READ";
  int64_t after_cursor = 0, last_cursor = 0;
  int64_t count = 0;
  std::string assignment_id;  // empty: every line item

  EventContent ToContent() const;
  // INVALID_ARGUMENT when `event` is another action or lacks a detail.
  static absl::StatusOr<ReleasesRead> Parse(const model::AuditEventRecord& event);
};

}  // namespace gardefou::audit
