// Chain and tree appends over a TrailRepository.
#include "service/audit/trail_writer.h"

#include <vector>

#include "service/audit/canonical.h"
#include "service/common/hashing.h"
#include "service/common/status_macros.h"

namespace gardefou::audit {
namespace {

// Stores leaf `index` and every perfect subtree it completes.
absl::Status AppendLeaf(TrailRepository& trail, uint64_t index, const Hash& leaf) {
  const NodeReader nodes = trail.TreeNodes();
  Hash hash = leaf;
  int level = 0;
  uint64_t i = index;
  while (true) {
    RETURN_IF_ERROR(trail.InsertNode(level, i, hash));
    if ((i & 1) == 0) return absl::OkStatus();
    // A right child completes its parent: the perfect subtree one level up.
    ASSIGN_OR_RETURN(const Hash left, nodes(level, i - 1));
    hash = NodeHash(left, hash);
    ++level;
    i >>= 1;
  }
}

}  // namespace

absl::StatusOr<model::AuditEventRecord> AppendEvent(TrailRepository& trail,
                                                    model::AuditEventRecord event) {
  ASSIGN_OR_RETURN(const ChainHead head, trail.Head());
  event.seq = head.seq + 1;
  event.prev_hash = head.seq == 0 ? std::string(kGenesisHash) : head.hash;
  ASSIGN_OR_RETURN(const std::string canonical, CanonicalBytes(event));
  event.hash = common::Sha256Hex(canonical);
  RETURN_IF_ERROR(AppendLeaf(trail, static_cast<uint64_t>(event.seq - 1), LeafHash(canonical)));
  RETURN_IF_ERROR(trail.InsertEvent(event));
  return event;
}

absl::Status CatchUpTree(TrailRepository& trail) {
  ASSIGN_OR_RETURN(uint64_t size, trail.TreeSize());
  std::vector<model::AuditEventRecord> missing;
  RETURN_IF_ERROR(trail.ForEachAuditEvent(
      [&](const model::AuditEventRecord& event) { missing.push_back(event); },
      static_cast<int64_t>(size)));
  for (const model::AuditEventRecord& event : missing) {
    if (event.seq != static_cast<int64_t>(size) + 1) break;
    ASSIGN_OR_RETURN(const std::string canonical, CanonicalBytes(event));
    RETURN_IF_ERROR(AppendLeaf(trail, size, LeafHash(canonical)));
    ++size;
  }
  return absl::OkStatus();
}

}  // namespace gardefou::audit
