// RFC 6962 / RFC 9162 Merkle tree over the audit events: hashing, tree heads, inclusion and
// consistency proofs (generation and verification). Where the tree lives is the caller's
// business: proofs are built from a NodeReader that returns perfect subtrees.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/common/hashing.h"

namespace gardefou::audit {

using Hash = common::Digest;

// SHA-256(0x00 || leaf), SHA-256(0x01 || left || right), SHA-256("").
Hash LeafHash(absl::string_view leaf);
Hash NodeHash(const Hash& left, const Hash& right);
Hash EmptyTreeHash();

// The hash of the perfect subtree of height `level` numbered `index`: leaves
// [index * 2^level, (index + 1) * 2^level). Level 0 is the leaf hashes.
using NodeReader = std::function<absl::StatusOr<Hash>(int level, uint64_t index)>;

// The tree head of the first `size` leaves (EmptyTreeHash() for 0).
absl::StatusOr<Hash> RootAt(const NodeReader& nodes, uint64_t size);
// The audit path of leaf `index` in the tree of `size` leaves (RFC 6962 PATH).
absl::StatusOr<std::vector<Hash>> InclusionProof(const NodeReader& nodes, uint64_t index,
                                                 uint64_t size);
// The proof that the tree of `old_size` leaves is a prefix of that of `new_size` leaves
// (RFC 6962 PROOF). Empty when the sizes are equal or old_size is 0.
absl::StatusOr<std::vector<Hash>> ConsistencyProof(const NodeReader& nodes, uint64_t old_size,
                                                   uint64_t new_size);

// RFC 9162 §2.1.3.2 and §2.1.4.2. OK, or FAILED_PRECONDITION saying what does not hold.
absl::Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                             const std::vector<Hash>& proof, const Hash& root);
absl::Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                               const Hash& new_root, const std::vector<Hash>& proof);

// A whole tree in memory, for offline verification and tests: every perfect subtree is kept
// (about twice the leaves' size).
class MemoryTree {
 public:
  void Append(const Hash& leaf_hash);
  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  NodeReader reader() const;

 private:
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace gardefou::audit
