// The Merkle log's read side for inspectors: checkpoints, inclusion and consistency proofs.
// Roles as for the other AuditTrail calls (inspector, dpo, admin).
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "policy/policy_holder.h"
#include "service/audit/merkle.h"
#include "service/store/store.h"
#include "service/workflow/call_context.h"
#include "service/workflow/checkpointer.h"

namespace gardefou::workflow {

struct InclusionProofResult {
  int64_t seq = 0;
  uint64_t tree_size = 0;
  audit::Hash leaf_hash{};
  std::vector<audit::Hash> hashes;
};

class AuditLog {
 public:
  // All must outlive the AuditLog.
  AuditLog(store::Store& store, const policy::PolicyHolder& policy, Checkpointer& checkpointer)
      : store_(store), policy_(policy), checkpointer_(checkpointer) {}

  absl::StatusOr<model::CheckpointRecord> GetCheckpoint(const CallContext& ctx, bool sign_now);
  // `tree_size` 0: the latest checkpoint's.
  absl::StatusOr<InclusionProofResult> GetInclusionProof(const CallContext& ctx, int64_t seq,
                                                         int64_t tree_size);
  // `second_size` 0: the latest checkpoint's. Returns the sizes used and the proof.
  absl::StatusOr<std::vector<audit::Hash>> GetConsistencyProof(const CallContext& ctx,
                                                               int64_t first_size,
                                                               int64_t& second_size);

  const audit::VerifierKey& verifier_key() const { return checkpointer_.verifier_key(); }

 private:
  // The latest checkpoint's size; NOT_FOUND when none was signed.
  absl::StatusOr<int64_t> LatestSize(store::Session& session);
  static absl::Status CheckLogWide(const CallContext& ctx);
  // The policy's role check, with its reason (ROLE_NOT_ALLOWED).
  absl::Status CheckRole(const CallContext& ctx, absl::string_view method) const;

  store::Store& store_;
  const policy::PolicyHolder& policy_;
  Checkpointer& checkpointer_;
};

}  // namespace gardefou::workflow
