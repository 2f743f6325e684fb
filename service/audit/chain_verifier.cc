// The chain rules of ChainVerifier: sequence continuity, back-link, and self-hash.
#include "service/audit/chain_verifier.h"

#include "absl/strings/str_cat.h"
#include "service/audit/canonical.h"

namespace gardefou::audit {

void ChainVerifier::Fail(int64_t seq, std::string problem) {
  result_.ok = false;
  result_.first_bad_seq = seq;
  result_.problem = std::move(problem);
}

void ChainVerifier::Feed(const store::AuditEventRecord& event) {
  if (!result_.ok) return;
  const int64_t expected_seq = last_seq_ + 1;
  const std::string expected_prev = last_seq_ == 0 ? kGenesisHash : result_.head_hash;
  ++result_.events_checked;
  if (event.seq != expected_seq) {
    Fail(expected_seq, absl::StrCat("event ", expected_seq, " is missing (next stored is ",
                                    event.seq, "): rows were deleted or reordered"));
    return;
  }
  if (event.prev_hash != expected_prev) {
    Fail(event.seq, absl::StrCat("event ", event.seq,
                                 " does not link to the event before it: a row was deleted, "
                                 "replaced or swapped"));
    return;
  }
  absl::StatusOr<std::string> hash = EventHash(event);
  if (!hash.ok()) {
    Fail(event.seq, absl::StrCat("event ", event.seq, " cannot be encoded: ",
                                 hash.status().message()));
    return;
  }
  if (*hash != event.hash) {
    Fail(event.seq, absl::StrCat("event ", event.seq,
                                 " was changed after it was written (its hash does not match)"));
    return;
  }
  last_seq_ = event.seq;
  result_.head_hash = event.hash;
}

}  // namespace gardefou::audit
