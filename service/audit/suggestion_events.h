// The trail's events of what goes to an AI provider, typed: a payload the leak gate blocked,
// and a suggestion recorded (ready or failed). The workflow builds them and Parse reads them
// back through the same keys. Entity types, counts and hashes only: never a value.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "service/audit/event_content.h"
#include "service/model/records.h"

namespace gardefou::audit {

// Each Parse: INVALID_ARGUMENT when `event` is another action, or lacks one of the objects or
// details its ToContent writes, or has one of another type.

// A payload refused by the leak gate: nothing was sent.
struct EgressBlocked {
  static constexpr char kAction[] = "EGRESS_BLOCKED";
  std::string copy_id, assignment_id, student_id;
  std::string provider;
  std::string purpose;  // CORRECTION, EVALUATION, EXTRA_WORK or AI_DETECTION
  std::map<std::string, int> blocked;        // leak-gate hits by entity type
  std::map<std::string, int> entity_counts;  // replaced mentions by entity type
  std::string payload_sha256;

  EventContent ToContent() const;
  static absl::StatusOr<EgressBlocked> Parse(const model::AuditEventRecord& event);
};

// What the provider declares about the data it receives.
struct ProviderGuarantees {
  bool eu_residency = false;
  int retention_days = 0;
  bool used_for_training = true;
};

// A provider's answer, or its failure, recorded as a suggestion.
struct SuggestionRecorded {
  static constexpr char kAction[] = "SUGGESTION_RECORDED";
  std::string copy_id, suggestion_id, assignment_id, student_id;
  std::string provider, model;
  std::string purpose;  // as in EgressBlocked
  bool ready = false;   // written as outcome READY or FAILED
  std::string copy_sha256, payload_sha256;
  int64_t latency_ms = 0;
  std::map<std::string, int> entity_counts;
  ProviderGuarantees guarantees;
  std::map<std::string, double> proposed_points;  // by criterion id
  uint64_t annotation_count = 0;
  uint64_t extra_work_count = 0;
  std::string failure_reason;  // written when not ready, and then required

  EventContent ToContent() const;
  static absl::StatusOr<SuggestionRecorded> Parse(const model::AuditEventRecord& event);
};

}  // namespace gardefou::audit
