// Streaming verification of the audit hash chain: feed events in stored order, read the verdict.
#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "service/model/records.h"

namespace gardefou::audit {

struct VerifyResult {
  bool ok = true;
  int64_t events_checked = 0;
  int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;        // human-readable, empty when ok
  std::string head_hash;      // hash of the last good event
};

// Checks, for each event in turn: its seq follows the previous one without a gap, its
// prev_hash is the previous event's hash, and its stored hash matches its recomputed hash.
// After the first problem, later events are ignored: the first bad event is the verdict.
class ChainVerifier {
 public:
  void Feed(const model::AuditEventRecord& event);
  // The same from an event's canonical bytes (seq and prev_hash are read from them) and the
  // hash stored beside them.
  // `computed_hash`, when not empty, is hex(SHA-256(canonical)) already computed elsewhere.
  void FeedCanonical(absl::string_view canonical, absl::string_view stored_hash,
                     absl::string_view computed_hash = {});
  const VerifyResult& result() const { return result_; }
  // Records a problem found by another check (the Merkle tree, a checkpoint).
  void Fail(int64_t seq, std::string problem);

 private:
  VerifyResult result_;
  int64_t last_seq_ = 0;
};

}  // namespace gardefou::audit
