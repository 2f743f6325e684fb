// The names of the domain's enums as the trail and error messages write them.
#pragma once

#include "absl/strings/string_view.h"
#include "service/model/records.h"

namespace gardefou::workflow {

inline absl::string_view PurposeName(model::Purpose purpose) {
  switch (purpose) {
    case model::Purpose::kCorrection: return "CORRECTION";
    case model::Purpose::kEvaluation: return "EVALUATION";
    case model::Purpose::kExtraWork: return "EXTRA_WORK";
    case model::Purpose::kAiDetection: return "AI_DETECTION";
  }
  return "UNKNOWN";
}

inline absl::string_view OriginName(model::Origin origin) {
  switch (origin) {
    case model::Origin::kAcceptedSuggestion: return "ACCEPTED_SUGGESTION";
    case model::Origin::kModified: return "MODIFIED";
    case model::Origin::kTeacherOnly: return "TEACHER_ONLY";
  }
  return "UNKNOWN";
}

}  // namespace gardefou::workflow
