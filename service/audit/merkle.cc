// Proof generation follows RFC 6962 §2.1.1–2.1.2 recursively over subtree hashes; the
// verifiers follow the iterative algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2.
#include "service/audit/merkle.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "service/common/status_macros.h"

namespace gardefou::audit {
namespace {

// The largest power of two strictly below n (n >= 2).
uint64_t SplitPoint(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// The hash of leaves [begin, end), where begin is a multiple of the largest power of two
// not above end - begin (true of every subtree the RFC's recursions visit).
absl::StatusOr<Hash> SubtreeHash(const NodeReader& nodes, uint64_t begin, uint64_t end) {
  const uint64_t n = end - begin;
  if ((n & (n - 1)) == 0) {
    int level = 0;
    while ((uint64_t{1} << level) < n) ++level;
    return nodes(level, begin >> level);
  }
  const uint64_t k = SplitPoint(n);
  ASSIGN_OR_RETURN(Hash left, SubtreeHash(nodes, begin, begin + k));
  ASSIGN_OR_RETURN(Hash right, SubtreeHash(nodes, begin + k, end));
  return NodeHash(left, right);
}

// PATH(m, D[begin:end]) with m relative to begin.
absl::Status AppendPath(const NodeReader& nodes, uint64_t m, uint64_t begin, uint64_t end,
                        std::vector<Hash>& out) {
  const uint64_t n = end - begin;
  if (n <= 1) return absl::OkStatus();
  const uint64_t k = SplitPoint(n);
  if (m < k) {
    RETURN_IF_ERROR(AppendPath(nodes, m, begin, begin + k, out));
    ASSIGN_OR_RETURN(Hash right, SubtreeHash(nodes, begin + k, end));
    out.push_back(right);
  } else {
    RETURN_IF_ERROR(AppendPath(nodes, m - k, begin + k, end, out));
    ASSIGN_OR_RETURN(Hash left, SubtreeHash(nodes, begin, begin + k));
    out.push_back(left);
  }
  return absl::OkStatus();
}

// SUBPROOF(m, D[begin:end], b).
absl::Status AppendSubproof(const NodeReader& nodes, uint64_t m, uint64_t begin, uint64_t end,
                            bool b, std::vector<Hash>& out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (!b) {
      ASSIGN_OR_RETURN(Hash whole, SubtreeHash(nodes, begin, end));
      out.push_back(whole);
    }
    return absl::OkStatus();
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    RETURN_IF_ERROR(AppendSubproof(nodes, m, begin, begin + k, b, out));
    ASSIGN_OR_RETURN(Hash right, SubtreeHash(nodes, begin + k, end));
    out.push_back(right);
  } else {
    RETURN_IF_ERROR(AppendSubproof(nodes, m - k, begin + k, end, false, out));
    ASSIGN_OR_RETURN(Hash left, SubtreeHash(nodes, begin, begin + k));
    out.push_back(left);
  }
  return absl::OkStatus();
}

absl::Status Refuse(absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat("proof rejected: ", why));
}

}  // namespace

Hash LeafHash(absl::string_view leaf) { return common::Sha256Prefixed(0, leaf); }

Hash NodeHash(const Hash& left, const Hash& right) {
  return common::Sha256Prefixed(1, common::DigestBytes(left), common::DigestBytes(right));
}

Hash EmptyTreeHash() { return common::Sha256(""); }

absl::StatusOr<Hash> RootAt(const NodeReader& nodes, uint64_t size) {
  if (size == 0) return EmptyTreeHash();
  return SubtreeHash(nodes, 0, size);
}

absl::StatusOr<std::vector<Hash>> InclusionProof(const NodeReader& nodes, uint64_t index,
                                                 uint64_t size) {
  if (index >= size) {
    return absl::OutOfRangeError(
        absl::StrCat("leaf ", index, " is not in a tree of ", size, " leaves"));
  }
  std::vector<Hash> out;
  RETURN_IF_ERROR(AppendPath(nodes, index, 0, size, out));
  return out;
}

absl::StatusOr<std::vector<Hash>> ConsistencyProof(const NodeReader& nodes, uint64_t old_size,
                                                   uint64_t new_size) {
  if (old_size > new_size) {
    return absl::OutOfRangeError(absl::StrCat("a tree of ", old_size,
                                              " leaves cannot be a prefix of one of ", new_size));
  }
  std::vector<Hash> out;
  if (old_size == 0 || old_size == new_size) return out;
  RETURN_IF_ERROR(AppendSubproof(nodes, old_size, 0, new_size, true, out));
  return out;
}

absl::Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                             const std::vector<Hash>& proof, const Hash& root) {
  if (index >= size) return Refuse("the leaf index is beyond the tree size");
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return Refuse("the path is longer than the tree is deep");
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Refuse("the path is shorter than the tree is deep");
  if (r != root) return Refuse("the path does not lead to the tree head");
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                               const Hash& new_root, const std::vector<Hash>& proof) {
  if (old_size > new_size) return Refuse("the old tree is larger than the new one");
  if (old_size == new_size) {
    if (!proof.empty()) return Refuse("trees of one size need an empty proof");
    if (old_root != new_root) return Refuse("two different heads for the same tree size");
    return absl::OkStatus();
  }
  if (old_size == 0) {
    if (!proof.empty()) return Refuse("an empty tree needs an empty proof");
    return absl::OkStatus();
  }
  if (proof.empty()) return Refuse("the proof is empty");
  std::vector<Hash> path;
  if ((old_size & (old_size - 1)) == 0) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = old_size - 1, sn = new_size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return Refuse("the proof is longer than the trees need");
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Refuse("the proof is shorter than the trees need");
  if (fr != old_root) return Refuse("the proof does not lead to the old tree head");
  if (sr != new_root) return Refuse("the proof does not lead to the new tree head");
  return absl::OkStatus();
}

void MemoryTree::Append(const Hash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  uint64_t index = levels_[0].size() - 1;
  for (size_t level = 0; index & 1; ++level, index >>= 1) {
    if (levels_.size() == level + 1) levels_.emplace_back();
    levels_[level + 1].push_back(NodeHash(levels_[level][index - 1], levels_[level][index]));
  }
}

NodeReader MemoryTree::reader() const {
  return [this](int level, uint64_t index) -> absl::StatusOr<Hash> {
    if (level < 0 || static_cast<size_t>(level) >= levels_.size() ||
        index >= levels_[level].size()) {
      return absl::NotFoundError(absl::StrCat("no subtree at level ", level, " index ", index));
    }
    return levels_[level][index];
  };
}

}  // namespace gardefou::audit
