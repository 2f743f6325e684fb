// The Merkle tree against RFC 6962's published test vectors (the eight leaves used by
// Certificate Transparency and transparency-dev), and proofs that must be rejected once
// mutated in any of the ways transparency-dev's verifier tests mutate them.
#include "service/audit/merkle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"

namespace gardefou::audit {
namespace {

Hash FromHex(const std::string& hex) {
  const std::string bytes = absl::HexStringToBytes(hex);
  Hash h{};
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

std::vector<Hash> FromHex(const std::vector<std::string>& hexes) {
  std::vector<Hash> out;
  for (const auto& h : hexes) out.push_back(FromHex(h));
  return out;
}

// RFC 6962 test leaves.
const std::vector<std::string> kLeaves = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"};

const std::vector<std::string> kRoots = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

MemoryTree TreeOf(size_t n) {
  MemoryTree tree;
  for (size_t i = 0; i < n; ++i) tree.Append(LeafHash(absl::HexStringToBytes(kLeaves[i])));
  return tree;
}

// A tree of `n` distinct leaves, for exhaustive checks beyond the vectors.
MemoryTree Numbered(size_t n) {
  MemoryTree tree;
  for (size_t i = 0; i < n; ++i) tree.Append(LeafHash("leaf " + std::to_string(i)));
  return tree;
}

TEST(MerkleVectors, EmptyTreeHashIsSha256OfNothing) {
  EXPECT_EQ(EmptyTreeHash(),
            FromHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  MemoryTree empty;
  EXPECT_EQ(*RootAt(empty.reader(), 0), EmptyTreeHash());
}

TEST(MerkleVectors, TreeHeadsOfOneToEightLeaves) {
  const MemoryTree tree = TreeOf(8);
  for (size_t n = 1; n <= 8; ++n) {
    EXPECT_EQ(*RootAt(tree.reader(), n), FromHex(kRoots[n - 1])) << n << " leaves";
  }
}

struct InclusionVector {
  uint64_t index, size;
  std::vector<std::string> path;
};

TEST(MerkleVectors, InclusionProofs) {
  const std::vector<InclusionVector> vectors = {
      {0, 1, {}},
      {0, 8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5, 8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1, 5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  const MemoryTree tree = TreeOf(8);
  for (const auto& v : vectors) {
    const auto proof = InclusionProof(tree.reader(), v.index, v.size);
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_EQ(*proof, FromHex(v.path)) << "leaf " << v.index << " of " << v.size;
    const Hash leaf = LeafHash(absl::HexStringToBytes(kLeaves[v.index]));
    EXPECT_TRUE(VerifyInclusion(leaf, v.index, v.size, FromHex(v.path), FromHex(kRoots[v.size - 1]))
                    .ok());
  }
}

struct ConsistencyVector {
  uint64_t old_size, new_size;
  std::vector<std::string> proof;
};

TEST(MerkleVectors, ConsistencyProofs) {
  const std::vector<ConsistencyVector> vectors = {
      {1, 1, {}},
      {1, 8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6, 8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  const MemoryTree tree = TreeOf(8);
  for (const auto& v : vectors) {
    const auto proof = ConsistencyProof(tree.reader(), v.old_size, v.new_size);
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_EQ(*proof, FromHex(v.proof)) << v.old_size << " -> " << v.new_size;
    EXPECT_TRUE(VerifyConsistency(v.old_size, v.new_size, FromHex(kRoots[v.old_size - 1]),
                                  FromHex(kRoots[v.new_size - 1]), FromHex(v.proof))
                    .ok());
  }
}

// Every way of damaging a proof, each checked to be a real change.
std::vector<std::vector<Hash>> Mutations(const std::vector<Hash>& proof) {
  std::vector<std::vector<Hash>> out;
  for (size_t i = 0; i < proof.size(); ++i) {
    for (int bit : {0, 7, 255}) {
      auto flipped = proof;
      flipped[i][bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
      out.push_back(flipped);
    }
    auto removed = proof;
    removed.erase(removed.begin() + i);
    out.push_back(removed);
  }
  for (size_t i = 0; i + 1 < proof.size(); ++i) {
    if (proof[i] == proof[i + 1]) continue;
    auto swapped = proof;
    std::swap(swapped[i], swapped[i + 1]);
    out.push_back(swapped);
  }
  auto added = proof;
  added.push_back(LeafHash("extra"));
  out.push_back(added);
  auto prefixed = proof;
  prefixed.insert(prefixed.begin(), LeafHash("extra"));
  out.push_back(prefixed);
  if (!proof.empty()) out.push_back(std::vector<Hash>(proof.begin(), proof.end() - 1));
  return out;
}

TEST(MerkleMutations, EveryDamagedInclusionProofIsRejected) {
  constexpr uint64_t kMax = 20;
  const MemoryTree tree = Numbered(kMax);
  int rejected = 0;
  for (uint64_t size = 1; size <= kMax; ++size) {
    const Hash root = *RootAt(tree.reader(), size);
    for (uint64_t index = 0; index < size; ++index) {
      const Hash leaf = *tree.reader()(0, index);
      const auto proof = *InclusionProof(tree.reader(), index, size);
      ASSERT_TRUE(VerifyInclusion(leaf, index, size, proof, root).ok()) << index << "/" << size;
      for (const auto& bad : Mutations(proof)) {
        EXPECT_FALSE(VerifyInclusion(leaf, index, size, bad, root).ok()) << index << "/" << size;
        ++rejected;
      }
      // Wrong index, wrong tree height, wrong leaf, wrong root. (A size off by one may keep
      // the tree's shape: it is the signed checkpoint that binds a size to a head.)
      if (index > 0) {
        EXPECT_FALSE(VerifyInclusion(leaf, index - 1, size, proof, root).ok());
      }
      EXPECT_FALSE(VerifyInclusion(leaf, index + 1, size, proof, root).ok());
      EXPECT_FALSE(VerifyInclusion(leaf, index ^ 2, size, proof, root).ok());
      EXPECT_FALSE(VerifyInclusion(leaf, index, size * 2, proof, root).ok());
      if (size > 1) {
        EXPECT_FALSE(VerifyInclusion(leaf, index, size / 2, proof, root).ok());
      }
      EXPECT_FALSE(VerifyInclusion(LeafHash("other"), index, size, proof, root).ok());
      EXPECT_FALSE(VerifyInclusion(leaf, index, size, proof, LeafHash("root")).ok());
    }
  }
  EXPECT_GT(rejected, 1000);
}

TEST(MerkleMutations, EveryDamagedConsistencyProofIsRejected) {
  constexpr uint64_t kMax = 20;
  const MemoryTree tree = Numbered(kMax);
  for (uint64_t new_size = 1; new_size <= kMax; ++new_size) {
    const Hash new_root = *RootAt(tree.reader(), new_size);
    for (uint64_t old_size = 1; old_size < new_size; ++old_size) {
      const Hash old_root = *RootAt(tree.reader(), old_size);
      const auto proof = *ConsistencyProof(tree.reader(), old_size, new_size);
      ASSERT_TRUE(VerifyConsistency(old_size, new_size, old_root, new_root, proof).ok())
          << old_size << " -> " << new_size;
      for (const auto& bad : Mutations(proof)) {
        EXPECT_FALSE(VerifyConsistency(old_size, new_size, old_root, new_root, bad).ok())
            << old_size << " -> " << new_size;
      }
      EXPECT_FALSE(VerifyConsistency(old_size, new_size, new_root, old_root, proof).ok())
          << "swapped roots";
      EXPECT_FALSE(VerifyConsistency(old_size - 1, new_size, old_root, new_root, proof).ok());
      EXPECT_FALSE(VerifyConsistency(old_size + 1, new_size, old_root, new_root, proof).ok());
      EXPECT_FALSE(VerifyConsistency(old_size ^ 2, new_size, old_root, new_root, proof).ok());
      EXPECT_FALSE(VerifyConsistency(old_size, new_size * 2, old_root, new_root, proof).ok());
      EXPECT_FALSE(VerifyConsistency(old_size, new_size / 2, old_root, new_root, proof).ok());
      EXPECT_FALSE(VerifyConsistency(old_size, new_size, LeafHash("x"), new_root, proof).ok());
      EXPECT_FALSE(VerifyConsistency(old_size, new_size, old_root, LeafHash("x"), proof).ok());
    }
    // Equal sizes: only the same head with an empty proof.
    EXPECT_TRUE(VerifyConsistency(new_size, new_size, new_root, new_root, {}).ok());
    EXPECT_FALSE(VerifyConsistency(new_size, new_size, new_root, LeafHash("x"), {}).ok());
    EXPECT_FALSE(VerifyConsistency(new_size, new_size, new_root, new_root, {new_root}).ok());
  }
}

TEST(MerkleProofs, AskingBeyondTheTreeIsAnError) {
  const MemoryTree tree = Numbered(5);
  EXPECT_EQ(InclusionProof(tree.reader(), 5, 5).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(ConsistencyProof(tree.reader(), 6, 5).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(RootAt(tree.reader(), 6).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace gardefou::audit
