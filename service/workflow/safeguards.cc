// Families informed and their objections (GDPR Art. 21): the records that decide whether a
// pupil's copy may reach an AI at all (checked in ai_call_safeguards.cc). Each change is one
// transaction with its audit event; an override's justification stays in the store, the trail
// keeps its hash.
#include "absl/strings/str_cat.h"
#include "service/audit/safeguard_events.h"
#include "service/common/error_reason.h"
#include "service/common/text.h"
#include "service/workflow/mutate.h"

namespace gardefou::workflow {
namespace {

using store::Session;

constexpr size_t kMinJustification = 20;
constexpr size_t kMaxJustification = 4000;

audit::ObjectionChanged EventOf(const model::ObjectionRecord& objection, const char* action) {
  audit::ObjectionChanged event;
  event.action = action;
  event.objection_id = objection.id;
  event.class_id = objection.class_id;
  event.student_id = objection.student_id;
  return event;
}

}  // namespace

absl::StatusOr<std::string> Workflow::RecordFamiliesInformed(
    const CallContext& ctx, const RequestKey& key, const std::string& class_id,
    const std::string& informed_on, const Encoder<model::FamiliesInformedRecord>& encode) {
  RETURN_IF_ERROR(CheckRole(ctx, "RecordFamiliesInformed"));
  RETURN_IF_ERROR(common::CheckId("class_id", class_id));
  RETURN_IF_ERROR(ValidatePastDate("informed_on", informed_on));
  return Mutate<model::FamiliesInformedRecord>(
      ctx, key, encode, [&](Session& session) -> absl::StatusOr<model::FamiliesInformedRecord> {
        RETURN_IF_ERROR(session.LoadRoster(ctx.tenant, class_id).status());
        const model::FamiliesInformedRecord record{class_id, informed_on, ctx.actor_id,
                                                   common::NowMicros()};
        RETURN_IF_ERROR(session.RecordFamiliesInformed(ctx.tenant, record));
        const audit::FamiliesInformedRecorded event{class_id, informed_on};
        RETURN_IF_ERROR(Audit(session, ctx, event.ToContent(), record.recorded_at_us));
        return record;
      });
}

absl::StatusOr<std::string> Workflow::RecordObjection(
    const CallContext& ctx, const RequestKey& key, const ObjectionInput& input,
    const Encoder<model::ObjectionRecord>& encode) {
  RETURN_IF_ERROR(CheckRole(ctx, "RecordObjection"));
  RETURN_IF_ERROR(common::CheckId("class_id", input.class_id));
  RETURN_IF_ERROR(common::CheckId("student_id", input.student_id));
  RETURN_IF_ERROR(ValidatePastDate("received_on", input.received_on));
  return Mutate<model::ObjectionRecord>(
      ctx, key, encode, [&](Session& session) -> absl::StatusOr<model::ObjectionRecord> {
        RETURN_IF_ERROR(session.LoadRoster(ctx.tenant, input.class_id).status());
        ASSIGN_OR_RETURN(bool known, session.HasPerson(ctx.tenant, input.class_id, "student",
                                                       input.student_id));
        if (!known) {
          return absl::NotFoundError(absl::StrCat("student '", input.student_id,
                                                  "' is not on the roster of the class"));
        }
        ASSIGN_OR_RETURN(std::vector<model::ObjectionRecord> existing,
                         session.ListObjections(ctx.tenant, input.class_id, input.student_id));
        for (const model::ObjectionRecord& other : existing) {
          if (other.state == model::ObjectionState::kActive) {
            return common::WithReason(
                absl::AlreadyExistsError(absl::StrCat(
                    "objection '", other.id, "' of this pupil is already in force")),
                "OBJECTION_IN_FORCE");
          }
        }
        model::ObjectionRecord objection;
        objection.id = common::NewId("ob");
        objection.class_id = input.class_id;
        objection.student_id = input.student_id;
        objection.state = model::ObjectionState::kActive;
        objection.received_on = input.received_on;
        objection.recorded_by = ctx.actor_id;
        objection.recorded_at_us = common::NowMicros();
        RETURN_IF_ERROR(session.InsertObjection(ctx.tenant, objection));
        audit::ObjectionChanged event = EventOf(objection, audit::ObjectionChanged::kRecorded);
        event.received_on = objection.received_on;
        RETURN_IF_ERROR(Audit(session, ctx, event.ToContent(), objection.recorded_at_us));
        return objection;
      });
}

absl::StatusOr<std::string> Workflow::OverrideObjection(
    const CallContext& ctx, const RequestKey& key, const std::string& objection_id,
    const std::string& justification, const Encoder<model::ObjectionRecord>& encode) {
  RETURN_IF_ERROR(CheckRole(ctx, "OverrideObjection"));
  if (ctx.role != "head_of_school") {  // whatever a policy says (policy.cc refuses it too)
    return common::WithReason(
        absl::PermissionDeniedError("only the head of school may overrule an objection"),
        "ROLE_NOT_ALLOWED");
  }
  RETURN_IF_ERROR(common::CheckId("objection_id", objection_id));
  RETURN_IF_ERROR(common::CheckText("justification", justification, kMaxJustification, true,
                                    common::TextKind::kFreeText));
  if (justification.size() < kMinJustification) {
    return absl::InvalidArgumentError(absl::StrCat(
        "justification must say why the processing is indispensable, in at least ",
        kMinJustification, " characters"));
  }
  return Mutate<model::ObjectionRecord>(
      ctx, key, encode, [&](Session& session) -> absl::StatusOr<model::ObjectionRecord> {
        ASSIGN_OR_RETURN(model::ObjectionRecord objection,
                         session.FindObjection(ctx.tenant, objection_id));
        if (objection.state != model::ObjectionState::kActive) {
          return common::WithReason(
              absl::FailedPreconditionError(
                  "only an objection in force can be overridden (this one was overridden or "
                  "withdrawn)"),
              "OBJECTION_NOT_IN_FORCE");
        }
        objection.state = model::ObjectionState::kOverridden;
        objection.overridden_by = ctx.actor_id;
        objection.override_justification = justification;
        objection.overridden_at_us = common::NowMicros();
        RETURN_IF_ERROR(session.UpdateObjection(ctx.tenant, objection));
        audit::ObjectionChanged event = EventOf(objection, audit::ObjectionChanged::kOverridden);
        event.justification_sha256 = common::Sha256Hex(justification);
        RETURN_IF_ERROR(Audit(session, ctx, event.ToContent(), objection.overridden_at_us));
        return objection;
      });
}

absl::StatusOr<std::string> Workflow::WithdrawObjection(
    const CallContext& ctx, const RequestKey& key, const std::string& objection_id,
    const Encoder<model::ObjectionRecord>& encode) {
  RETURN_IF_ERROR(CheckRole(ctx, "WithdrawObjection"));
  RETURN_IF_ERROR(common::CheckId("objection_id", objection_id));
  return Mutate<model::ObjectionRecord>(
      ctx, key, encode, [&](Session& session) -> absl::StatusOr<model::ObjectionRecord> {
        ASSIGN_OR_RETURN(model::ObjectionRecord objection,
                         session.FindObjection(ctx.tenant, objection_id));
        if (objection.state == model::ObjectionState::kWithdrawn) {
          return common::WithReason(
              absl::FailedPreconditionError("this objection is already withdrawn"),
              "OBJECTION_NOT_IN_FORCE");
        }
        objection.state = model::ObjectionState::kWithdrawn;
        objection.withdrawn_at_us = common::NowMicros();
        RETURN_IF_ERROR(session.UpdateObjection(ctx.tenant, objection));
        const audit::ObjectionChanged event =
            EventOf(objection, audit::ObjectionChanged::kWithdrawn);
        RETURN_IF_ERROR(Audit(session, ctx, event.ToContent(), objection.withdrawn_at_us));
        return objection;
      });
}

absl::StatusOr<std::vector<model::ObjectionRecord>> Workflow::ListObjections(
    const CallContext& ctx, const std::string& class_id) {
  RETURN_IF_ERROR(CheckRole(ctx, "ListObjections"));
  RETURN_IF_ERROR(common::CheckId("class_id", class_id));
  std::vector<model::ObjectionRecord> out;
  RETURN_IF_ERROR(store_.Read([&](Session& session) -> absl::Status {
    RETURN_IF_ERROR(session.LoadRoster(ctx.tenant, class_id).status());
    ASSIGN_OR_RETURN(out, session.ListObjections(ctx.tenant, class_id));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace gardefou::workflow
