// The decision events of the trail, typed: the workflow builds them, the inspector's report
// parses them back, through one definition of their objects and details (no key written in one
// place and read by name in another).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "service/audit/event_content.h"
#include "service/model/records.h"

namespace gardefou::audit {

struct CriterionOutcome {
  std::string criterion_id;
  std::optional<double> ai_points;  // the AI's proposal, when an evaluation was considered
  double final_points = 0;
  std::string origin;  // ACCEPTED_SUGGESTION, MODIFIED or TEACHER_ONLY
  std::optional<double> provisional_points = std::nullopt;  // the blind-first mark, if recorded
};

struct ExtraWorkOutcome {
  std::string origin;
  std::string proposal_item_id;
  std::string description_sha256;  // never the text
};

// A teacher's decision: who signed, after how long a review, each criterion's AI proposal and
// final points, and hashes (never texts) of the comment and the extra work.
struct DecisionSigned {
  static constexpr char kAction[] = "DECISION_SIGNED";
  // Objects.
  std::string copy_id, decision_id, review_id, assignment_id, student_id;
  std::string evaluation_suggestion_id, extra_work_suggestion_id, supersedes_decision_id;
  // Details.
  std::string teacher_id, teacher_role;
  int64_t review_opened_at_us = 0;
  int64_t review_duration_ms = 0;
  std::vector<CriterionOutcome> criteria;
  double total_points = 0;
  double max_points = 0;
  std::vector<ExtraWorkOutcome> extra_work;
  bool attest_copy_read = true;
  std::string final_comment_sha256;
  std::string rationale_sha256;  // written only when a rationale was given
  // Written only when set: the automation-bias notice shown, and why the decision waits for a
  // second teacher (PENDING_SECOND_MARK).
  std::string notice_version;
  std::string second_mark_reason;

  EventContent ToContent() const;
  // INVALID_ARGUMENT when `event` is not a DECISION_SIGNED event or its details lack a field.
  static absl::StatusOr<DecisionSigned> Parse(const model::AuditEventRecord& event);
};

// A second teacher's co-signature (`agreed`) or amendment of a decision that waited for one:
// `decision_id` is the decision now in force, superseding `pending_decision_id`.
struct DecisionSecondMarked {
  static constexpr char kAction[] = "DECISION_SECOND_MARKED";
  std::string decision_id, pending_decision_id, copy_id, assignment_id, student_id;
  std::string first_teacher_id, second_teacher_id;
  bool agreed = true;
  int changed_criteria = 0;
  double total_before = 0, total_after = 0;
  std::vector<CriterionOutcome> criteria;  // the decision now in force, criterion by criterion

  EventContent ToContent() const;
  static absl::StatusOr<DecisionSecondMarked> Parse(const model::AuditEventRecord& event);
};

// A decision replaced by a later one; the reason is kept as a hash.
struct DecisionSuperseded {
  static constexpr char kAction[] = "DECISION_SUPERSEDED";
  std::string decision_id, superseded_by, copy_id, student_id;
  std::string reason_sha256;

  EventContent ToContent() const;
  static absl::StatusOr<DecisionSuperseded> Parse(const model::AuditEventRecord& event);
};

}  // namespace gardefou::audit
