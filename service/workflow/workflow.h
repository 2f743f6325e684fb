// The workflow owns the rules of gardefou: who may do what, in which state, and what is
// written — each state change with its audit event, in one transaction.
//
// Every method checks the caller's role against the policy first. Objects of another tenant
// are reported as NOT_FOUND. Mutating methods are idempotent on their RequestKey and return
// the encoded response (see Encoder): a replay returns the first response byte for byte.
// Thread-safe: methods may be called from any number of threads.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "plugins/provider.h"
#include "policy/policy_holder.h"
#include "service/pseudonym/lexicon.h"
#include "service/audit/chain_verifier.h"
#include "service/audit/event_content.h"
#include "service/store/store.h"
#include "service/workflow/ai_call_safeguards.h"
#include "service/workflow/call_context.h"
#include "service/workflow/egress.h"
#include "service/workflow/page_token.h"

namespace gardefou::workflow {

// Turns the result of a mutation into the bytes returned to the caller (and to replays).
template <typename T>
using Encoder = std::function<std::string(const T&)>;

// Replies above this size are not copied into the idempotency table when the method can read
// its object back (see Reloader): a large suggestion is stored once, not twice.
inline constexpr size_t kInlineReplyBytes = 16 * 1024;

// How a mutation's reply is found again from the object it returned: that object's id, and
// how to read it back in a session.
template <typename T>
struct Reloader {
  std::function<std::string(const T&)> id_of;
  std::function<absl::StatusOr<T>(store::Session&, const std::string& tenant,
                                  const std::string& id)>
      read;
};

struct RosterSummary {
  std::string class_id;
  int teacher_count = 0;
  int student_count = 0;
};

struct SubmitCopyInput {
  std::string assignment_id;
  std::string student_id;
  std::string text;
  std::string text_utf8;  // the same text sent as a string; at most one of the two is set
};

struct SuggestionInput {
  std::string copy_id;
  int purpose = 0;       // a model::Purpose value; anything else is INVALID_ARGUMENT
  std::string provider;  // empty: the policy's default provider
};

struct SignOffInput {
  std::string copy_id;
  std::string review_id;
  std::string evaluation_suggestion_id;
  std::string extra_work_suggestion_id;
  std::vector<model::ScoreRecord> scores;
  std::string final_comment;
  std::vector<model::ExtraWorkItemRecord> extra_work;
  bool attest_copy_read = false;
  std::string supersedes_decision_id;
  std::string supersede_reason;
  std::string rationale;
  std::string notice_version;
};

struct ObjectionInput {
  std::string class_id;
  std::string student_id;
  std::string received_on;
};

struct SecondMarkInput {
  std::string decision_id;
  std::vector<model::ScoreRecord> scores;  // empty: co-sign as it is
  bool attest_copy_read = false;
};

struct ReleasePage {
  std::vector<model::ReleaseRecord> releases;
  int64_t next_cursor = 0;
};

// The release feed's entries (releases.cc): a copy handed in (PendingManual), a decision in
// force (FullyGraded, its total, comment and signer).
model::ReleaseRecord PendingRelease(const model::CopyRecord& copy);
model::ReleaseRecord GradedRelease(const model::DecisionRecord& decision);

struct DecisionPage {
  std::vector<model::DecisionRecord> decisions;
  std::string next_page_token;
};

struct EventPage {
  std::vector<model::AuditEventRecord> events;
  std::string next_page_token;
};

class Workflow {
 public:
  // `store`, `providers` and `lexicon` must outlive the workflow. `default_provider` answers
  // requests that name none; empty: the policy's default. `page_token_key` authenticates page
  // tokens (empty: a random key, tokens then last as long as the process).
  Workflow(store::Store& store, const plugins::ProviderRegistry& providers,
           policy::PolicyHolder& policy, const pseudonym::Lexicon& lexicon,
           std::string default_provider = "", std::string page_token_key = "");

