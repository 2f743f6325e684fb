// JSON forms of the decision events; exceptions stop here.
#include "service/audit/decision_events.h"

#include "absl/strings/str_cat.h"
#include "service/audit/event_json.h"

namespace gardefou::audit {
namespace {

using event_json::DetailsOf;
using event_json::Dump;
using event_json::json;
using event_json::Object;

json CriteriaJson(const std::vector<CriterionOutcome>& criteria) {
  json out = json::array();
  for (const auto& c : criteria) {
    out.push_back({{"criterion_id", c.criterion_id},
                   {"ai_points", c.ai_points ? json(*c.ai_points) : json(nullptr)},
                   {"final_points", c.final_points},
                   {"origin", c.origin}});
    if (c.provisional_points) out.back()["provisional_points"] = *c.provisional_points;
  }
  return out;
}

// Throws json::exception on a wrong type; callers catch.
std::vector<CriterionOutcome> CriteriaOf(const json& list) {
  std::vector<CriterionOutcome> out;
  for (const auto& c : list) {
    CriterionOutcome outcome;
    outcome.criterion_id = c.value("criterion_id", "");
    if (c.contains("ai_points") && c["ai_points"].is_number()) {
      outcome.ai_points = c["ai_points"].get<double>();
    }
    if (c.contains("provisional_points") && c["provisional_points"].is_number()) {
      outcome.provisional_points = c["provisional_points"].get<double>();
    }
    outcome.final_points = c.value("final_points", 0.0);
    outcome.origin = c.value("origin", "");
    out.push_back(std::move(outcome));
  }
  return out;
}

}  // namespace

EventContent DecisionSigned::ToContent() const {
  const json criteria_json = CriteriaJson(criteria);
  json extra_json = json::array();
  for (const auto& item : extra_work) {
    extra_json.push_back({{"origin", item.origin},
                          {"proposal_item_id", item.proposal_item_id},
                          {"description_sha256", item.description_sha256}});
  }
  EventContent out{kAction,
                   {{"copy_id", copy_id},
                    {"decision_id", decision_id},
                    {"review_id", review_id},
                    {"assignment_id", assignment_id},
                    {"student_id", student_id}},
                   Dump({{"teacher_id", teacher_id},
                         {"teacher_role", teacher_role},
                         {"review_opened_at_us", review_opened_at_us},
                         {"review_duration_ms", review_duration_ms},
                         {"criteria", criteria_json},
                         {"total_points", total_points},
                         {"max_points", max_points},
                         {"extra_work", extra_json},
                         {"attest_copy_read", attest_copy_read},
                         {"final_comment_sha256", final_comment_sha256}})};
  if (!evaluation_suggestion_id.empty()) {
    out.objects["evaluation_suggestion_id"] = evaluation_suggestion_id;
  }
  json details = json::parse(out.details_json);
  for (const auto& [key, value] : {std::pair{"rationale_sha256", &rationale_sha256},
                                   std::pair{"notice_version", &notice_version},
                                   std::pair{"second_mark_reason", &second_mark_reason}}) {
    if (!value->empty()) details[key] = *value;
  }
  out.details_json = Dump(details);
  if (!extra_work_suggestion_id.empty()) {
    out.objects["extra_work_suggestion_id"] = extra_work_suggestion_id;
  }
  if (!supersedes_decision_id.empty()) {
    out.objects["supersedes_decision_id"] = supersedes_decision_id;
  }
  return out;
}

absl::StatusOr<DecisionSigned> DecisionSigned::Parse(const model::AuditEventRecord& event) {
  absl::StatusOr<json> details = DetailsOf(event, kAction);
  if (!details.ok()) return details.status();
  const json& d = *details;
  DecisionSigned out;
  out.copy_id = Object(event, "copy_id");
  out.decision_id = Object(event, "decision_id");
  out.review_id = Object(event, "review_id");
  out.assignment_id = Object(event, "assignment_id");
  out.student_id = Object(event, "student_id");
  out.evaluation_suggestion_id = Object(event, "evaluation_suggestion_id");
  out.extra_work_suggestion_id = Object(event, "extra_work_suggestion_id");
  out.supersedes_decision_id = Object(event, "supersedes_decision_id");
  try {
    out.teacher_id = d.value("teacher_id", event.actor_id);
    out.teacher_role = d.value("teacher_role", event.actor_role);
    out.review_opened_at_us = d.value("review_opened_at_us", int64_t{0});
    out.review_duration_ms = d.value("review_duration_ms", int64_t{0});
    out.total_points = d.value("total_points", 0.0);
    out.max_points = d.value("max_points", 0.0);
    out.attest_copy_read = d.value("attest_copy_read", false);
    out.final_comment_sha256 = d.value("final_comment_sha256", "");
    out.rationale_sha256 = d.value("rationale_sha256", "");
    out.notice_version = d.value("notice_version", "");
    out.second_mark_reason = d.value("second_mark_reason", "");
    out.criteria = CriteriaOf(d.value("criteria", json::array()));
    for (const auto& x : d.value("extra_work", json::array())) {
      out.extra_work.push_back({x.value("origin", ""), x.value("proposal_item_id", ""),
                                x.value("description_sha256", "")});
    }
  } catch (const json::exception&) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.seq, ": a DECISION_SIGNED field has the wrong type"));
  }
  return out;
}

