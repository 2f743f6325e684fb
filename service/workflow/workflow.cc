// The workflow's rules, method by method. All checks run inside the write transaction, so a
// refused call writes nothing and no check can be raced.
#include "service/workflow/workflow.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/audit/decision_events.h"
#include "service/audit/grading_events.h"
#include "service/audit/policy_events.h"
#include "service/audit/safeguard_events.h"
#include "service/audit/suggestion_events.h"
#include "service/audit/trail_writer.h"
#include "service/common/error_reason.h"
#include "service/common/hashing.h"
#include "service/common/ids.h"
#include "service/common/status_macros.h"
#include "service/common/text.h"
#include "service/workflow/egress.h"
#include "service/workflow/mutate.h"
#include "service/workflow/names.h"
#include "service/workflow/page_token.h"
#include "service/workflow/sign_off_rules.h"
#include "service/workflow/validation.h"

namespace gardefou::workflow {
namespace {

using nlohmann::json;
using store::Session;

constexpr char kTeacher[] = "teacher";

std::string Dump(const json& details) {
  return details.dump(-1, ' ', false, json::error_handler_t::replace);
}

// An id the caller may leave empty.
absl::Status CheckOptionalId(absl::string_view field, absl::string_view value) {
  return value.empty() ? absl::OkStatus() : common::CheckId(field, value);
}

// The details with how the caller was proven: the identity mode, and for a verified caller
// its integration, token issuer and token id (never the token itself).
std::string WithCaller(const CallContext& ctx, const std::string& details_json) {
  json details = json::parse(details_json, nullptr, false);
  if (!details.is_object()) details = json::object();
  json caller = {{"identity_mode", ctx.identity_mode}};
  if (!ctx.integration.empty()) caller["integration"] = ctx.integration;
  if (!ctx.issuer.empty()) caller["issuer"] = ctx.issuer;
  if (!ctx.token_id.empty()) caller["token"] = ctx.token_id;
  details["caller"] = std::move(caller);
  return Dump(details);
}

// What a page token is bound to, before the listing's own filters.
std::string Binding(const CallContext& ctx, absl::string_view method) {
  return absl::StrCat(ctx.tenant, "\n", ctx.actor_id, "\n", ctx.role, "\n", method, "\n");
}

// Checks the reply of a provider against the request; the reason names what is wrong.
absl::Status CheckReply(const plugins::ProviderRequest& request,
                        const plugins::ProviderReply& reply) {
  if (request.purpose != model::Purpose::kEvaluation) return absl::OkStatus();
  std::set<absl::string_view> seen;
  for (const auto& p : reply.criteria) {
    const model::CriterionRecord* criterion = nullptr;
    for (const auto& c : request.criteria) {
      if (c.id == p.criterion_id) criterion = &c;
    }
    if (criterion == nullptr) {
      return absl::InternalError("the provider proposed a score for an unknown criterion");
    }
    if (!seen.insert(p.criterion_id).second) {
      return absl::InternalError(
          absl::StrCat("the provider scored criterion '", p.criterion_id, "' twice"));
    }
    if (!std::isfinite(p.proposed_points) || p.proposed_points < 0 ||
        p.proposed_points > criterion->max_points) {
      return absl::InternalError(absl::StrCat("the provider's score for criterion '",
                                              p.criterion_id, "' is out of bounds"));
    }
  }
  if (seen.size() != request.criteria.size()) {
    return absl::InternalError("the provider did not score every criterion");
  }
  return absl::OkStatus();
}

// Against rubber-stamping: a review shorter than the policy's minimum for a copy of this
// length is refused (nothing written); the teacher reads on, then signs.
absl::Status CheckReviewTime(const policy::Policy& policy, const model::ReviewRecord& review,
                             const std::string& text) {
  size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;  // UTF-8 code points
  const int64_t required = policy.MinReviewMicros(chars);
  const int64_t elapsed = common::NowMicros() - review.opened_at_us;
  if (elapsed >= required) return absl::OkStatus();
  return common::WithReason(
      absl::FailedPreconditionError(absl::StrCat(
          "policy ", policy.name(), " asks for a review of at least ",
          (required + 999999) / 1000000, " s for a copy of ", chars, " characters; this one "
          "opened ", elapsed / 1000000, " s ago: read the copy, then sign off")),
      "REVIEW_TOO_SHORT");
}

// Against rubber-stamping: every proposal accepted unchanged sooner than the policy's
// fast_accept_seconds needs a rationale (INVALID_ARGUMENT without one; nothing written).
absl::Status CheckFastAcceptance(const policy::Policy& policy, const model::ReviewRecord& review,
                                 const SignOffInput& input) {
  const int64_t elapsed = common::NowMicros() - review.opened_at_us;
  const bool all_accepted =
      !input.scores.empty() && absl::c_all_of(input.scores, [](const model::ScoreRecord& s) {
        return s.origin == model::Origin::kAcceptedSuggestion;
      });
  if (!all_accepted || elapsed >= policy.fast_accept_micros() || !input.rationale.empty()) {
    return absl::OkStatus();
  }
  return common::WithReason(
      absl::InvalidArgumentError(absl::StrCat(
          "every criterion is accepted as the AI proposed it, ", elapsed / 1000000,
          " s after opening the review: policy ", policy.name(),
          " asks for a rationale (why these proposals are right) below ",
          policy.fast_accept_micros() / 1000000, " s")),
      "RATIONALE_REQUIRED");
}

}  // namespace

Workflow::Workflow(store::Store& store, const plugins::ProviderRegistry& providers,
                   policy::PolicyHolder& policy, const pseudonym::Lexicon& lexicon,
                   std::string default_provider, std::string page_token_key)
    : store_(store),
      providers_(providers),
      policy_(policy),
      default_provider_(std::move(default_provider)),
      lexicon_(lexicon),
      page_tokens_(std::move(page_token_key)) {}

// ---------------------------------------------------------------- shared steps

absl::Status Workflow::CheckRole(const CallContext& ctx, absl::string_view method) const {
  return common::WithReason(policy_.Current()->CheckRole(ctx.role, method), "ROLE_NOT_ALLOWED");
}

absl::Status Workflow::CheckEntitledTeacher(Session& session, const CallContext& ctx,
                                            const model::AssignmentRecord& assignment) const {
  const bool named = std::find(assignment.teacher_ids.begin(), assignment.teacher_ids.end(),
                               ctx.actor_id) != assignment.teacher_ids.end();
  bool on_roster = false;
  if (named && ctx.role == kTeacher) {
    ASSIGN_OR_RETURN(on_roster,
                     session.HasPerson(ctx.tenant, assignment.class_id, kTeacher, ctx.actor_id));
  }
  if (!on_roster) {
    return common::WithReason(
        absl::PermissionDeniedError(
            "the caller is not a teacher of this assignment: only its teachers may review, sign "
            "off or read it"),
        "NOT_ENTITLED");
  }
  return absl::OkStatus();
}

absl::Status Workflow::CheckCanRead(Session& session, const CallContext& ctx,
                                    const model::AssignmentRecord& assignment) const {
  if (ctx.role != kTeacher) return absl::OkStatus();
  return CheckEntitledTeacher(session, ctx, assignment);
}

absl::Status Workflow::Audit(Session& session, const CallContext& ctx,
                             audit::EventContent content, int64_t now_us) const {
  model::AuditEventRecord event;
  event.time_us = now_us;
  event.tenant = ctx.tenant;
  event.actor_id = ctx.actor_id;
  event.actor_role = ctx.role;
  event.action = std::move(content.action);
  event.objects = std::move(content.objects);
  event.policy_hash = policy_.Current()->hash();
  event.details_json = WithCaller(ctx, content.details_json);
  return audit::AppendEvent(session, std::move(event)).status();
}

absl::StatusOr<std::optional<store::IdempotentReply>> Workflow::Replay(Session& session,
                                                                       const CallContext& ctx,
                                                                       const RequestKey& key) {
  ASSIGN_OR_RETURN(auto prior, session.FindReply(ctx.tenant, key.method, key.request_id));
  if (!prior) return std::nullopt;
  if (prior->fingerprint != key.fingerprint) {
    return common::WithReason(
        absl::AlreadyExistsError(absl::StrCat(
            "request_id '", key.request_id, "' was already used for a different ", key.method,
            " request: use a new request_id for a new request")),
        "REQUEST_ID_REUSED");
  }
  return prior;
}

// ---------------------------------------------------------------- roster and assignments

absl::StatusOr<std::string> Workflow::UpsertRoster(const CallContext& ctx, const RequestKey& key,
                                                   const model::RosterRecord& roster,
                                                   const Encoder<RosterSummary>& encode) {
  RETURN_IF_ERROR(CheckRole(ctx, "UpsertRoster"));
  RETURN_IF_ERROR(ValidateRoster(roster));
  return Mutate<RosterSummary>(ctx, key, encode,
                               [&](Session& session) -> absl::StatusOr<RosterSummary> {
    const int64_t now = common::NowMicros();
    RETURN_IF_ERROR(session.ReplaceRoster(ctx.tenant, roster, now));
    RosterSummary summary{roster.class_id, static_cast<int>(roster.teachers.size()),
                          static_cast<int>(roster.students.size())};
    const audit::RosterUpserted event{roster.class_id, summary.teacher_count,
                                      summary.student_count};
    RETURN_IF_ERROR(Audit(session, ctx, event.ToContent(), now));
    return summary;
  });
}

absl::StatusOr<std::string> Workflow::CreateAssignment(
    const CallContext& ctx, const RequestKey& key, model::AssignmentRecord assignment,
    const Encoder<model::AssignmentRecord>& encode) {
  RETURN_IF_ERROR(CheckRole(ctx, "CreateAssignment"));
  RETURN_IF_ERROR(ValidateAssignment(assignment));
  return Mutate<model::AssignmentRecord>(
      ctx, key, encode, [&](Session& session) -> absl::StatusOr<model::AssignmentRecord> {
        RETURN_IF_ERROR(session.LoadRoster(ctx.tenant, assignment.class_id).status());
        for (const std::string& teacher : assignment.teacher_ids) {
          ASSIGN_OR_RETURN(bool known,
                           session.HasPerson(ctx.tenant, assignment.class_id, kTeacher, teacher));
          if (!known) {
            return absl::NotFoundError(absl::StrCat("teacher '", teacher,
                                                    "' is not on the roster of class '",
                                                    assignment.class_id, "'"));
          }
        }
        assignment.id = common::NewId("as");
        assignment.created_at_us = common::NowMicros();
        RETURN_IF_ERROR(session.InsertAssignment(ctx.tenant, assignment));
        audit::AssignmentCreated event{assignment.id,          assignment.class_id, {},
                                       assignment.teacher_ids, assignment.blind_first,
                                       assignment.high_stakes};
        for (const auto& c : assignment.criteria) event.criteria.push_back({c.id, c.max_points});
        RETURN_IF_ERROR(Audit(session, ctx, event.ToContent(), assignment.created_at_us));
        return assignment;
      });
}

// ---------------------------------------------------------------- copies

absl::StatusOr<std::string> Workflow::SubmitCopy(const CallContext& ctx, const RequestKey& key,
                                                 const SubmitCopyInput& input,
                                                 const Encoder<model::CopyRecord>& encode) {
  RETURN_IF_ERROR(CheckRole(ctx, "SubmitCopy"));
  RETURN_IF_ERROR(common::CheckId("assignment_id", input.assignment_id));
  RETURN_IF_ERROR(common::CheckId("student_id", input.student_id));
  if (!input.text.empty() && !input.text_utf8.empty()) {
    return absl::InvalidArgumentError("set text or text_utf8, not both");
  }
  const std::string& text = input.text.empty() ? input.text_utf8 : input.text;
  RETURN_IF_ERROR(common::CheckText(input.text.empty() ? "text_utf8" : "text", text,
                                    policy_.Current()->max_copy_bytes(), true,
                                    common::TextKind::kFreeText));
  return Mutate<model::CopyRecord>(
      ctx, key, encode, [&](Session& session) -> absl::StatusOr<model::CopyRecord> {
        ASSIGN_OR_RETURN(model::AssignmentRecord assignment,
                         session.FindAssignment(ctx.tenant, input.assignment_id));
        ASSIGN_OR_RETURN(bool known, session.HasPerson(ctx.tenant, assignment.class_id,
                                                       "student", input.student_id));
        if (!known) {
          return absl::NotFoundError(absl::StrCat("student '", input.student_id,
                                                  "' is not on the roster of the class"));
        }
        model::CopyRecord copy;
        copy.id = common::NewId("cp");
        copy.assignment_id = input.assignment_id;
        copy.student_id = input.student_id;
        copy.state = model::CopyState::kSubmitted;
        copy.content_sha256 = common::Sha256Hex(text);
        copy.text = text;
        copy.submitted_at_us = common::NowMicros();
        RETURN_IF_ERROR(session.InsertCopy(ctx.tenant, copy));
        RETURN_IF_ERROR(Release(session, ctx, PendingRelease(copy), copy.submitted_at_us));
        const audit::CopySubmitted event{copy.id, copy.assignment_id, copy.student_id,
                                         copy.content_sha256, copy.text.size()};
        RETURN_IF_ERROR(Audit(session, ctx, event.ToContent(), copy.submitted_at_us));
        return copy;
      });
}

// ---------------------------------------------------------------- suggestions

namespace {

// A suggestion's reply (up to the vendor's reply cap) is kept by reference.
const Reloader<model::SuggestionRecord> kReloadSuggestion{
    [](const model::SuggestionRecord& s) { return s.id; },
    [](Session& session, const std::string& tenant, const std::string& id) {
      return session.FindSuggestion(tenant, id);
    }};

}  // namespace

absl::StatusOr<std::string> Workflow::RequestSuggestion(
    const CallContext& ctx, const RequestKey& key, const SuggestionInput& input,
    const Encoder<model::SuggestionRecord>& encode) {
  ASSIGN_OR_RETURN(SuggestionPlan plan, PrepareSuggestion(ctx, key, input, encode));
  if (plan.replayed) return *std::move(plan.replayed);
  ASSIGN_OR_RETURN(EgressResult sent, SendSuggestion(ctx, plan));
  return RecordSuggestion(ctx, key, encode, plan, std::move(sent));
}

// Prepare: the request is valid, the provider exists, and what it needs is read in one
// snapshot; a replayed request_id answers at once instead.
absl::StatusOr<Workflow::SuggestionPlan> Workflow::PrepareSuggestion(
    const CallContext& ctx, const RequestKey& key, const SuggestionInput& input,
    const Encoder<model::SuggestionRecord>& encode) {
  RETURN_IF_ERROR(CheckRole(ctx, "RequestSuggestion"));
  RETURN_IF_ERROR(ValidateRequestId(key.request_id));
  RETURN_IF_ERROR(common::CheckId("copy_id", input.copy_id));
  if (input.purpose < static_cast<int>(model::Purpose::kCorrection) ||
      input.purpose > static_cast<int>(model::Purpose::kAiDetection)) {
    return absl::InvalidArgumentError(
        "purpose must be CORRECTION, EVALUATION or EXTRA_WORK");
  }
  SuggestionPlan plan;
  plan.purpose = static_cast<model::Purpose>(input.purpose);
  const std::shared_ptr<const policy::Policy> policy = policy_.Current();
  RETURN_IF_ERROR(common::WithReason(policy->CheckPurpose(ctx.tenant, PurposeName(plan.purpose)),
                                     "PURPOSE_NOT_ALLOWED"));
  RETURN_IF_ERROR(CheckOptionalId("provider", input.provider));
  plan.provider_name = !input.provider.empty()    ? input.provider
                       : !default_provider_.empty() ? default_provider_
                                                    : policy->default_provider();
  absl::StatusOr<plugins::Provider*> provider = providers_.Find(plan.provider_name);
  if (!provider.ok()) return absl::InvalidArgumentError(provider.status().message());
  plan.provider = *provider;
  plan.request.purpose = plan.purpose;
  plan.request.deadline = ctx.deadline;
  // A stop put in force while the provider works aborts the call (recorded as FAILED).
  plan.request.cancelled = [this, cancelled = ctx.cancelled, tenant = ctx.tenant,
                            provider = plan.provider_name] {
    return cancelled() || policy_.Current()->StopOf(tenant, provider).has_value();
  };
  RETURN_IF_ERROR(store_.Read([&](Session& session) -> absl::Status {
    ASSIGN_OR_RETURN(auto prior, Replay(session, ctx, key));
    if (prior) {
      ASSIGN_OR_RETURN(plan.replayed,
                       ReplyBytes(session, ctx, *std::move(prior), encode, &kReloadSuggestion));
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(plan.copy, session.FindCopy(ctx.tenant, input.copy_id, /*with_text=*/true));
    ASSIGN_OR_RETURN(model::AssignmentRecord assignment,
                     session.FindAssignment(ctx.tenant, plan.copy.assignment_id));
    RETURN_IF_ERROR(CheckCanRead(session, ctx, assignment));
    ASSIGN_OR_RETURN(plan.roster, session.LoadRoster(ctx.tenant, assignment.class_id));
    ASSIGN_OR_RETURN(plan.refusal,
                     CheckAiCallSafeguards(session, *policy, ctx.tenant, plan.copy, assignment));
    plan.request.assignment_title = assignment.title;
    plan.request.instructions = assignment.instructions;
    plan.request.criteria = assignment.criteria;
    plan.request.copy_text = std::move(plan.copy.text);
    return absl::OkStatus();
  }));
  if (plan.replayed) return plan;  // the first answer, whatever the policy says now
  if (plan.refusal) return RefuseAiCall(ctx, plan, plan.refusal->reason, plan.refusal->message);
  if (std::optional<std::string> stop = policy->StopOf(ctx.tenant, plan.provider_name)) {
    return common::WithReason(
        absl::FailedPreconditionError(absl::StrCat(
            *stop, " stopped by policy ", policy->name(),
            " (its [stop] section): nothing was sent; a teacher grades without AI meanwhile")),
        "AI_STOPPED");
  }
  RETURN_IF_ERROR(CheckProviderTerms(ctx, *policy, plan));
  return plan;
}

// The provider must meet the policy before anything is sent: what it declares (residency,
// retention, training) and how it is reached. A refusal is recorded, with the unmet
// requirements' names.
absl::Status Workflow::CheckProviderTerms(const CallContext& ctx, const policy::Policy& policy,
                                          const SuggestionPlan& plan) {
  const plugins::ProviderInfo info = plan.provider->info();
  const std::vector<std::string> unmet = policy.UnmetRequirements(
      ctx.tenant, plan.provider_name,
      {info.guarantees.eu_residency, info.guarantees.retention_days,
       info.guarantees.used_for_training, info.encrypted_or_local});
  if (unmet.empty()) return absl::OkStatus();
  const audit::ProviderRefused event{plan.copy.id,
                                     plan.copy.assignment_id,
                                     plan.copy.student_id,
                                     plan.provider_name,
                                     std::string(PurposeName(plan.purpose)),
                                     unmet};
  RETURN_IF_ERROR(store_.Write([&](Session& session) {
    return Audit(session, ctx, event.ToContent(), common::NowMicros());
  }));
  return common::WithReason(
      absl::FailedPreconditionError(absl::StrCat(
          "provider '", plan.provider_name, "' does not meet policy ", policy.name(), ": ",
          absl::StrJoin(unmet, ", "),
          " (see the policy's [providers] section and the provider's declarations): nothing "
          "was sent")),
      "PROVIDER_REFUSED");
}

absl::Status Workflow::RefuseAiCall(const CallContext& ctx, const SuggestionPlan& plan,
                                    const std::string& reason, const std::string& message) {
  const audit::AiCallRefused event{plan.copy.id, plan.copy.assignment_id, plan.copy.student_id,
                                   std::string(PurposeName(plan.purpose)), reason};
  RETURN_IF_ERROR(store_.Write([&](Session& session) {
    return Audit(session, ctx, event.ToContent(), common::NowMicros());
  }));
  return common::WithReason(absl::FailedPreconditionError(message), reason);
}

absl::Status Workflow::ChangePolicy(const CallContext& ctx, policy::Policy next) {
  // Replaced inside the write transaction, after its event: no write commits between the two,
  // so every event after POLICY_CHANGED carries the new hash (the event itself, the old one).
  std::shared_ptr<const policy::Policy> replaced;
  const absl::Status written = store_.Write([&](Session& session) -> absl::Status {
    const std::shared_ptr<const policy::Policy> old = policy_.Current();
    if (old->hash() == next.hash()) return absl::OkStatus();
    const audit::PolicyChanged event{old->hash(),  next.hash(),    old->name(),
                                     next.name(),  old->Stopped(), next.Stopped()};
    RETURN_IF_ERROR(Audit(session, ctx, event.ToContent(), common::NowMicros()));
    replaced = policy_.Replace(std::move(next));
    return absl::OkStatus();
  });
  if (!written.ok() && replaced != nullptr) policy_.Replace(*replaced);  // not committed
  return written;
}

// Egress, outside any transaction: pseudonymised, checked by the leak gate, sent. A blocked
// payload is recorded (EGRESS_BLOCKED) and refused; a call refused before sending (an open
// circuit) has nothing to record.
absl::StatusOr<EgressResult> Workflow::SendSuggestion(const CallContext& ctx,
                                                      const SuggestionPlan& plan) {
  EgressResult sent =
      SendToProvider(*plan.provider, plan.request, plan.roster, plan.copy.student_id, lexicon_);
  const model::CopyRecord& copy = plan.copy;
  if (!sent.blocked.empty()) {
    std::string types;
    for (const auto& [type, count] : sent.blocked)
      absl::StrAppend(&types, types.empty() ? "" : ", ", type, " x", count);
    const audit::EgressBlocked event{copy.id,
                                     copy.assignment_id,
                                     copy.student_id,
                                     plan.provider_name,
                                     std::string(PurposeName(plan.purpose)),
                                     sent.blocked,
                                     sent.entity_counts,
                                     sent.payload_sha256};
    RETURN_IF_ERROR(store_.Write([&](Session& session) {
      return Audit(session, ctx, event.ToContent(), common::NowMicros());
    }));
    return common::WithReason(
        absl::FailedPreconditionError(absl::StrCat(
            "personal data remains after pseudonymisation (", types,
            "): nothing was sent to the provider. Remove identifiers from the copy or the "
            "assignment, or complete the roster, then retry.")),
        "EGRESS_BLOCKED");
  }
  if (!sent.reply.ok() && sent.reply.status().GetPayload(plugins::kNothingSentPayload)) {
    return sent.reply.status();
  }
  return sent;
}

// Record: the answer (or its failure) becomes a suggestion, stored with its event in one
// transaction.
absl::StatusOr<std::string> Workflow::RecordSuggestion(
    const CallContext& ctx, const RequestKey& key, const Encoder<model::SuggestionRecord>& encode,
    const SuggestionPlan& plan, EgressResult sent) {
  const plugins::ProviderInfo info = plan.provider->info();
  const model::CopyRecord& copy = plan.copy;
  model::SuggestionRecord suggestion;
  suggestion.id = common::NewId("sg");
  suggestion.copy_id = copy.id;
  suggestion.purpose = plan.purpose;
  suggestion.provider = plan.provider_name;
  {
    const std::shared_ptr<const policy::Policy> policy = policy_.Current();
    suggestion.notice_text = policy->notice_text();
    suggestion.notice_version = policy->notice_version();
  }
  if (sent.reply.ok()) {
    if (absl::Status valid = CheckReply(plan.request, *sent.reply); !valid.ok()) {
      sent.reply = valid;
    }
  }
  if (sent.reply.ok()) {
    plugins::ProviderReply& reply = *sent.reply;
    suggestion.ready = true;
    suggestion.model = reply.model.empty() ? info.model : reply.model;
    suggestion.heuristic = reply.heuristic;
    suggestion.summary = std::move(reply.summary);
    suggestion.criteria = std::move(reply.criteria);
    suggestion.annotations = std::move(reply.annotations);
    suggestion.extra_work = std::move(reply.extra_work);
    suggestion.unknown_placeholders = std::move(sent.unknown_placeholders);
  } else {
    suggestion.model = info.model;
    suggestion.failure_reason = std::string(sent.reply.status().message());
    const std::optional<std::string> stop =
        policy_.Current()->StopOf(ctx.tenant, plan.provider_name);
    if (absl::IsCancelled(sent.reply.status()) && stop) {
      suggestion.failure_reason = absl::StrCat("stopped while the provider worked: ", *stop,
                                               " stopped by the policy in force");
    }
  }

  return Mutate<model::SuggestionRecord>(
      ctx, key, encode, [&](Session& session) -> absl::StatusOr<model::SuggestionRecord> {
        // The copy may not have changed tenant, but its state may have moved on meanwhile.
        ASSIGN_OR_RETURN(model::CopyRecord current,
                         session.FindCopy(ctx.tenant, copy.id, /*with_text=*/false));
        suggestion.created_at_us = common::NowMicros();
        RETURN_IF_ERROR(session.InsertSuggestion(ctx.tenant, suggestion));
        if (suggestion.ready && current.state == model::CopyState::kSubmitted) {
          RETURN_IF_ERROR(
              session.SetCopyState(ctx.tenant, copy.id, model::CopyState::kSuggested));
        }
        audit::SuggestionRecorded event;
        event.copy_id = copy.id;
        event.suggestion_id = suggestion.id;
        event.assignment_id = current.assignment_id;
        event.student_id = current.student_id;
        event.provider = suggestion.provider;
        event.model = suggestion.model;
        event.purpose = std::string(PurposeName(plan.purpose));
        event.ready = suggestion.ready;
        event.copy_sha256 = current.content_sha256;
        event.payload_sha256 = sent.payload_sha256;
        event.latency_ms = sent.latency_ms;
        event.entity_counts = sent.entity_counts;
        event.guarantees = {info.guarantees.eu_residency, info.guarantees.retention_days,
                            info.guarantees.used_for_training};
        for (const auto& p : suggestion.criteria) {
          event.proposed_points[p.criterion_id] = p.proposed_points;
        }
        event.annotation_count = suggestion.annotations.size();
        event.extra_work_count = suggestion.extra_work.size();
        if (!suggestion.ready) event.failure_reason = suggestion.failure_reason;
        RETURN_IF_ERROR(Audit(session, ctx, event.ToContent(), suggestion.created_at_us));
        return suggestion;
      },
      &kReloadSuggestion);
}

// ---------------------------------------------------------------- review

absl::StatusOr<std::string> Workflow::OpenReview(const CallContext& ctx, const RequestKey& key,
                                                 const std::string& copy_id,
                                                 const Encoder<model::ReviewRecord>& encode) {
  RETURN_IF_ERROR(CheckRole(ctx, "OpenReview"));
  RETURN_IF_ERROR(common::CheckId("copy_id", copy_id));
  return Mutate<model::ReviewRecord>(
      ctx, key, encode, [&](Session& session) -> absl::StatusOr<model::ReviewRecord> {
        ASSIGN_OR_RETURN(model::CopyRecord copy,
                         session.FindCopy(ctx.tenant, copy_id, /*with_text=*/false));
        ASSIGN_OR_RETURN(model::AssignmentRecord assignment,
                         session.FindAssignment(ctx.tenant, copy.assignment_id));
        RETURN_IF_ERROR(CheckEntitledTeacher(session, ctx, assignment));
        model::ReviewRecord review;
        review.id = common::NewId("rv");
        review.copy_id = copy_id;
        review.teacher_id = ctx.actor_id;
        review.opened_at_us = common::NowMicros();
        RETURN_IF_ERROR(session.InsertReview(ctx.tenant, review));
        if (copy.state == model::CopyState::kSubmitted ||
            copy.state == model::CopyState::kSuggested) {
          RETURN_IF_ERROR(
              session.SetCopyState(ctx.tenant, copy_id, model::CopyState::kInReview));
        }
        const audit::ReviewOpened event{copy_id, review.id, copy.assignment_id,
                                        copy.student_id, ctx.actor_id};
        RETURN_IF_ERROR(Audit(session, ctx, event.ToContent(), review.opened_at_us));
        return review;
      });
}

// ---------------------------------------------------------------- sign-off

absl::StatusOr<std::string> Workflow::SignOff(const CallContext& ctx, const RequestKey& key,
                                              const SignOffInput& input,
                                              const Encoder<model::DecisionRecord>& encode) {
  if (ctx.role != kTeacher) {
    return common::WithReason(
        absl::PermissionDeniedError(
            absl::StrCat("only a teacher may sign off; the caller's role is '", ctx.role, "'")),
        "ROLE_NOT_ALLOWED");
  }
  RETURN_IF_ERROR(CheckRole(ctx, "SignOff"));
  RETURN_IF_ERROR(common::CheckId("copy_id", input.copy_id));
  RETURN_IF_ERROR(common::CheckId("review_id", input.review_id));
  if (!input.attest_copy_read) {
    return absl::InvalidArgumentError(
        "attest_copy_read must be true: the teacher confirms having read the copy");
  }
  RETURN_IF_ERROR(common::CheckText("final_comment", input.final_comment, kMaxLongText, false,
                                    common::TextKind::kFreeText));
  RETURN_IF_ERROR(common::CheckText("supersede_reason", input.supersede_reason, 2000, false,
                                    common::TextKind::kFreeText));
  RETURN_IF_ERROR(common::CheckText("rationale", input.rationale, 2000, false,
                                    common::TextKind::kFreeText));
  RETURN_IF_ERROR(common::CheckText("notice_version", input.notice_version, 64, false,
                                    common::TextKind::kSingleLine));
  RETURN_IF_ERROR(CheckOptionalId("evaluation_suggestion_id", input.evaluation_suggestion_id));
  RETURN_IF_ERROR(CheckOptionalId("extra_work_suggestion_id", input.extra_work_suggestion_id));
  RETURN_IF_ERROR(CheckOptionalId("supersedes_decision_id", input.supersedes_decision_id));
  return Mutate<model::DecisionRecord>(
      ctx, key, encode, [&](Session& session) { return SignOffInSession(session, ctx, input); });
}

absl::StatusOr<model::DecisionRecord> Workflow::SignOffInSession(Session& session,
                                                                 const CallContext& ctx,
                                                                 const SignOffInput& input) {
  ASSIGN_OR_RETURN(const SignOffFacts facts, CheckSignOff(session, ctx, input));
  const model::DecisionRecord decision =
      Decide(facts, ctx, input, *policy_.Current(), common::NowMicros());
  RETURN_IF_ERROR(RecordSignOff(session, ctx, input, facts, decision));
  return decision;
}

// Check: the copy, the teacher's open review of it, the READY suggestions it refers to, the
// scores and extra work against them, and the decision in force (docs/design.md invariant 2).
absl::StatusOr<Workflow::SignOffFacts> Workflow::CheckSignOff(Session& session,
                                                              const CallContext& ctx,
                                                              const SignOffInput& input) const {
  const std::shared_ptr<const policy::Policy> policy = policy_.Current();  // one for the call
  SignOffFacts f;
  ASSIGN_OR_RETURN(f.copy, session.FindCopy(ctx.tenant, input.copy_id,
                                            policy->review_minimum_scales()));
  ASSIGN_OR_RETURN(f.assignment, session.FindAssignment(ctx.tenant, f.copy.assignment_id));
  RETURN_IF_ERROR(CheckEntitledTeacher(session, ctx, f.assignment));

  ASSIGN_OR_RETURN(f.review, session.FindReview(ctx.tenant, input.review_id));
  if (f.review.copy_id != f.copy.id || f.review.teacher_id != ctx.actor_id) {
    return common::WithReason(
        absl::FailedPreconditionError(
            "review_id is not a review opened by this teacher on this copy: call OpenReview "
            "first"),
        "REVIEW_NOT_OPEN");
  }
  if (f.review.closed_at_us != 0) {
    return common::WithReason(
        absl::FailedPreconditionError(
            "this review already ended with a sign-off: open a new review to change the "
            "decision"),
        "REVIEW_NOT_OPEN");
  }
  RETURN_IF_ERROR(CheckReviewTime(*policy, f.review, f.copy.text));
  RETURN_IF_ERROR(CheckFastAcceptance(*policy, f.review, input));

  // The suggestions the teacher refers to must be READY ones of this copy.
  auto load_suggestion = [&](const std::string& id, model::Purpose purpose,
                             std::optional<model::SuggestionRecord>& out) -> absl::Status {
    if (id.empty()) return absl::OkStatus();
    ASSIGN_OR_RETURN(model::SuggestionRecord s, session.FindSuggestion(ctx.tenant, id));
    if (s.copy_id != f.copy.id || s.purpose != purpose || !s.ready) {
      return absl::InvalidArgumentError(absl::StrCat("suggestion '", id, "' is not a READY ",
                                                     PurposeName(purpose),
                                                     " suggestion of this copy"));
    }
    out = std::move(s);
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(
      load_suggestion(input.evaluation_suggestion_id, model::Purpose::kEvaluation, f.evaluation));
  RETURN_IF_ERROR(
      load_suggestion(input.extra_work_suggestion_id, model::Purpose::kExtraWork, f.extra));
  RETURN_IF_ERROR(
      CheckScores(f.assignment, input.scores, f.evaluation ? &*f.evaluation : nullptr));
  RETURN_IF_ERROR(CheckExtraWork(input.extra_work, f.extra ? &*f.extra : nullptr));
  // The automation-bias notice the teacher saw with the suggestions used must be theirs.
  for (const auto* used : {f.evaluation ? &*f.evaluation : nullptr, f.extra ? &*f.extra : nullptr}) {
    if (used != nullptr && input.notice_version != used->notice_version) {
      return common::WithReason(
          absl::InvalidArgumentError(absl::StrCat(
              "notice_version must repeat the automation-bias notice shown with suggestion '",
              used->id, "' (its notice_version is '", used->notice_version, "')")),
          "NOTICE_VERSION_MISMATCH");
    }
  }
  ASSIGN_OR_RETURN(f.provisional, session.FindProvisionalScores(ctx.tenant, f.copy.id));

  ASSIGN_OR_RETURN(f.active, session.FindActiveDecision(ctx.tenant, f.copy.id));
  if (f.active) {
    if (input.supersedes_decision_id != f.active->id) {
      return common::WithReason(
          absl::FailedPreconditionError(absl::StrCat(
              "this copy is already signed off by decision '", f.active->id,
              "': to correct it, set supersedes_decision_id to that id and give a "
              "supersede_reason")),
          "ALREADY_SIGNED_OFF");
    }
    if (input.supersede_reason.empty()) {
      return absl::InvalidArgumentError("supersede_reason is required to supersede a decision");
    }
  } else if (!input.supersedes_decision_id.empty()) {
    return common::WithReason(
        absl::FailedPreconditionError(
            "supersedes_decision_id is set but this copy has no decision in force"),
        "NOTHING_TO_SUPERSEDE");
  }
  return f;
}

// Decide: the teacher's decision, from the checked facts and the input.
model::DecisionRecord Workflow::Decide(const SignOffFacts& f, const CallContext& ctx,
                                       const SignOffInput& input, const policy::Policy& policy,
                                       int64_t now) {
  model::DecisionRecord decision;
  decision.id = common::NewId("dc");
  decision.copy_id = f.copy.id;
  decision.assignment_id = f.copy.assignment_id;
  decision.student_id = f.copy.student_id;
  decision.teacher_id = ctx.actor_id;
  decision.review_id = f.review.id;
  decision.evaluation_suggestion_id = input.evaluation_suggestion_id;
  decision.extra_work_suggestion_id = input.extra_work_suggestion_id;
  decision.scores = input.scores;
  for (model::ScoreRecord& s : decision.scores) {
    if (f.evaluation) {
      for (const auto& p : f.evaluation->criteria) {
        if (p.criterion_id == s.criterion_id) s.ai_points = p.proposed_points;
      }
    }
    if (f.provisional) {
      for (const auto& p : f.provisional->scores) {
        if (p.criterion_id == s.criterion_id) s.provisional_points = p.points;
      }
    }
  }
  decision.total_points = TotalPoints(input.scores);
  for (const auto& c : f.assignment.criteria) decision.max_points += c.max_points;
  decision.final_comment = input.final_comment;
  decision.extra_work = input.extra_work;
  decision.active = true;
  decision.supersedes_id = input.supersedes_decision_id;
  decision.supersede_reason = input.supersede_reason;
  decision.rationale = input.rationale;
  if (f.evaluation || f.extra) decision.notice_version = input.notice_version;
  decision.second_mark_reason = SecondMarkReason(policy, f.assignment, decision.scores);
  if (decision.second_mark_reason.empty() && f.active && f.active->pending_second_mark) {
    // Re-signing is no way around a second mark, even with marks closer to the AI's.
    decision.second_mark_reason = absl::StrCat("it replaces decision '", f.active->id,
                                               "', which waited for a second mark (",
                                               f.active->second_mark_reason, ")");
  }
  decision.pending_second_mark = !decision.second_mark_reason.empty();
  decision.review_opened_at_us = f.review.opened_at_us;
  decision.signed_at_us = now;
  return decision;
}

// Record: the superseded decision, the new one, the closed review, the copy's state and their
// events, in the caller's transaction.
absl::Status Workflow::RecordSignOff(Session& session, const CallContext& ctx,
                                     const SignOffInput& input, const SignOffFacts& f,
                                     const model::DecisionRecord& decision) const {
  const int64_t now = decision.signed_at_us;
  if (f.active) {
    RETURN_IF_ERROR(session.SupersedeDecision(ctx.tenant, f.active->id));
    audit::DecisionSuperseded superseded{f.active->id, decision.id, f.copy.id, f.copy.student_id,
                                         common::Sha256Hex(input.supersede_reason)};
    RETURN_IF_ERROR(Audit(session, ctx, superseded.ToContent(), now));
  }
  RETURN_IF_ERROR(session.InsertDecision(ctx.tenant, decision));
  if (!decision.pending_second_mark) {
    RETURN_IF_ERROR(Release(session, ctx, GradedRelease(decision), now));
  } else if (f.active && !f.active->pending_second_mark) {
    // The grade in force is withdrawn until the second mark.
    RETURN_IF_ERROR(Release(session, ctx, PendingRelease(f.copy), now));
  }
  RETURN_IF_ERROR(session.CloseReview(ctx.tenant, f.review.id, now));
  RETURN_IF_ERROR(session.SetCopyState(ctx.tenant, f.copy.id, model::CopyState::kSignedOff));

  audit::DecisionSigned event;
  event.copy_id = f.copy.id;
  event.decision_id = decision.id;
  event.review_id = f.review.id;
  event.assignment_id = f.copy.assignment_id;
  event.student_id = f.copy.student_id;
  if (f.evaluation) event.evaluation_suggestion_id = f.evaluation->id;
  if (f.extra) event.extra_work_suggestion_id = f.extra->id;
  if (f.active) event.supersedes_decision_id = f.active->id;
  event.teacher_id = ctx.actor_id;
  event.teacher_role = ctx.role;
  event.review_opened_at_us = f.review.opened_at_us;
  event.review_duration_ms = (now - f.review.opened_at_us) / 1000;
  for (const auto& s : decision.scores) {
    event.criteria.push_back({s.criterion_id, s.ai_points, s.points,
                              std::string(OriginName(s.origin)), s.provisional_points});
  }
  event.total_points = decision.total_points;
  event.max_points = decision.max_points;
  for (const auto& item : decision.extra_work) {
    event.extra_work.push_back({std::string(OriginName(item.origin)), item.proposal_item_id,
                                common::Sha256Hex(item.description)});
  }
  event.final_comment_sha256 = common::Sha256Hex(decision.final_comment);
  if (!decision.rationale.empty()) event.rationale_sha256 = common::Sha256Hex(decision.rationale);
  event.notice_version = decision.notice_version;
  event.second_mark_reason = decision.second_mark_reason;
  return Audit(session, ctx, event.ToContent(), now);
}

// ---------------------------------------------------------------- reads

absl::StatusOr<model::DecisionRecord> Workflow::GetDecision(const CallContext& ctx,
                                                            const std::string& copy_id) {
  RETURN_IF_ERROR(CheckRole(ctx, "GetDecision"));
  RETURN_IF_ERROR(common::CheckId("copy_id", copy_id));
  model::DecisionRecord out;
  RETURN_IF_ERROR(store_.Read([&](Session& session) -> absl::Status {
    ASSIGN_OR_RETURN(model::CopyRecord copy,
                     session.FindCopy(ctx.tenant, copy_id, /*with_text=*/false));
    ASSIGN_OR_RETURN(model::AssignmentRecord assignment,
                     session.FindAssignment(ctx.tenant, copy.assignment_id));
    RETURN_IF_ERROR(CheckCanRead(session, ctx, assignment));
    ASSIGN_OR_RETURN(std::optional<model::DecisionRecord> active,
                     session.FindActiveDecision(ctx.tenant, copy_id));
    if (!active) {
      return common::WithReason(
          absl::FailedPreconditionError(
              "this copy has no grade: no teacher has signed it off yet (AI suggestions are "
              "never grades)"),
          "NOT_SIGNED_OFF");
    }
    if (active->pending_second_mark) {
      return common::WithReason(
          absl::FailedPreconditionError(absl::StrCat(
              "this copy has no grade yet: decision '", active->id,
              "' waits for a second teacher (SecondMark): ", active->second_mark_reason)),
          "PENDING_SECOND_MARK");
    }
    out = *std::move(active);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<DecisionPage> Workflow::ListDecisions(const CallContext& ctx,
                                                     const std::string& assignment_id,
                                                     int page_size,
                                                     const std::string& page_token,
                                                     bool include_superseded) {
  RETURN_IF_ERROR(CheckRole(ctx, "ListDecisions"));
  RETURN_IF_ERROR(common::CheckId("assignment_id", assignment_id));
  ASSIGN_OR_RETURN(int limit, PageSize(page_size, 100, 500));
  const std::string binding =
      absl::StrCat(Binding(ctx, "ListDecisions"), assignment_id, "\n", include_superseded);
  ASSIGN_OR_RETURN(int64_t after, page_tokens_.Decode(page_token, binding));
  DecisionPage page;
  RETURN_IF_ERROR(store_.Read([&](Session& session) -> absl::Status {
    ASSIGN_OR_RETURN(model::AssignmentRecord assignment,
                     session.FindAssignment(ctx.tenant, assignment_id));
    RETURN_IF_ERROR(CheckCanRead(session, ctx, assignment));
    ASSIGN_OR_RETURN(auto rows, session.ListDecisions(ctx.tenant, assignment_id,
                                                      include_superseded, after, limit + 1));
    if (rows.size() > static_cast<size_t>(limit)) {
      rows.pop_back();
      page.next_page_token = page_tokens_.Encode(rows.back().first, binding);
    }
    for (auto& [pos, decision] : rows) page.decisions.push_back(std::move(decision));
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<EventPage> Workflow::ListEvents(const CallContext& ctx, store::AuditQuery query,
                                               int page_size, const std::string& page_token) {
  RETURN_IF_ERROR(CheckRole(ctx, "ListEvents"));
  ASSIGN_OR_RETURN(int limit, PageSize(page_size, 100, 1000));
  RETURN_IF_ERROR(common::CheckText("action", query.action, 64, false,
                                    common::TextKind::kSingleLine));
  RETURN_IF_ERROR(common::CheckText("object_id", query.object_id, 128, false,
                                    common::TextKind::kSingleLine));
  RETURN_IF_ERROR(common::CheckText("actor_id", query.actor_id, 128, false,
                                    common::TextKind::kSingleLine));
  // A caller whose token grants a period reads nothing outside it.
  if (ctx.scope_from_us > 0) query.since_us = std::max(query.since_us, ctx.scope_from_us);
  if (ctx.scope_until_us > 0) {
    query.until_us = query.until_us == 0 ? ctx.scope_until_us
                                         : std::min(query.until_us, ctx.scope_until_us);
  }
  const std::string binding =
      absl::StrCat(Binding(ctx, "ListEvents"), query.action, "\n", query.object_id, "\n",
                   query.actor_id, "\n", query.since_us, "\n", query.until_us);
  ASSIGN_OR_RETURN(query.after_seq, page_tokens_.Decode(page_token, binding));
  query.tenant = ctx.tenant;
  query.limit = limit + 1;
  EventPage page;
  RETURN_IF_ERROR(store_.Read([&](Session& session) -> absl::Status {
    ASSIGN_OR_RETURN(page.events, session.ListAuditEvents(query));
    return absl::OkStatus();
  }));
  if (page.events.size() > static_cast<size_t>(limit)) {
    page.events.pop_back();
    page.next_page_token = page_tokens_.Encode(page.events.back().seq, binding);
  }
  return page;
}

absl::StatusOr<audit::VerifyResult> Workflow::VerifyTrail(const CallContext& ctx) {
  RETURN_IF_ERROR(CheckRole(ctx, "VerifyTrail"));
  audit::ChainVerifier verifier;
  int64_t tenant_events = 0;
  RETURN_IF_ERROR(store_.Read([&](Session& session) {
    return session.ForEachAuditEvent([&](const model::AuditEventRecord& event) {
      verifier.Feed(event);
      tenant_events += event.tenant == ctx.tenant;
    });
  }));
  if (ctx.log_wide) return verifier.result();
  // A tenant-scoped caller learns the verdict and its own tenant's count, not the log's size
  // nor where another tenant's event broke it.
  audit::VerifyResult scoped;
  scoped.ok = verifier.result().ok;
  scoped.events_checked = tenant_events;
  scoped.head_hash = verifier.result().head_hash;
  if (!scoped.ok) scoped.problem = "the trail does not verify: a log-wide auditor can locate why";
  return scoped;
}

absl::Status Workflow::RecordTrailRead(const CallContext& ctx, absl::string_view call,
                                       const std::map<std::string, std::string>& filter) {
  if (ctx.role == kTeacher || ctx.role == "lms") return absl::OkStatus();
  const audit::TrailRead event{std::string(call), filter};
  return store_.Write([&](Session& session) {
    return Audit(session, ctx, event.ToContent(), common::NowMicros());
  });
}

}  // namespace gardefou::workflow
