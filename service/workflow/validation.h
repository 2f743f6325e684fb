// Stateless checks of the shape of incoming objects: sizes, ids, UTF-8, bounds. Each failure
// is INVALID_ARGUMENT with a message naming the field, never echoing personal data.
#pragma once

#include "absl/status/status.h"
#include "service/model/records.h"

namespace gardefou::workflow {

inline constexpr size_t kMaxRosterPeople = 5000;
inline constexpr size_t kMaxCriteria = 50;
inline constexpr double kMaxCriterionPoints = 1000;
inline constexpr size_t kMaxLongText = 64 * 1024;
inline constexpr size_t kMaxExtraWorkItems = 20;

absl::Status ValidateRoster(const model::RosterRecord& roster);

// Checks title, instructions, rubric and teacher list (not whether the teachers exist).
absl::Status ValidateAssignment(const model::AssignmentRecord& assignment);

absl::Status ValidateRequestId(absl::string_view request_id);

// A calendar day written YYYY-MM-DD, not after tomorrow (UTC: the school's today, wherever).
absl::Status ValidatePastDate(absl::string_view field, absl::string_view value);

}  // namespace gardefou::workflow
