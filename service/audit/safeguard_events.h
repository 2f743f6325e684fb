// The trail's events of the safeguards around AI calls, typed: families informed, a family's
// objection and what became of it, an AI call refused by one of them, and a teacher's
// blind-first marks. Free text (an override's justification) is kept as a hash only.
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "service/audit/event_content.h"
#include "service/model/records.h"

namespace gardefou::audit {

// Each Parse: INVALID_ARGUMENT when `event` is another action, or lacks one of the objects or
// details its ToContent writes, or has one of another type.

struct FamiliesInformedRecorded {
  static constexpr char kAction[] = "FAMILIES_INFORMED";
  std::string class_id;
  std::string informed_on;  // YYYY-MM-DD

  EventContent ToContent() const;
  static absl::StatusOr<FamiliesInformedRecorded> Parse(const model::AuditEventRecord& event);
};

// An objection recorded, overridden by the head of school, or withdrawn.
struct ObjectionChanged {
  static constexpr char kRecorded[] = "OBJECTION_RECORDED";
  static constexpr char kOverridden[] = "OBJECTION_OVERRIDDEN";
  static constexpr char kWithdrawn[] = "OBJECTION_WITHDRAWN";
  std::string action;  // one of the three above
  std::string objection_id, class_id, student_id;
  std::string received_on;           // OBJECTION_RECORDED
  std::string justification_sha256;  // OBJECTION_OVERRIDDEN

  EventContent ToContent() const;
  static absl::StatusOr<ObjectionChanged> Parse(const model::AuditEventRecord& event);
};

// An AI call refused before anything was prepared or sent, by a safeguard: reason
// "FAMILIES_NOT_INFORMED", "OBJECTION" or "BLIND_FIRST".
struct AiCallRefused {
  static constexpr char kAction[] = "AI_CALL_REFUSED";
  std::string copy_id, assignment_id, student_id;
  std::string purpose;
  std::string reason;

  EventContent ToContent() const;
  static absl::StatusOr<AiCallRefused> Parse(const model::AuditEventRecord& event);
};

struct ProvisionalScoresRecorded {
  static constexpr char kAction[] = "PROVISIONAL_SCORES_RECORDED";
  std::string review_id, copy_id, assignment_id, student_id;
  std::map<std::string, double> points;  // by criterion

  EventContent ToContent() const;
  static absl::StatusOr<ProvisionalScoresRecorded> Parse(const model::AuditEventRecord& event);
};

}  // namespace gardefou::audit