  // Puts `next` in force and records POLICY_CHANGED (old and new hashes) in the same
  // transaction, as `ctx` (the operator: a reload has no tenant); events written afterwards
  // carry the new hash. Nothing changes when the write fails. A document identical to the one
  // in force changes nothing and records nothing.
  absl::Status ChangePolicy(const CallContext& ctx, policy::Policy next);

  absl::StatusOr<std::string> UpsertRoster(const CallContext& ctx, const RequestKey& key,
                                           const model::RosterRecord& roster,
                                           const Encoder<RosterSummary>& encode);

  // `assignment.id` and `created_at_us` are assigned here. NOT_FOUND when the class has no
  // roster or a teacher id is not a teacher of the class.
  absl::StatusOr<std::string> CreateAssignment(const CallContext& ctx, const RequestKey& key,
                                               model::AssignmentRecord assignment,
                                               const Encoder<model::AssignmentRecord>& encode);

  // NOT_FOUND for an unknown assignment or a student not on the class roster;
  // INVALID_ARGUMENT for empty, oversize (policy max_copy_bytes) or non-UTF-8 text.
  absl::StatusOr<std::string> SubmitCopy(const CallContext& ctx, const RequestKey& key,
                                         const SubmitCopyInput& input,
                                         const Encoder<model::CopyRecord>& encode);

  // Pseudonymises and checks what would be sent (see egress.h), calls the provider outside
  // any transaction, then stores the suggestion (READY, or FAILED with a reason) with its
  // audit event. PERMISSION_DENIED for a purpose the policy refuses or a teacher not entitled
  // to the assignment; FAILED_PRECONDITION when the provider does not meet the policy's
  // requirements (nothing is sent; PROVIDER_REFUSED names the unmet ones) or when the leak gate
  // blocks the payload (nothing is sent; an EGRESS_BLOCKED event records the entity types and
  // counts, never values).
  absl::StatusOr<std::string> RequestSuggestion(const CallContext& ctx, const RequestKey& key,
                                                const SuggestionInput& input,
                                                const Encoder<model::SuggestionRecord>& encode);

  // Teachers of the assignment only (PERMISSION_DENIED otherwise).
  absl::StatusOr<std::string> OpenReview(const CallContext& ctx, const RequestKey& key,
                                         const std::string& copy_id,
                                         const Encoder<model::ReviewRecord>& encode);

  // Enforces docs/design.md invariant 2; see SignOffRequest in grading.proto for each condition.
  absl::StatusOr<std::string> SignOff(const CallContext& ctx, const RequestKey& key,
                                      const SignOffInput& input,
                                      const Encoder<model::DecisionRecord>& encode);

  // The ACTIVE decision of a copy. FAILED_PRECONDITION while the copy is not signed off.
  absl::StatusOr<model::DecisionRecord> GetDecision(const CallContext& ctx,
                                                    const std::string& copy_id);

  absl::StatusOr<DecisionPage> ListDecisions(const CallContext& ctx,
                                             const std::string& assignment_id, int page_size,
                                             const std::string& page_token,
                                             bool include_superseded);

  // Events of the caller's tenant; `query.tenant` and `query.after_seq` are set from the
  // context and the token.
  absl::StatusOr<EventPage> ListEvents(const CallContext& ctx, store::AuditQuery query,
                                       int page_size, const std::string& page_token);

  // Recomputes the whole chain. A tenant-scoped caller (ctx.log_wide false) gets the verdict
  // and its tenant's event count only.
  absl::StatusOr<audit::VerifyResult> VerifyTrail(const CallContext& ctx);

