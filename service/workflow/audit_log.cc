// Proofs are computed on one read snapshot, from the stored perfect subtrees.
#include "service/workflow/audit_log.h"

#include "absl/strings/str_cat.h"
#include "service/common/error_reason.h"
#include "service/common/status_macros.h"

namespace gardefou::workflow {

// Checkpoints and proofs carry the whole log's size: not for a caller scoped to tenants.
absl::Status AuditLog::CheckLogWide(const CallContext& ctx) {
  if (ctx.log_wide) return absl::OkStatus();
  return common::WithReason(
      absl::PermissionDeniedError(
          "checkpoints and proofs describe the whole log: they need a token granting all "
          "tenants (gardefou_tenants \"*\") for a role other than teacher"),
      "LOG_WIDE_ONLY");
}

absl::Status AuditLog::CheckRole(const CallContext& ctx, absl::string_view method) const {
  return common::WithReason(policy_.Current()->CheckRole(ctx.role, method), "ROLE_NOT_ALLOWED");
}

absl::StatusOr<int64_t> AuditLog::LatestSize(store::Session& session) {
  ASSIGN_OR_RETURN(std::optional<model::CheckpointRecord> latest, session.LatestCheckpoint());
  if (!latest) return absl::NotFoundError("no checkpoint has been signed yet");
  return latest->tree_size;
}

absl::StatusOr<model::CheckpointRecord> AuditLog::GetCheckpoint(const CallContext& ctx,
                                                               bool sign_now) {
  RETURN_IF_ERROR(CheckRole(ctx, "GetCheckpoint"));
  RETURN_IF_ERROR(CheckLogWide(ctx));
  if (sign_now) return checkpointer_.SignNow();
  model::CheckpointRecord out;
  RETURN_IF_ERROR(store_.Read([&](store::Session& session) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<model::CheckpointRecord> latest, session.LatestCheckpoint());
    if (!latest) {
      return absl::NotFoundError(
          "no checkpoint has been signed yet: ask with sign_now, or wait for the next one");
    }
    out = *latest;
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<InclusionProofResult> AuditLog::GetInclusionProof(const CallContext& ctx,
                                                                 int64_t seq, int64_t tree_size) {
  RETURN_IF_ERROR(CheckRole(ctx, "GetInclusionProof"));
  RETURN_IF_ERROR(CheckLogWide(ctx));
  if (seq < 1) return absl::InvalidArgumentError("seq must be 1 or more");
  if (tree_size < 0) return absl::InvalidArgumentError("tree_size must not be negative");
  InclusionProofResult out;
  RETURN_IF_ERROR(store_.Read([&](store::Session& session) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<model::AuditEventRecord> event, session.FindAuditEvent(seq));
    if (!event || event->tenant != ctx.tenant) {
      return absl::NotFoundError(absl::StrCat("no event ", seq, " in this tenant"));
    }
    ASSIGN_OR_RETURN(uint64_t size, session.TreeSize());
    if (tree_size == 0) {
      ASSIGN_OR_RETURN(tree_size, LatestSize(session));
    }
    if (static_cast<uint64_t>(tree_size) > size) {
      return absl::OutOfRangeError(
          absl::StrCat("the log holds ", size, " events, fewer than tree_size ", tree_size));
    }
    if (seq > tree_size) {
      return absl::OutOfRangeError(absl::StrCat("event ", seq, " is not in the tree of size ",
                                                tree_size, ": ask for a larger tree"));
    }
    const audit::NodeReader nodes = session.TreeNodes();
    ASSIGN_OR_RETURN(out.leaf_hash, nodes(0, static_cast<uint64_t>(seq - 1)));
    ASSIGN_OR_RETURN(out.hashes, audit::InclusionProof(nodes, static_cast<uint64_t>(seq - 1),
                                                       static_cast<uint64_t>(tree_size)));
    out.seq = seq;
    out.tree_size = static_cast<uint64_t>(tree_size);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<audit::Hash>> AuditLog::GetConsistencyProof(const CallContext& ctx,
                                                                      int64_t first_size,
                                                                      int64_t& second_size) {
  RETURN_IF_ERROR(CheckRole(ctx, "GetConsistencyProof"));
  RETURN_IF_ERROR(CheckLogWide(ctx));
  std::vector<audit::Hash> out;
  RETURN_IF_ERROR(store_.Read([&](store::Session& session) -> absl::Status {
    ASSIGN_OR_RETURN(uint64_t size, session.TreeSize());
    if (second_size == 0) {
      ASSIGN_OR_RETURN(second_size, LatestSize(session));
    }
    if (first_size < 1 || first_size > second_size ||
        static_cast<uint64_t>(second_size) > size) {
      return absl::OutOfRangeError(absl::StrCat("need 0 < first_size <= second_size <= ", size,
                                                " (got ", first_size, " and ", second_size, ")"));
    }
    ASSIGN_OR_RETURN(out, audit::ConsistencyProof(session.TreeNodes(),
                                                  static_cast<uint64_t>(first_size),
                                                  static_cast<uint64_t>(second_size)));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace gardefou::workflow
