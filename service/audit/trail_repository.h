// What the trail needs from a store, and nothing more: the chain's head, appending an event,
// reading events back, and the Merkle tree's stored nodes. Every engine implements it; the
// integrity logic above it (trail_writer.h) is written once, so every engine's trail is
// byte-identical.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/audit/merkle.h"
#include "service/model/records.h"

namespace gardefou::audit {

// The last event of the chain; seq 0 and an empty hash when there is none.
struct ChainHead {
  int64_t seq = 0;
  std::string hash;
};

class TrailRepository {
 public:
  virtual ~TrailRepository() = default;

  virtual absl::StatusOr<ChainHead> Head() = 0;
  // Stores an event whose seq, prev_hash and hash are already set.
  virtual absl::Status InsertEvent(const model::AuditEventRecord& event) = 0;
  // Calls `visit` on every event after `after_seq`, in sequence order.
  virtual absl::Status ForEachAuditEvent(
      const std::function<void(const model::AuditEventRecord&)>& visit, int64_t after_seq) = 0;

  // The number of leaves of the Merkle tree.
  virtual absl::StatusOr<uint64_t> TreeSize() = 0;
  // Perfect subtrees as stored.
  virtual NodeReader TreeNodes() = 0;
  virtual absl::Status InsertNode(int level, uint64_t index, const Hash& hash) = 0;
};

}  // namespace gardefou::audit
