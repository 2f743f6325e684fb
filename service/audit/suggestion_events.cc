// JSON forms of the egress events: the very objects and details the workflow has always written
// (tests/audit/suggestion_events_test.cc holds their bytes).
#include "service/audit/suggestion_events.h"

#include "service/audit/event_json.h"
#include "service/common/status_macros.h"

namespace gardefou::audit {
namespace {

using event_json::DetailsOf;
using event_json::Dump;
using event_json::Field;
using event_json::json;
using event_json::RequiredObject;
using Counts = std::map<std::string, int>;
using Points = std::map<std::string, double>;

constexpr char kReady[] = "READY";
constexpr char kFailed[] = "FAILED";

}  // namespace

EventContent EgressBlocked::ToContent() const {
  return {kAction,
          {{"copy_id", copy_id}, {"assignment_id", assignment_id}, {"student_id", student_id}},
          Dump({{"provider", provider},
                {"purpose", purpose},
                {"blocked", blocked},
                {"entity_counts", entity_counts},
                {"payload_sha256", payload_sha256}})};
}

absl::StatusOr<EgressBlocked> EgressBlocked::Parse(const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, kAction));
  EgressBlocked out;
  ASSIGN_OR_RETURN(out.copy_id, RequiredObject(event, "copy_id"));
  ASSIGN_OR_RETURN(out.assignment_id, RequiredObject(event, "assignment_id"));
  ASSIGN_OR_RETURN(out.student_id, RequiredObject(event, "student_id"));
  ASSIGN_OR_RETURN(out.provider, Field<std::string>(d, "provider", event));
  ASSIGN_OR_RETURN(out.purpose, Field<std::string>(d, "purpose", event));
  ASSIGN_OR_RETURN(out.blocked, Field<Counts>(d, "blocked", event));
  ASSIGN_OR_RETURN(out.entity_counts, Field<Counts>(d, "entity_counts", event));
  ASSIGN_OR_RETURN(out.payload_sha256, Field<std::string>(d, "payload_sha256", event));
  return out;
}

EventContent SuggestionRecorded::ToContent() const {
  json details = {{"provider", provider},
                  {"model", model},
                  {"purpose", purpose},
                  {"outcome", ready ? kReady : kFailed},
                  {"copy_sha256", copy_sha256},
                  {"payload_sha256", payload_sha256},
                  {"latency_ms", latency_ms},
                  {"entity_counts", entity_counts},
                  {"guarantees", {{"eu_residency", guarantees.eu_residency},
                                  {"retention_days", guarantees.retention_days},
                                  {"used_for_training", guarantees.used_for_training}}},
                  {"proposed_points", proposed_points},
                  {"annotation_count", annotation_count},
                  {"extra_work_count", extra_work_count}};
  if (!ready) details["failure_reason"] = failure_reason;
  return {kAction,
          {{"copy_id", copy_id},
           {"suggestion_id", suggestion_id},
           {"assignment_id", assignment_id},
           {"student_id", student_id}},
          Dump(details)};
}

absl::StatusOr<SuggestionRecorded> SuggestionRecorded::Parse(
    const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, kAction));
  SuggestionRecorded out;
  ASSIGN_OR_RETURN(out.copy_id, RequiredObject(event, "copy_id"));
  ASSIGN_OR_RETURN(out.suggestion_id, RequiredObject(event, "suggestion_id"));
  ASSIGN_OR_RETURN(out.assignment_id, RequiredObject(event, "assignment_id"));
  ASSIGN_OR_RETURN(out.student_id, RequiredObject(event, "student_id"));
  ASSIGN_OR_RETURN(out.provider, Field<std::string>(d, "provider", event));
  ASSIGN_OR_RETURN(out.model, Field<std::string>(d, "model", event));
  ASSIGN_OR_RETURN(out.purpose, Field<std::string>(d, "purpose", event));
  ASSIGN_OR_RETURN(const std::string outcome, Field<std::string>(d, "outcome", event));
  if (outcome != kReady && outcome != kFailed) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.seq, ": ", kAction, " outcome is neither READY nor FAILED"));
  }
  out.ready = outcome == kReady;
  ASSIGN_OR_RETURN(out.copy_sha256, Field<std::string>(d, "copy_sha256", event));
  ASSIGN_OR_RETURN(out.payload_sha256, Field<std::string>(d, "payload_sha256", event));
  ASSIGN_OR_RETURN(out.latency_ms, Field<int64_t>(d, "latency_ms", event));
  ASSIGN_OR_RETURN(out.entity_counts, Field<Counts>(d, "entity_counts", event));
  const auto guarantees = d.find("guarantees");
  if (guarantees == d.end() || !guarantees->is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.seq, ": ", kAction, " details lack the guarantees"));
  }
  ASSIGN_OR_RETURN(out.guarantees.eu_residency,
                   Field<bool>(*guarantees, "eu_residency", event));
  ASSIGN_OR_RETURN(out.guarantees.retention_days,
                   Field<int>(*guarantees, "retention_days", event));
  ASSIGN_OR_RETURN(out.guarantees.used_for_training,
                   Field<bool>(*guarantees, "used_for_training", event));
  ASSIGN_OR_RETURN(out.proposed_points, Field<Points>(d, "proposed_points", event));
  ASSIGN_OR_RETURN(out.annotation_count, Field<uint64_t>(d, "annotation_count", event));
  ASSIGN_OR_RETURN(out.extra_work_count, Field<uint64_t>(d, "extra_work_count", event));
  if (!out.ready) {
    ASSIGN_OR_RETURN(out.failure_reason, Field<std::string>(d, "failure_reason", event));
  }
  return out;
}

}  // namespace gardefou::audit
