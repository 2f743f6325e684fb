// ToContent and Parse of the policy's events, through the shared JSON helpers.
#include "service/audit/policy_events.h"

#include "service/audit/event_json.h"
#include "service/common/status_macros.h"

namespace gardefou::audit {

using event_json::DetailsOf;
using event_json::Dump;
using event_json::Field;
using event_json::json;
using event_json::RequiredObject;

EventContent PolicyChanged::ToContent() const {
  return {kAction,
          {},
          Dump({{"old_hash", old_hash},
                {"new_hash", new_hash},
                {"old_name", old_name},
                {"new_name", new_name},
                {"old_stopped", old_stopped},
                {"new_stopped", new_stopped}})};
}

absl::StatusOr<PolicyChanged> PolicyChanged::Parse(const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, kAction));
  PolicyChanged out;
  ASSIGN_OR_RETURN(out.old_hash, Field<std::string>(d, "old_hash", event));
  ASSIGN_OR_RETURN(out.new_hash, Field<std::string>(d, "new_hash", event));
  ASSIGN_OR_RETURN(out.old_name, Field<std::string>(d, "old_name", event));
  ASSIGN_OR_RETURN(out.new_name, Field<std::string>(d, "new_name", event));
  ASSIGN_OR_RETURN(out.old_stopped, Field<std::vector<std::string>>(d, "old_stopped", event));
  ASSIGN_OR_RETURN(out.new_stopped, Field<std::vector<std::string>>(d, "new_stopped", event));
  return out;
}

EventContent ProviderRefused::ToContent() const {
  return {kAction,
          {{"copy_id", copy_id}, {"assignment_id", assignment_id}, {"student_id", student_id}},
          Dump({{"provider", provider}, {"purpose", purpose}, {"unmet", unmet}})};
}

absl::StatusOr<ProviderRefused> ProviderRefused::Parse(const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, kAction));
  ProviderRefused out;
  ASSIGN_OR_RETURN(out.copy_id, RequiredObject(event, "copy_id"));
  ASSIGN_OR_RETURN(out.assignment_id, RequiredObject(event, "assignment_id"));
  ASSIGN_OR_RETURN(out.student_id, RequiredObject(event, "student_id"));
  ASSIGN_OR_RETURN(out.provider, Field<std::string>(d, "provider", event));
  ASSIGN_OR_RETURN(out.purpose, Field<std::string>(d, "purpose", event));
  ASSIGN_OR_RETURN(out.unmet, Field<std::vector<std::string>>(d, "unmet", event));
  return out;
}

}  // namespace gardefou::audit
