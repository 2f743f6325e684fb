// ToContent and Parse of the safeguards' events, through the shared JSON helpers.
#include "service/audit/safeguard_events.h"

#include "absl/strings/str_cat.h"
#include "service/audit/event_json.h"
#include "service/common/status_macros.h"

namespace gardefou::audit {

using event_json::DetailsOf;
using event_json::Dump;
using event_json::Field;
using event_json::json;
using event_json::RequiredObject;

EventContent FamiliesInformedRecorded::ToContent() const {
  return {kAction, {{"class_id", class_id}}, Dump({{"informed_on", informed_on}})};
}

absl::StatusOr<FamiliesInformedRecorded> FamiliesInformedRecorded::Parse(
    const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, kAction));
  FamiliesInformedRecorded out;
  ASSIGN_OR_RETURN(out.class_id, RequiredObject(event, "class_id"));
  ASSIGN_OR_RETURN(out.informed_on, Field<std::string>(d, "informed_on", event));
  return out;
}

EventContent ObjectionChanged::ToContent() const {
  json details = json::object();
  if (action == kRecorded) details["received_on"] = received_on;
  if (action == kOverridden) details["justification_sha256"] = justification_sha256;
  return {action,
          {{"objection_id", objection_id}, {"class_id", class_id}, {"student_id", student_id}},
          Dump(details)};
}

absl::StatusOr<ObjectionChanged> ObjectionChanged::Parse(const model::AuditEventRecord& event) {
  if (event.action != kRecorded && event.action != kOverridden && event.action != kWithdrawn) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.seq, " is not an objection's event"));
  }
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, event.action));
  ObjectionChanged out;
  out.action = event.action;
  ASSIGN_OR_RETURN(out.objection_id, RequiredObject(event, "objection_id"));
  ASSIGN_OR_RETURN(out.class_id, RequiredObject(event, "class_id"));
  ASSIGN_OR_RETURN(out.student_id, RequiredObject(event, "student_id"));
  if (out.action == kRecorded) {
    ASSIGN_OR_RETURN(out.received_on, Field<std::string>(d, "received_on", event));
  }
  if (out.action == kOverridden) {
    ASSIGN_OR_RETURN(out.justification_sha256,
                     Field<std::string>(d, "justification_sha256", event));
  }
  return out;
}

EventContent AiCallRefused::ToContent() const {
  return {kAction,
          {{"copy_id", copy_id}, {"assignment_id", assignment_id}, {"student_id", student_id}},
          Dump({{"purpose", purpose}, {"reason", reason}})};
}

absl::StatusOr<AiCallRefused> AiCallRefused::Parse(const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, kAction));
  AiCallRefused out;
  ASSIGN_OR_RETURN(out.copy_id, RequiredObject(event, "copy_id"));
  ASSIGN_OR_RETURN(out.assignment_id, RequiredObject(event, "assignment_id"));
  ASSIGN_OR_RETURN(out.student_id, RequiredObject(event, "student_id"));
  ASSIGN_OR_RETURN(out.purpose, Field<std::string>(d, "purpose", event));
  ASSIGN_OR_RETURN(out.reason, Field<std::string>(d, "reason", event));
  return out;
}

EventContent ProvisionalScoresRecorded::ToContent() const {
  return {kAction,
          {{"review_id", review_id},
           {"copy_id", copy_id},
           {"assignment_id", assignment_id},
           {"student_id", student_id}},
          Dump({{"points", points}})};
}

absl::StatusOr<ProvisionalScoresRecorded> ProvisionalScoresRecorded::Parse(
    const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, kAction));
  ProvisionalScoresRecorded out;
  ASSIGN_OR_RETURN(out.review_id, RequiredObject(event, "review_id"));
  ASSIGN_OR_RETURN(out.copy_id, RequiredObject(event, "copy_id"));
  ASSIGN_OR_RETURN(out.assignment_id, RequiredObject(event, "assignment_id"));
  ASSIGN_OR_RETURN(out.student_id, RequiredObject(event, "student_id"));
  ASSIGN_OR_RETURN(out.points, (Field<std::map<std::string, double>>(d, "points", event)));
  return out;
}

}  // namespace gardefou::audit
