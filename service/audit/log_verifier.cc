// The order of checks decides which problem is reported first: the chain (names the exact
// event), then stored leaves, then checkpoints smallest first, then the trusted checkpoint.
#include "service/audit/log_verifier.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "service/common/hashing.h"

namespace gardefou::audit {

void LogVerifier::FeedEvent(absl::string_view canonical, absl::string_view stored_hash) {
  FeedHashedEvent(canonical, stored_hash, common::Sha256Hex(canonical), LeafHash(canonical));
}

void LogVerifier::FeedHashedEvent(absl::string_view canonical, absl::string_view stored_hash,
                                  absl::string_view computed_hash, const Hash& leaf) {
  chain_.FeedCanonical(canonical, stored_hash, computed_hash);
  if (!chain_.result().ok) return;
  last_leaf_ = leaf;
  tree_.Append(last_leaf_);
}

void LogVerifier::CheckStoredLeaf(const Hash& stored_leaf) {
  if (!chain_.result().ok || stored_leaf == last_leaf_) return;
  const int64_t seq = static_cast<int64_t>(tree_.size());
  chain_.Fail(seq, absl::StrCat("event ", seq,
                                " differs from the Merkle leaf recorded when it was appended: it "
                                "was changed and the chain rewritten to hide it"));
}

bool LogVerifier::CheckHead(const Checkpoint& checkpoint, const std::string& what,
                            uint64_t verified_up_to) {
  const uint64_t size = tree_.size();
  if (checkpoint.size > size) {
    chain_.Fail(static_cast<int64_t>(size) + 1,
                absl::StrCat("events ", size + 1, " to ", checkpoint.size, " are missing: ", what,
                             " covers ", checkpoint.size, " events (the log was truncated)"));
    return false;
  }
  absl::StatusOr<Hash> root = RootAt(tree_.reader(), checkpoint.size);
  if (!root.ok() || *root != checkpoint.root) {
    chain_.Fail(static_cast<int64_t>(verified_up_to) + 1,
                absl::StrCat("events ", verified_up_to + 1, " to ", checkpoint.size,
                             " do not match ", what, ": one of them was changed or replaced "
                             "and the chain rewritten"));
    return false;
  }
  return true;
}

LogVerdict LogVerifier::Finish(std::vector<std::string> notes,
                               const std::optional<std::string>& trusted) {
  LogVerdict verdict;
  if (chain_.result().ok && (!notes.empty() || trusted) && !key_) {
    chain_.Fail(0, "checkpoints to check but no public key of the log");
  }
  std::vector<Checkpoint> checkpoints;
  for (size_t i = 0; i < notes.size() && chain_.result().ok; ++i) {
    absl::StatusOr<Checkpoint> opened = OpenCheckpoint(notes[i], *key_);
    if (!opened.ok()) {
      chain_.Fail(0, absl::StrCat("a checkpoint of the log is not genuine: ",
                                  opened.status().message()));
    } else {
      checkpoints.push_back(*opened);
    }
  }
  std::sort(checkpoints.begin(), checkpoints.end(),
            [](const Checkpoint& a, const Checkpoint& b) { return a.size < b.size; });
  std::optional<Checkpoint> previous;
  for (const Checkpoint& checkpoint : checkpoints) {
    if (!chain_.result().ok) break;
    const uint64_t verified = previous ? previous->size : 0;
    if (!CheckHead(checkpoint, absl::StrCat("the checkpoint of size ", checkpoint.size),
                   verified)) {
      break;
    }
    if (previous) {
      absl::StatusOr<std::vector<Hash>> proof =
          ConsistencyProof(tree_.reader(), previous->size, checkpoint.size);
      absl::Status consistent =
          proof.ok() ? VerifyConsistency(previous->size, checkpoint.size, previous->root,
                                         checkpoint.root, *proof)
                     : proof.status();
      if (!consistent.ok()) {
        chain_.Fail(static_cast<int64_t>(previous->size) + 1,
                    absl::StrCat("the checkpoints of sizes ", previous->size, " and ",
                                 checkpoint.size, " are not consistent: ", consistent.message()));
        break;
      }
    }
    previous = checkpoint;
    ++verdict.checkpoints_checked;
  }
  if (trusted && chain_.result().ok) {
    absl::StatusOr<Checkpoint> opened = OpenCheckpoint(*trusted, *key_);
    if (!opened.ok()) {
      chain_.Fail(0, absl::StrCat("the trusted checkpoint was not signed by this log's key (the "
                                  "log may be a forgery): ",
                                  opened.status().message()));
    } else if (CheckHead(*opened, absl::StrCat("the trusted checkpoint (size ", opened->size, ")"),
                         0)) {
      verdict.trusted_checked = true;
      if (!previous || opened->size > previous->size) previous = *opened;
    }
  }
  verdict.latest = previous;
  verdict.chain = chain_.result();
  absl::StatusOr<Hash> root = RootAt(tree_.reader(), tree_.size());
  if (root.ok()) verdict.root = *root;
  return verdict;
}

}  // namespace gardefou::audit
