// The trail's events of the policy itself, typed: a policy put in force (at a reload), and a
// provider refused because it does not meet the policy's requirements (nothing was sent).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "service/audit/event_content.h"
#include "service/model/records.h"

namespace gardefou::audit {

// Each Parse: INVALID_ARGUMENT when `event` is another action, or lacks one of the objects or
// details its ToContent writes, or has one of another type.

// A new policy document in force; events from then on carry `new_hash`.
struct PolicyChanged {
  static constexpr char kAction[] = "POLICY_CHANGED";
  std::string old_hash, new_hash;
  std::string old_name, new_name;
  // What the stop switch stops before and after ("all", "provider NAME", "tenant UAI"): a stop
  // and a resumption read as such in the trail.
  std::vector<std::string> old_stopped, new_stopped;

  EventContent ToContent() const;
  static absl::StatusOr<PolicyChanged> Parse(const model::AuditEventRecord& event);
};

// A suggestion refused before anything left: the provider does not meet the policy.
struct ProviderRefused {
  static constexpr char kAction[] = "PROVIDER_REFUSED";
  std::string copy_id, assignment_id, student_id;
  std::string provider;
  std::string purpose;
  std::vector<std::string> unmet;  // requirement names, e.g. "eu_residency"

  EventContent ToContent() const;
  static absl::StatusOr<ProviderRefused> Parse(const model::AuditEventRecord& event);
};

}  // namespace gardefou::audit
