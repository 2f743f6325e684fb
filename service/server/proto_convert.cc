// Field-by-field mapping; enums share their numbering with the records (checked at compile
// time below).
#include "service/server/proto_convert.h"

#include <google/protobuf/util/time_util.h>

namespace gardefou::server {
namespace {

// The casts below rely on the records' enums numbering their values as the proto does.
template <typename Model, typename Proto>
constexpr bool Same(Model m, Proto p) {
  return static_cast<int>(m) == static_cast<int>(p);
}
static_assert(Same(model::CopyState::kSubmitted, v1::SUBMITTED) &&
              Same(model::CopyState::kSuggested, v1::SUGGESTED) &&
              Same(model::CopyState::kInReview, v1::IN_REVIEW) &&
              Same(model::CopyState::kSignedOff, v1::SIGNED_OFF) &&
              v1::CopyState_MAX == v1::SIGNED_OFF);
static_assert(Same(model::Purpose::kCorrection, v1::CORRECTION) &&
              Same(model::Purpose::kEvaluation, v1::EVALUATION) &&
              Same(model::Purpose::kExtraWork, v1::EXTRA_WORK) &&
              Same(model::Purpose::kAiDetection, v1::AI_DETECTION) &&
              v1::Purpose_MAX == v1::AI_DETECTION);
static_assert(Same(model::Origin::kAcceptedSuggestion, v1::ACCEPTED_SUGGESTION) &&
              Same(model::Origin::kModified, v1::MODIFIED) &&
              Same(model::Origin::kTeacherOnly, v1::TEACHER_ONLY) &&
              v1::Origin_MAX == v1::TEACHER_ONLY);

static_assert(Same(model::ObjectionState::kActive, v1::OBJECTION_ACTIVE) &&
              Same(model::ObjectionState::kOverridden, v1::OBJECTION_OVERRIDDEN) &&
              Same(model::ObjectionState::kWithdrawn, v1::OBJECTION_WITHDRAWN) &&
              v1::ObjectionState_MAX == v1::OBJECTION_WITHDRAWN);

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp Micros(int64_t us) { return TimeUtil::MicrosecondsToTimestamp(us); }

int64_t ToMicros(const google::protobuf::Timestamp& ts) { return TimeUtil::TimestampToMicroseconds(ts); }

model::PersonRecord FromProto(const v1::Person& p) {
  return {p.id(), p.first(), p.last(), p.title(), p.ine(), {p.aliases().begin(), p.aliases().end()}};
}

std::vector<model::CriterionRecord> FromProto(const v1::Rubric& rubric) {
  std::vector<model::CriterionRecord> out;
  for (const auto& c : rubric.criteria()) {
    out.push_back({c.id(), c.label(), c.max_points(), {c.descriptors().begin(), c.descriptors().end()}});
  }
  return out;
}

void ToProto(const std::vector<model::CriterionRecord>& criteria, v1::Rubric* rubric) {
  for (const auto& c : criteria) {
    v1::Criterion* out = rubric->add_criteria();
    out->set_id(c.id);
    out->set_label(c.label);
    out->set_max_points(c.max_points);
    for (const auto& d : c.descriptors) out->add_descriptors(d);
  }
}

}  // namespace

// A score as sent: provisional_points and ai_points kept when set, for the workflow to refuse.
model::ScoreRecord ScoreFromProto(const v1::CriterionScore& s) {
  model::ScoreRecord out;
  out.criterion_id = s.criterion_id();
  out.points = s.points();
  out.origin = static_cast<model::Origin>(s.origin());
  if (s.has_provisional_points()) out.provisional_points = s.provisional_points();
  if (s.has_ai_points()) out.ai_points = s.ai_points();
  return out;
}

model::RosterRecord FromProto(const v1::UpsertRosterRequest& request) {
  model::RosterRecord roster;
  roster.class_id = request.class_id();
  roster.school = {request.school().name(), request.school().uai(), request.school().city(),
                   request.school().postcode()};
  for (const auto& p : request.teachers()) roster.teachers.push_back(FromProto(p));
  for (const auto& p : request.students()) roster.students.push_back(FromProto(p));
  return roster;
}

model::AssignmentRecord FromProto(const v1::CreateAssignmentRequest& request) {
  model::AssignmentRecord a;
  a.class_id = request.class_id();
  a.title = request.title();
  a.instructions = request.instructions();
  a.criteria = FromProto(request.rubric());
  a.teacher_ids.assign(request.teacher_ids().begin(), request.teacher_ids().end());
  a.blind_first = request.blind_first();
  a.high_stakes = request.high_stakes();
  return a;
}

workflow::SubmitCopyInput FromProto(const v1::SubmitCopyRequest& request) {
  return {request.assignment_id(), request.student_id(), request.text(), request.text_utf8()};
}

workflow::SuggestionInput FromProto(const v1::RequestSuggestionRequest& request) {
  return {request.copy_id(), static_cast<int>(request.purpose()), request.provider()};
}

workflow::SignOffInput FromProto(const v1::SignOffRequest& request) {
  workflow::SignOffInput in;
  in.copy_id = request.copy_id();
  in.review_id = request.review_id();
  in.evaluation_suggestion_id = request.evaluation_suggestion_id();
  in.extra_work_suggestion_id = request.extra_work_suggestion_id();
  for (const auto& s : request.scores()) in.scores.push_back(ScoreFromProto(s));
  in.final_comment = request.final_comment();
  for (const auto& item : request.extra_work()) {
    in.extra_work.push_back({item.description(), static_cast<model::Origin>(item.origin()),
                             item.proposal_item_id()});
  }
  in.attest_copy_read = request.attest_copy_read();
  in.supersedes_decision_id = request.supersedes_decision_id();
  in.supersede_reason = request.supersede_reason();
  in.rationale = request.rationale();
  in.notice_version = request.notice_version();
  return in;
}

workflow::SecondMarkInput FromProto(const v1::SecondMarkRequest& request) {
  workflow::SecondMarkInput in;
  in.decision_id = request.decision_id();
  for (const auto& s : request.scores()) in.scores.push_back(ScoreFromProto(s));
  in.attest_copy_read = request.attest_copy_read();
  return in;
}

workflow::ObjectionInput FromProto(const v1::RecordObjectionRequest& request) {
  return {request.class_id(), request.student_id(), request.received_on()};
}

std::vector<model::ScoreRecord> FromProto(
    const google::protobuf::RepeatedPtrField<v1::ProvisionalScore>& scores) {
  std::vector<model::ScoreRecord> out;
  for (const v1::ProvisionalScore& s : scores) {
    model::ScoreRecord mark;
    mark.criterion_id = s.criterion_id();
    mark.points = s.points();
    out.push_back(std::move(mark));
  }
  return out;
}

store::AuditQuery FromProto(const v1::ListEventsRequest& request) {
  store::AuditQuery q;
  q.action = request.action();
  q.object_id = request.object_id();
  q.actor_id = request.actor_id();
  if (request.has_since()) q.since_us = ToMicros(request.since());
  if (request.has_until()) q.until_us = ToMicros(request.until());
  return q;
}

v1::UpsertRosterResponse ToProto(const workflow::RosterSummary& summary) {
  v1::UpsertRosterResponse out;
  out.set_class_id(summary.class_id);
  out.set_teacher_count(summary.teacher_count);
  out.set_student_count(summary.student_count);
  return out;
}

v1::Assignment ToProto(const model::AssignmentRecord& a) {
  v1::Assignment out;
  out.set_assignment_id(a.id);
  out.set_class_id(a.class_id);
  out.set_title(a.title);
  out.set_instructions(a.instructions);
  ToProto(a.criteria, out.mutable_rubric());
  for (const auto& t : a.teacher_ids) out.add_teacher_ids(t);
  *out.mutable_created_at() = Micros(a.created_at_us);
  out.set_blind_first(a.blind_first);
  out.set_high_stakes(a.high_stakes);
  return out;
}

v1::Copy ToProto(const model::CopyRecord& copy) {
  v1::Copy out;
  out.set_copy_id(copy.id);
  out.set_assignment_id(copy.assignment_id);
  out.set_student_id(copy.student_id);
  out.set_state(static_cast<v1::CopyState>(copy.state));
  out.set_content_sha256(copy.content_sha256);
  out.set_size_bytes(static_cast<int64_t>(copy.text.size()));
  *out.mutable_submitted_at() = Micros(copy.submitted_at_us);
  return out;
}

v1::Suggestion ToProto(const model::SuggestionRecord& s) {
  v1::Suggestion out;
  out.set_suggestion_id(s.id);
  out.set_copy_id(s.copy_id);
  out.set_purpose(static_cast<v1::Purpose>(s.purpose));
  out.set_state(s.ready ? v1::READY : v1::FAILED);
  out.set_provider(s.provider);
  out.set_model(s.model);
  out.set_heuristic(s.heuristic);
  out.set_summary(s.summary);
  for (const auto& c : s.criteria) {
    v1::CriterionProposal* p = out.add_criteria();
    p->set_criterion_id(c.criterion_id);
    p->set_proposed_points(c.proposed_points);
    p->set_rationale(c.rationale);
  }
  for (const auto& a : s.annotations) {
    v1::Annotation* p = out.add_annotations();
    p->set_excerpt(a.excerpt);
    p->set_comment(a.comment);
  }
  for (const auto& x : s.extra_work) {
    v1::ExtraWorkProposal* p = out.add_extra_work();
    p->set_item_id(x.item_id);
    p->set_description(x.description);
    p->set_rationale(x.rationale);
  }
  out.set_failure_reason(s.failure_reason);
  *out.mutable_created_at() = Micros(s.created_at_us);
  for (const auto& u : s.unknown_placeholders) out.add_unknown_placeholders(u);
  out.set_notice_text(s.notice_text);
  out.set_notice_version(s.notice_version);
  return out;
}

v1::Review ToProto(const model::ReviewRecord& r) {
  v1::Review out;
  out.set_review_id(r.id);
  out.set_copy_id(r.copy_id);
  out.set_teacher_id(r.teacher_id);
  *out.mutable_opened_at() = Micros(r.opened_at_us);
  return out;
}

v1::Decision ToProto(const model::DecisionRecord& d) {
  v1::Decision out;
  out.set_decision_id(d.id);
  out.set_copy_id(d.copy_id);
  out.set_assignment_id(d.assignment_id);
  out.set_student_id(d.student_id);
  out.set_teacher_id(d.teacher_id);
  for (const auto& s : d.scores) {
    v1::CriterionScore* p = out.add_scores();
    p->set_criterion_id(s.criterion_id);
    p->set_points(s.points);
    p->set_origin(static_cast<v1::Origin>(s.origin));
    if (s.provisional_points) p->set_provisional_points(*s.provisional_points);
    if (s.ai_points) p->set_ai_points(*s.ai_points);
  }
  out.set_total_points(d.total_points);
  out.set_max_points(d.max_points);
  out.set_final_comment(d.final_comment);
  for (const auto& x : d.extra_work) {
    v1::ExtraWorkItem* p = out.add_extra_work();
    p->set_description(x.description);
    p->set_origin(static_cast<v1::Origin>(x.origin));
    p->set_proposal_item_id(x.proposal_item_id);
  }
  out.set_status(!d.active                ? v1::SUPERSEDED
                 : d.pending_second_mark ? v1::PENDING_SECOND_MARK
                                         : v1::ACTIVE);
  out.set_notice_version(d.notice_version);
  out.set_second_mark_reason(d.second_mark_reason);
  out.set_second_marker_id(d.second_marker_id);
  out.set_supersedes_decision_id(d.supersedes_id);
  out.set_supersede_reason(d.supersede_reason);
  out.set_rationale(d.rationale);
  *out.mutable_review_opened_at() = Micros(d.review_opened_at_us);
  *out.mutable_signed_at() = Micros(d.signed_at_us);
  return out;
}

v1::ProvisionalScores ToProto(const model::ProvisionalScoresRecord& p) {
  v1::ProvisionalScores out;
  out.set_review_id(p.review_id);
  out.set_copy_id(p.copy_id);
  out.set_teacher_id(p.teacher_id);
  for (const auto& s : p.scores) {
    v1::ProvisionalScore* score = out.add_scores();
    score->set_criterion_id(s.criterion_id);
    score->set_points(s.points);
  }
  *out.mutable_recorded_at() = Micros(p.recorded_at_us);
  return out;
}

v1::FamiliesInformed ToProto(const model::FamiliesInformedRecord& f) {
  v1::FamiliesInformed out;
  out.set_class_id(f.class_id);
  out.set_informed_on(f.informed_on);
  *out.mutable_recorded_at() = Micros(f.recorded_at_us);
  return out;
}

v1::Objection ToProto(const model::ObjectionRecord& o) {
  v1::Objection out;
  out.set_objection_id(o.id);
  out.set_class_id(o.class_id);
  out.set_student_id(o.student_id);
  out.set_state(static_cast<v1::ObjectionState>(o.state));
  out.set_received_on(o.received_on);
  out.set_recorded_by(o.recorded_by);
  *out.mutable_recorded_at() = Micros(o.recorded_at_us);
  out.set_overridden_by(o.overridden_by);
  out.set_override_justification(o.override_justification);
  if (o.overridden_at_us != 0) *out.mutable_overridden_at() = Micros(o.overridden_at_us);
  if (o.withdrawn_at_us != 0) *out.mutable_withdrawn_at() = Micros(o.withdrawn_at_us);
  return out;
}

v1::Release ToProto(const model::ReleaseRecord& r) {
  v1::Release out;
  out.set_cursor(r.cursor);
  out.set_assignment_id(r.assignment_id);
  out.set_student_id(r.student_id);
  out.set_copy_id(r.copy_id);
  out.set_activity_progress(r.fully_graded ? "Completed" : "Submitted");
  out.set_grading_progress(r.fully_graded ? "FullyGraded" : "PendingManual");
  if (r.fully_graded) {
    out.set_score_given(r.score_given);
    out.set_score_maximum(r.score_maximum);
    out.set_comment(r.comment);
    out.set_scoring_user_id(r.scoring_user_id);
    out.set_decision_id(r.decision_id);
  }
  *out.mutable_timestamp() = Micros(r.timestamp_us);
  return out;
}

v1::AuditEvent ToProto(const model::AuditEventRecord& e) {
  v1::AuditEvent out;
  out.set_seq(e.seq);
  *out.mutable_time() = Micros(e.time_us);
  out.set_tenant(e.tenant);
  out.set_actor_id(e.actor_id);
  out.set_actor_role(e.actor_role);
  out.set_action(e.action);
  for (const auto& [k, v] : e.objects) (*out.mutable_objects())[k] = v;
  out.set_policy_hash(e.policy_hash);
  out.set_details_json(e.details_json);
  out.set_prev_hash(e.prev_hash);
  out.set_hash(e.hash);
  return out;
}

}  // namespace gardefou::server