EventContent DecisionSecondMarked::ToContent() const {
  return {kAction,
          {{"decision_id", decision_id},
           {"pending_decision_id", pending_decision_id},
           {"copy_id", copy_id},
           {"assignment_id", assignment_id},
           {"student_id", student_id}},
          Dump({{"first_teacher_id", first_teacher_id},
                {"second_teacher_id", second_teacher_id},
                {"agreed", agreed},
                {"changed_criteria", changed_criteria},
                {"total_before", total_before},
                {"total_after", total_after},
                {"criteria", CriteriaJson(criteria)}})};
}

absl::StatusOr<DecisionSecondMarked> DecisionSecondMarked::Parse(
    const model::AuditEventRecord& event) {
  absl::StatusOr<json> details = DetailsOf(event, kAction);
  if (!details.ok()) return details.status();
  const json& d = *details;
  DecisionSecondMarked out;
  out.decision_id = Object(event, "decision_id");
  out.pending_decision_id = Object(event, "pending_decision_id");
  out.copy_id = Object(event, "copy_id");
  out.assignment_id = Object(event, "assignment_id");
  out.student_id = Object(event, "student_id");
  try {
    out.first_teacher_id = d.value("first_teacher_id", "");
    out.second_teacher_id = d.value("second_teacher_id", "");
    out.agreed = d.value("agreed", false);
    out.changed_criteria = d.value("changed_criteria", 0);
    out.total_before = d.value("total_before", 0.0);
    out.total_after = d.value("total_after", 0.0);
    out.criteria = CriteriaOf(d.value("criteria", json::array()));
  } catch (const json::exception&) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.seq, ": a DECISION_SECOND_MARKED field has the wrong type"));
  }
  return out;
}

EventContent DecisionSuperseded::ToContent() const {
  return {kAction,
          {{"decision_id", decision_id},
           {"superseded_by", superseded_by},
           {"copy_id", copy_id},
           {"student_id", student_id}},
          Dump({{"reason_sha256", reason_sha256}})};
}

absl::StatusOr<DecisionSuperseded> DecisionSuperseded::Parse(
    const model::AuditEventRecord& event) {
  absl::StatusOr<json> details = DetailsOf(event, kAction);
  if (!details.ok()) return details.status();
  DecisionSuperseded out;
  out.decision_id = Object(event, "decision_id");
  out.superseded_by = Object(event, "superseded_by");
  out.copy_id = Object(event, "copy_id");
  out.student_id = Object(event, "student_id");
  const auto reason = details->find("reason_sha256");
  if (reason != details->end() && reason->is_string()) {
    out.reason_sha256 = reason->get<std::string>();
  }
  return out;
}

}  // namespace gardefou::audit
