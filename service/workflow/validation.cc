// Shape checks for rosters, assignments and request ids.
#include "service/workflow/validation.h"

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "service/common/status_macros.h"
#include "service/common/text.h"

namespace gardefou::workflow {
namespace {

using common::CheckId;
using common::CheckText;
using enum common::TextKind;

absl::Status ValidatePeople(absl::string_view field, const std::vector<model::PersonRecord>& people) {
  if (people.empty()) return absl::InvalidArgumentError(absl::StrCat(field, " must not be empty"));
  if (people.size() > kMaxRosterPeople) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " has more than ", kMaxRosterPeople, " entries"));
  }
  std::set<absl::string_view> ids;
  for (size_t i = 0; i < people.size(); ++i) {
    const model::PersonRecord& p = people[i];
    const std::string where = absl::StrCat(field, "[", i, "]");
    RETURN_IF_ERROR(CheckId(absl::StrCat(where, ".id"), p.id));
    if (!ids.insert(p.id).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".id '", p.id, "' is repeated"));
    }
    if (p.first.empty() && p.last.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(where, " needs a first or a last name"));
    }
    RETURN_IF_ERROR(CheckText(absl::StrCat(where, ".first"), p.first, 200, false, kSingleLine));
    RETURN_IF_ERROR(CheckText(absl::StrCat(where, ".last"), p.last, 200, false, kSingleLine));
    RETURN_IF_ERROR(CheckText(absl::StrCat(where, ".title"), p.title, 40, false, kSingleLine));
    RETURN_IF_ERROR(CheckText(absl::StrCat(where, ".ine"), p.ine, 32, false, kSingleLine));
    if (p.aliases.size() > 20) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".aliases has more than 20 entries"));
    }
    for (const std::string& alias : p.aliases) {
      RETURN_IF_ERROR(CheckText(absl::StrCat(where, ".aliases"), alias, 100, true, kSingleLine));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateRequestId(absl::string_view request_id) {
  return CheckId("request_id", request_id, 128);
}

absl::Status ValidateRoster(const model::RosterRecord& roster) {
  RETURN_IF_ERROR(CheckId("class_id", roster.class_id));
  RETURN_IF_ERROR(CheckText("school.name", roster.school.name, 300, true, kSingleLine));
  RETURN_IF_ERROR(CheckText("school.uai", roster.school.uai, 16, false, kSingleLine));
  RETURN_IF_ERROR(CheckText("school.city", roster.school.city, 200, false, kSingleLine));
  RETURN_IF_ERROR(CheckText("school.postcode", roster.school.postcode, 16, false, kSingleLine));
  RETURN_IF_ERROR(ValidatePeople("teachers", roster.teachers));
  return ValidatePeople("students", roster.students);
}

absl::Status ValidateAssignment(const model::AssignmentRecord& assignment) {
  RETURN_IF_ERROR(CheckId("class_id", assignment.class_id));
  RETURN_IF_ERROR(CheckText("title", assignment.title, 300, true, kSingleLine));
  RETURN_IF_ERROR(
      CheckText("instructions", assignment.instructions, kMaxLongText, false, kFreeText));
  if (assignment.criteria.empty() || assignment.criteria.size() > kMaxCriteria) {
    return absl::InvalidArgumentError(
        absl::StrCat("rubric must have between 1 and ", kMaxCriteria, " criteria"));
  }
  std::set<absl::string_view> ids;
  for (size_t i = 0; i < assignment.criteria.size(); ++i) {
    const model::CriterionRecord& c = assignment.criteria[i];
    const std::string where = absl::StrCat("rubric.criteria[", i, "]");
    RETURN_IF_ERROR(CheckId(absl::StrCat(where, ".id"), c.id));
    if (!ids.insert(c.id).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".id '", c.id, "' is repeated"));
    }
    RETURN_IF_ERROR(CheckText(absl::StrCat(where, ".label"), c.label, 300, true, kSingleLine));
    if (!std::isfinite(c.max_points) || c.max_points <= 0 || c.max_points > kMaxCriterionPoints) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".max_points must be in (0, ",
                                                     kMaxCriterionPoints, "]"));
    }
    if (c.descriptors.size() > 20) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".descriptors has more than 20"));
    }
    for (const std::string& d : c.descriptors) {
      RETURN_IF_ERROR(CheckText(absl::StrCat(where, ".descriptors"), d, 2000, true, kFreeText));
    }
  }
  if (assignment.teacher_ids.empty() || assignment.teacher_ids.size() > 50) {
    return absl::InvalidArgumentError("teacher_ids must name between 1 and 50 teachers");
  }
  for (const std::string& id : assignment.teacher_ids) {
    RETURN_IF_ERROR(CheckId("teacher_ids", id));
  }
  return absl::OkStatus();
}

absl::Status ValidatePastDate(absl::string_view field, absl::string_view value) {
  absl::CivilDay day;
  if (value.size() != 10 || !absl::ParseCivilTime(value, &day) ||
      absl::FormatCivilTime(day) != value) {
    return absl::InvalidArgumentError(absl::StrCat(field, " must be a date written YYYY-MM-DD"));
  }
  if (day > absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 1) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is in the future"));
  }
  return absl::OkStatus();
}

}  // namespace gardefou::workflow
