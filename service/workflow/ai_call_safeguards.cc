// The safeguards checked before any AI call, in the order a caller can lift them.
#include "service/workflow/ai_call_safeguards.h"

#include "absl/strings/str_cat.h"
#include "service/common/status_macros.h"

namespace gardefou::workflow {

absl::StatusOr<std::optional<AiCallRefusal>> CheckAiCallSafeguards(
    store::Session& session, const policy::Policy& policy, const std::string& tenant,
    const model::CopyRecord& copy, const model::AssignmentRecord& assignment) {
  if (policy.families_must_be_informed()) {
    ASSIGN_OR_RETURN(auto informed, session.FindFamiliesInformed(tenant, assignment.class_id));
    if (!informed) {
      return AiCallRefusal{
          "FAMILIES_NOT_INFORMED",
          absl::StrCat("FAMILIES_NOT_INFORMED: policy ", policy.name(),
                       " makes no AI call for a class until the day its families were informed "
                       "is recorded (RecordFamiliesInformed); nothing was sent")};
    }
  }
  ASSIGN_OR_RETURN(std::vector<model::ObjectionRecord> objections,
                   session.ListObjections(tenant, assignment.class_id, copy.student_id));
  for (const model::ObjectionRecord& objection : objections) {
    if (objection.state == model::ObjectionState::kActive) {
      return AiCallRefusal{
          "OBJECTION",
          absl::StrCat("OBJECTION: the pupil's family objected to AI processing (objection '",
                       objection.id,
                       "'); nothing was sent. The teacher grades without AI, unless the head of "
                       "school records an override (OverrideObjection)")};
    }
  }
  if (policy.BlindFirst(tenant) || assignment.blind_first) {
    ASSIGN_OR_RETURN(auto provisional, session.FindProvisionalScores(tenant, copy.id));
    if (!provisional) {
      return AiCallRefusal{
          "BLIND_FIRST",
          "BLIND_FIRST: this copy is reviewed blind first: the teacher records provisional "
          "scores (RecordProvisionalScores) before any suggestion is made; nothing was sent"};
    }
  }
  return std::nullopt;
}

}  // namespace gardefou::workflow