  // Safeguards (safeguards.cc). NOT_FOUND for a class without roster in this tenant;
  // INVALID_ARGUMENT for a date not written YYYY-MM-DD or in the future.
  absl::StatusOr<std::string> RecordFamiliesInformed(
      const CallContext& ctx, const RequestKey& key, const std::string& class_id,
      const std::string& informed_on, const Encoder<model::FamiliesInformedRecord>& encode);
  // NOT_FOUND for a pupil not on the class's roster; ALREADY_EXISTS while another objection of
  // the pupil is active.
  absl::StatusOr<std::string> RecordObjection(const CallContext& ctx, const RequestKey& key,
                                              const ObjectionInput& input,
                                              const Encoder<model::ObjectionRecord>& encode);
  // Head of school only; FAILED_PRECONDITION unless the objection is active.
  absl::StatusOr<std::string> OverrideObjection(const CallContext& ctx, const RequestKey& key,
                                                const std::string& objection_id,
                                                const std::string& justification,
                                                const Encoder<model::ObjectionRecord>& encode);
  // FAILED_PRECONDITION when already withdrawn.
  absl::StatusOr<std::string> WithdrawObjection(const CallContext& ctx, const RequestKey& key,
                                                const std::string& objection_id,
                                                const Encoder<model::ObjectionRecord>& encode);
  absl::StatusOr<std::vector<model::ObjectionRecord>> ListObjections(const CallContext& ctx,
                                                                     const std::string& class_id);

  // Blind-first review and second marking (second_marking.cc). The reviewing teacher's own
  // marks, once per review, before any suggestion is shown.
  absl::StatusOr<std::string> RecordProvisionalScores(
      const CallContext& ctx, const RequestKey& key, const std::string& review_id,
      const std::vector<model::ScoreRecord>& scores,
      const Encoder<model::ProvisionalScoresRecord>& encode);
  // A second teacher of the assignment co-signs or amends a decision PENDING_SECOND_MARK: the
  // result supersedes it as the ACTIVE decision.
  absl::StatusOr<std::string> SecondMark(const CallContext& ctx, const RequestKey& key,
                                         const SecondMarkInput& input,
                                         const Encoder<model::DecisionRecord>& encode);

  // The tenant's release feed after `after_cursor` (releases.cc); a page with releases is
  // recorded as RELEASES_READ. NOT_FOUND for an unknown `assignment_id` filter.
  absl::StatusOr<ReleasePage> ListReleases(const CallContext& ctx, int64_t after_cursor,
                                           int page_size, const std::string& assignment_id);

  // Oversight reads (inspector, dpo, admin) are themselves recorded: a TRAIL_READ event with
  // the call and its filter. Nothing for teachers and LMS calls.
  absl::Status RecordTrailRead(const CallContext& ctx, absl::string_view call,
                               const std::map<std::string, std::string>& filter);

 private:
  // Runs `body` in one write transaction unless (ctx.tenant, key) was answered before. With
  // `reload`, a reply above kInlineReplyBytes is kept as its object's id and SHA-256.
  template <typename T>
  absl::StatusOr<std::string> Mutate(const CallContext& ctx, const RequestKey& key,
                                     const Encoder<T>& encode,
                                     const std::function<absl::StatusOr<T>(store::Session&)>& body,
                                     const Reloader<T>* reload = nullptr);
  // The bytes of a stored reply: itself, or rebuilt from its object with `reload` and checked
  // against its SHA-256 (INTERNAL when they differ or cannot be rebuilt).
  template <typename T>
  absl::StatusOr<std::string> ReplyBytes(store::Session& session, const CallContext& ctx,
                                         store::IdempotentReply reply, const Encoder<T>& encode,
                                         const Reloader<T>* reload);
  // The stored reply to `key`, if any; ALREADY_EXISTS when its fingerprint differs.
  absl::StatusOr<std::optional<store::IdempotentReply>> Replay(store::Session& session,
                                                               const CallContext& ctx,
                                                               const RequestKey& key);

