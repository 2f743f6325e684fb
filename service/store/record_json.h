// JSON forms of the records stored as JSON columns. Internal to the store and its tests.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "service/store/records.h"

// An absent value is stored as null (nlohmann 3.11 has no std::optional of its own).
template <typename T>
struct nlohmann::adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& value) {
    if (value) {
      j = *value;
    } else {
      j = nullptr;
    }
  }
  static void from_json(const json& j, std::optional<T>& value) {
    if (j.is_null()) {
      value.reset();
    } else {
      value = j.get<T>();
    }
  }
};

namespace gardefou::model {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PersonRecord, id, first, last, title, ine, aliases)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SchoolRecord, name, uai, city, postcode)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CriterionRecord, id, label, max_points,
                                                descriptors)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AssignmentRecord, id, class_id, title,
                                                instructions, criteria, teacher_ids,
                                                created_at_us, blind_first, high_stakes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CriterionProposalRecord, criterion_id,
                                                proposed_points, rationale)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AnnotationRecord, excerpt, comment)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ExtraWorkProposalRecord, item_id, description,
                                                rationale)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SuggestionRecord, id, copy_id, purpose, ready,
                                                provider, model, heuristic, summary, criteria,
                                                annotations, extra_work, failure_reason,
                                                unknown_placeholders, created_at_us,
                                                notice_text, notice_version)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ScoreRecord, criterion_id, points, origin,
                                                provisional_points, ai_points)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ReleaseRecord, cursor, assignment_id,
                                                student_id, copy_id, fully_graded, score_given,
                                                score_maximum, comment, scoring_user_id,
                                                decision_id, timestamp_us)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProvisionalScoresRecord, review_id, copy_id,
                                                teacher_id, scores, recorded_at_us)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ObjectionRecord, id, class_id, student_id,
                                                state, received_on, recorded_by,
                                                recorded_at_us, overridden_by,
                                                override_justification, overridden_at_us,
                                                withdrawn_at_us)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ExtraWorkItemRecord, description, origin,
                                                proposal_item_id)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DecisionRecord, id, copy_id, assignment_id,
                                                student_id, teacher_id, review_id,
                                                evaluation_suggestion_id,
                                                extra_work_suggestion_id, scores, total_points,
                                                max_points, final_comment, extra_work, active,
                                                supersedes_id, supersede_reason,
                                                review_opened_at_us, signed_at_us, rationale,
                                                notice_version, pending_second_mark,
                                                second_mark_reason, second_marker_id)

}  // namespace gardefou::model

namespace gardefou::store {

// Serialises a record to compact JSON.
template <typename T>
std::string ToJson(const T& record) {
  return nlohmann::json(record).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Parses a record stored by ToJson; INTERNAL when the stored text is corrupt.
template <typename T>
absl::StatusOr<T> FromJson(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return absl::InternalError("a stored row is not valid JSON");
  try {
    return j.get<T>();
  } catch (const nlohmann::json::exception&) {
    return absl::InternalError("a stored row does not have the expected shape");
  }
}

}  // namespace gardefou::store
