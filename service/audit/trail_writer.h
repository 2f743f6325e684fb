// The audit trail's integrity, written once above every store engine: each appended event
// gets the next sequence number, the previous event's hash and its own canonical hash, and its
// leaf extends the Merkle tree, all through the caller's transaction.
#pragma once

#include "absl/status/statusor.h"
#include "service/audit/trail_repository.h"

namespace gardefou::audit {

// Appends `event` (its seq, prev_hash and hash are set here) and its Merkle leaf; returns the
// event as stored.
absl::StatusOr<model::AuditEventRecord> AppendEvent(TrailRepository& trail,
                                                    model::AuditEventRecord event);

// Adds the leaves of events the tree does not hold yet (for databases written before the tree
// existed). Stops at a gap in the events: reporting it is the verifier's job.
absl::Status CatchUpTree(TrailRepository& trail);

}  // namespace gardefou::audit
