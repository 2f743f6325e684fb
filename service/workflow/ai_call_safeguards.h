// Whether a pupil's copy may be sent to any AI at all, before the provider is even looked at:
// families informed, no objection in force, the teacher's blind-first marks recorded.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "policy/policy.h"
#include "service/store/store.h"

namespace gardefou::workflow {

struct AiCallRefusal {
  std::string reason;   // FAMILIES_NOT_INFORMED, OBJECTION or BLIND_FIRST
  std::string message;  // what the caller can do about it
};

// The first safeguard that refuses an AI call on `copy`, or nullopt. Reads only.
absl::StatusOr<std::optional<AiCallRefusal>> CheckAiCallSafeguards(
    store::Session& session, const policy::Policy& policy, const std::string& tenant,
    const model::CopyRecord& copy, const model::AssignmentRecord& assignment);

}  // namespace gardefou::workflow