  absl::Status CheckRole(const CallContext& ctx, absl::string_view method) const;
  // PERMISSION_DENIED unless the actor is a teacher named by the assignment and still a
  // teacher of its class.
  absl::Status CheckEntitledTeacher(store::Session& session, const CallContext& ctx,
                                    const model::AssignmentRecord& assignment) const;
  // For teachers: CheckEntitledTeacher. Other roles that passed CheckRole read any object of
  // their tenant.
  absl::Status CheckCanRead(store::Session& session, const CallContext& ctx,
                            const model::AssignmentRecord& assignment) const;

  // Appends a typed event (audit/decision_events.h, grading_events.h, suggestion_events.h)
  // with the caller, the tenant, the policy's hash and `now_us`.
  absl::Status Audit(store::Session& session, const CallContext& ctx,
                     audit::EventContent content, int64_t now_us) const;

  // RequestSuggestion in three steps: prepare (checks and one read), egress (outside any
  // transaction), record (one write).
  struct SuggestionPlan {
    plugins::Provider* provider = nullptr;
    std::string provider_name;
    model::Purpose purpose = model::Purpose::kCorrection;
    plugins::ProviderRequest request;
    model::CopyRecord copy;      // its text moved into the request
    model::RosterRecord roster;
    std::optional<std::string> replayed;  // set: the first answer to this request_id
    std::optional<AiCallRefusal> refusal;  // set: a safeguard refuses any AI call
  };
  absl::StatusOr<SuggestionPlan> PrepareSuggestion(const CallContext& ctx, const RequestKey& key,
                                                   const SuggestionInput& input,
                                                   const Encoder<model::SuggestionRecord>& encode);
  absl::StatusOr<EgressResult> SendSuggestion(const CallContext& ctx, const SuggestionPlan& plan);
  absl::StatusOr<std::string> RecordSuggestion(const CallContext& ctx, const RequestKey& key,
                                               const Encoder<model::SuggestionRecord>& encode,
                                               const SuggestionPlan& plan, EgressResult sent);

  // SignOff in three steps inside one transaction: check, decide, record.
  struct SignOffFacts {
    model::CopyRecord copy;
    model::AssignmentRecord assignment;
    model::ReviewRecord review;
    std::optional<model::SuggestionRecord> evaluation;
    std::optional<model::SuggestionRecord> extra;
    std::optional<model::DecisionRecord> active;  // the decision in force, if any
    std::optional<model::ProvisionalScoresRecord> provisional;  // blind-first marks, if any
  };
  absl::StatusOr<SignOffFacts> CheckSignOff(store::Session& session, const CallContext& ctx,
                                            const SignOffInput& input) const;
  static model::DecisionRecord Decide(const SignOffFacts& facts, const CallContext& ctx,
                                      const SignOffInput& input, const policy::Policy& policy,
                                      int64_t now);
  absl::Status CheckProviderTerms(const CallContext& ctx, const policy::Policy& policy,
                                  const SuggestionPlan& plan);
  // Appends `release` to the feed, its timestamp `now_us` rounded up to the second and at
  // least a second after the previous release of the same (assignment, pupil).
  absl::Status Release(store::Session& session, const CallContext& ctx,
                       model::ReleaseRecord release, int64_t now_us) const;
  // Records AI_CALL_REFUSED for `plan` and returns its FAILED_PRECONDITION.
  absl::Status RefuseAiCall(const CallContext& ctx, const SuggestionPlan& plan,
                            const std::string& reason, const std::string& message);
  absl::Status RecordSignOff(store::Session& session, const CallContext& ctx,
                             const SignOffInput& input, const SignOffFacts& facts,
                             const model::DecisionRecord& decision) const;

  absl::StatusOr<model::DecisionRecord> SignOffInSession(store::Session& session,
                                                         const CallContext& ctx,
                                                         const SignOffInput& input);

  store::Store& store_;
  const plugins::ProviderRegistry& providers_;
  policy::PolicyHolder& policy_;
  const std::string default_provider_;  // empty: the policy's default provider
  const pseudonym::Lexicon& lexicon_;
  const PageTokens page_tokens_;
};

}  // namespace gardefou::workflow
