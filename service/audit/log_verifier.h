// Verification of a whole audit log without trusting whoever holds it: the hash chain, the
// Merkle tree rebuilt from the events (and compared with the leaves recorded at append time
// when the database is at hand), every signed checkpoint (signature, tree head, consistency
// with the one before) and, on top, a checkpoint the inspector kept from earlier.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "service/audit/chain_verifier.h"
#include "service/audit/checkpoint.h"
#include "service/audit/merkle.h"
#include "service/audit/signing_key.h"

namespace gardefou::audit {

struct LogVerdict {
  VerifyResult chain;  // ok, events checked, the first bad event and what is wrong with it
  int checkpoints_checked = 0;
  std::optional<Checkpoint> latest;  // the largest checkpoint verified (trusted one included)
  bool trusted_checked = false;
  Hash root{};  // head of the tree of all events checked
};

class LogVerifier {
 public:
  // `key` may be absent when there is no checkpoint to check.
  explicit LogVerifier(std::optional<VerifierKey> key) : key_(std::move(key)) {}

  // Events in sequence order: canonical bytes and the hash stored beside them.
  void FeedEvent(absl::string_view canonical, absl::string_view stored_hash);
  // The same with both hashes of the canonical bytes computed by the caller (in parallel):
  // hex(SHA-256(canonical)) and LeafHash(canonical).
  void FeedHashedEvent(absl::string_view canonical, absl::string_view stored_hash,
                       absl::string_view computed_hash, const Hash& leaf);
  // The leaf recorded in the database for the event just fed.
  void CheckStoredLeaf(const Hash& stored_leaf);

  // After the last event: the log's checkpoints (signed notes, any order), then the trusted
  // one when given.
  LogVerdict Finish(std::vector<std::string> notes, const std::optional<std::string>& trusted);

 private:
  // Checks that `checkpoint` is the head of the rebuilt tree at its size; `what` names it
  // in the problem, `verified_up_to` is the largest size already verified.
  bool CheckHead(const Checkpoint& checkpoint, const std::string& what, uint64_t verified_up_to);

  std::optional<VerifierKey> key_;
  ChainVerifier chain_;
  MemoryTree tree_;
  Hash last_leaf_{};
};

}  // namespace gardefou::audit
