// Blind-first review and second marking: the teacher's own marks before any suggestion, and a
// second teacher's co-signature or amendment of a decision the policy holds back. A second
// mark never edits a decision: it supersedes it with the one in force.
#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "service/audit/decision_events.h"
#include "service/audit/safeguard_events.h"
#include "service/common/error_reason.h"
#include "service/common/text.h"
#include "service/workflow/mutate.h"
#include "service/workflow/names.h"
#include "service/workflow/sign_off_rules.h"

namespace gardefou::workflow {

using store::Session;

absl::StatusOr<std::string> Workflow::RecordProvisionalScores(
    const CallContext& ctx, const RequestKey& key, const std::string& review_id,
    const std::vector<model::ScoreRecord>& scores,
    const Encoder<model::ProvisionalScoresRecord>& encode) {
  RETURN_IF_ERROR(CheckRole(ctx, "RecordProvisionalScores"));
  RETURN_IF_ERROR(common::CheckId("review_id", review_id));
  return Mutate<model::ProvisionalScoresRecord>(
      ctx, key, encode, [&](Session& session) -> absl::StatusOr<model::ProvisionalScoresRecord> {
        ASSIGN_OR_RETURN(model::ReviewRecord review, session.FindReview(ctx.tenant, review_id));
        ASSIGN_OR_RETURN(model::CopyRecord copy,
                         session.FindCopy(ctx.tenant, review.copy_id, /*with_text=*/false));
        ASSIGN_OR_RETURN(model::AssignmentRecord assignment,
                         session.FindAssignment(ctx.tenant, copy.assignment_id));
        RETURN_IF_ERROR(CheckEntitledTeacher(session, ctx, assignment));
        if (review.teacher_id != ctx.actor_id) {
          return common::WithReason(
              absl::PermissionDeniedError("this review was opened by another teacher"),
              "NOT_ENTITLED");
        }
        if (review.closed_at_us != 0) {
          return common::WithReason(
              absl::FailedPreconditionError(
                  "this review already ended with a sign-off: provisional scores come before it"),
              "REVIEW_NOT_OPEN");
        }
        RETURN_IF_ERROR(CheckScores(assignment, scores, nullptr));
        ASSIGN_OR_RETURN(auto latest, session.FindProvisionalScores(ctx.tenant, copy.id));
        if (latest && latest->review_id == review.id) {
          return common::WithReason(
              absl::AlreadyExistsError(
                  "this review has its provisional scores already: they are recorded once"),
              "PROVISIONAL_SCORES_RECORDED");
        }
        model::ProvisionalScoresRecord record{review.id, copy.id, ctx.actor_id, {},
                                              common::NowMicros()};
        audit::ProvisionalScoresRecorded event{review.id, copy.id, copy.assignment_id,
                                               copy.student_id, {}};
        for (const model::ScoreRecord& s : scores) {
          model::ScoreRecord mark;
          mark.criterion_id = s.criterion_id;
          mark.points = s.points;
          record.scores.push_back(std::move(mark));
          event.points[s.criterion_id] = s.points;
        }
        RETURN_IF_ERROR(session.InsertProvisionalScores(ctx.tenant, record));
        RETURN_IF_ERROR(Audit(session, ctx, event.ToContent(), record.recorded_at_us));
        return record;
      });
}

absl::StatusOr<std::string> Workflow::SecondMark(const CallContext& ctx, const RequestKey& key,
                                                 const SecondMarkInput& input,
                                                 const Encoder<model::DecisionRecord>& encode) {
  RETURN_IF_ERROR(CheckRole(ctx, "SecondMark"));
  RETURN_IF_ERROR(common::CheckId("decision_id", input.decision_id));
  if (!input.attest_copy_read) {
    return absl::InvalidArgumentError(
        "attest_copy_read must be true: a second mark needs the copy read");
  }
  return Mutate<model::DecisionRecord>(
      ctx, key, encode, [&](Session& session) -> absl::StatusOr<model::DecisionRecord> {
        ASSIGN_OR_RETURN(model::DecisionRecord pending,
                         session.FindDecision(ctx.tenant, input.decision_id));
        ASSIGN_OR_RETURN(model::AssignmentRecord assignment,
                         session.FindAssignment(ctx.tenant, pending.assignment_id));
        RETURN_IF_ERROR(CheckEntitledTeacher(session, ctx, assignment));
        if (!pending.active || !pending.pending_second_mark) {
          return common::WithReason(
              absl::FailedPreconditionError("this decision does not wait for a second mark"),
              "NOT_PENDING_SECOND_MARK");
        }
        if (pending.teacher_id == ctx.actor_id) {
          return common::WithReason(
              absl::PermissionDeniedError(
                  "a second mark comes from another teacher of the assignment, not the signer"),
              "SECOND_MARKER_IS_SIGNER");
        }
        model::DecisionRecord decision = pending;
        if (!input.scores.empty()) {
          std::optional<model::SuggestionRecord> evaluation;
          if (!pending.evaluation_suggestion_id.empty()) {
            ASSIGN_OR_RETURN(evaluation, session.FindSuggestion(
                                             ctx.tenant, pending.evaluation_suggestion_id));
          }
          RETURN_IF_ERROR(
              CheckScores(assignment, input.scores, evaluation ? &*evaluation : nullptr));
          std::map<std::string, const model::ScoreRecord*> before;
          for (const model::ScoreRecord& s : pending.scores) before[s.criterion_id] = &s;
          decision.scores = input.scores;
          for (model::ScoreRecord& s : decision.scores) {
            s.ai_points = before[s.criterion_id]->ai_points;
            s.provisional_points = before[s.criterion_id]->provisional_points;
          }
          decision.total_points = TotalPoints(decision.scores);
        }
        const int64_t now = common::NowMicros();
        decision.id = common::NewId("dc");
        decision.active = true;
        decision.pending_second_mark = false;
        decision.second_marker_id = ctx.actor_id;
        decision.supersedes_id = pending.id;
        decision.supersede_reason = "second mark";
        decision.signed_at_us = now;

        audit::DecisionSecondMarked event;
        event.decision_id = decision.id;
        event.pending_decision_id = pending.id;
        event.copy_id = pending.copy_id;
        event.assignment_id = pending.assignment_id;
        event.student_id = pending.student_id;
        event.first_teacher_id = pending.teacher_id;
        event.second_teacher_id = ctx.actor_id;
        for (size_t i = 0; i < decision.scores.size(); ++i) {
          for (const model::ScoreRecord& s : pending.scores) {
            if (s.criterion_id == decision.scores[i].criterion_id &&
                std::fabs(s.points - decision.scores[i].points) > 1e-9) {
              ++event.changed_criteria;
            }
          }
        }
        event.agreed = event.changed_criteria == 0;
        event.total_before = pending.total_points;
        event.total_after = decision.total_points;
        for (const model::ScoreRecord& s : decision.scores) {
          event.criteria.push_back({s.criterion_id, s.ai_points, s.points,
                                    std::string(OriginName(s.origin)), s.provisional_points});
        }

        RETURN_IF_ERROR(session.SupersedeDecision(ctx.tenant, pending.id));
        RETURN_IF_ERROR(session.InsertDecision(ctx.tenant, decision));
        RETURN_IF_ERROR(Release(session, ctx, GradedRelease(decision), now));
        RETURN_IF_ERROR(Audit(session, ctx, event.ToContent(), now));
        return decision;
      });
}

}  // namespace gardefou::workflow
