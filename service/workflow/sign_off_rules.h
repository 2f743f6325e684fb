// The rules a sign-off's content must meet (docs/design.md invariant 2), as pure functions of the
// rubric and the suggestions the teacher refers to.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "policy/policy.h"
#include "service/model/records.h"

namespace gardefou::workflow {

// Exactly one score per rubric criterion, each finite and within [0, max_points], each with
// an origin. ACCEPTED_SUGGESTION must equal the proposal of `evaluation` for that criterion,
// MODIFIED must differ from it; both need `evaluation` (a READY EVALUATION suggestion of the
// same copy, checked by the caller) to hold a proposal for the criterion.
// INVALID_ARGUMENT naming the criterion otherwise (a malformed criterion id by its position).
absl::Status CheckScores(const model::AssignmentRecord& assignment,
                         const std::vector<model::ScoreRecord>& scores,
                         const model::SuggestionRecord* evaluation);

// Each item explicit: a description, an origin; ACCEPTED_SUGGESTION repeats the proposal
// `proposal_item_id` of `extra_work` word for word, MODIFIED refers to one and differs,
// TEACHER_ONLY refers to none. INVALID_ARGUMENT naming the item otherwise.
absl::Status CheckExtraWork(const std::vector<model::ExtraWorkItemRecord>& items,
                            const model::SuggestionRecord* extra_work);

// Why a decision with these scores (their ai_points and provisional_points filled) needs a
// second teacher: a high-stakes assignment, or a gap between the final points and the AI's or
// the provisional ones above the policy's [second_marking] thresholds, on one criterion or on
// the total. Empty when it does not.
std::string SecondMarkReason(const policy::Policy& policy,
                             const model::AssignmentRecord& assignment,
                             const std::vector<model::ScoreRecord>& scores);

// Sum of the points.
double TotalPoints(const std::vector<model::ScoreRecord>& scores);

}  // namespace gardefou::workflow
