// The chain rules of ChainVerifier: sequence continuity, back-link, and self-hash.
#include "service/audit/chain_verifier.h"

#include "absl/strings/str_cat.h"
#include "service/audit/canonical.h"
#include "service/audit/export_format.h"
#include "service/common/hashing.h"

namespace gardefou::audit {

void ChainVerifier::Fail(int64_t seq, std::string problem) {
  if (!result_.ok) return;
  result_.ok = false;
  result_.first_bad_seq = seq;
  result_.problem = std::move(problem);
}

void ChainVerifier::Feed(const model::AuditEventRecord& event) {
  if (!result_.ok) return;
  absl::StatusOr<std::string> canonical = CanonicalBytes(event);
  if (!canonical.ok()) {
    ++result_.events_checked;
    Fail(event.seq, absl::StrCat("event ", event.seq, " cannot be encoded: ",
                                 canonical.status().message()));
    return;
  }
  FeedCanonical(*canonical, event.hash);
}

void ChainVerifier::FeedCanonical(absl::string_view canonical, absl::string_view stored_hash,
                                  absl::string_view computed_hash) {
  if (!result_.ok) return;
  const int64_t expected_seq = last_seq_ + 1;
  const absl::string_view expected_prev =
      last_seq_ == 0 ? absl::string_view(kGenesisHash) : absl::string_view(result_.head_hash);
  ++result_.events_checked;
  absl::StatusOr<ChainFields> fields = ReadChainFields(canonical);
  if (!fields.ok()) {
    Fail(expected_seq, absl::StrCat("event ", expected_seq, " is malformed: ",
                                    fields.status().message()));
    return;
  }
  if (fields->seq != expected_seq) {
    Fail(expected_seq, absl::StrCat("event ", expected_seq, " is missing (next stored is ",
                                    fields->seq, "): rows were deleted or reordered"));
    return;
  }
  if (fields->prev_hash != expected_prev) {
    Fail(expected_seq, absl::StrCat("event ", expected_seq,
                                    " does not link to the event before it: a row was deleted, "
                                    "replaced or swapped"));
    return;
  }
  std::string own_hash;
  if (computed_hash.empty()) {
    own_hash = common::Sha256Hex(canonical);
    computed_hash = own_hash;
  }
  if (computed_hash != stored_hash) {
    Fail(expected_seq, absl::StrCat("event ", expected_seq,
                                    " was changed after it was written (its hash does not match)"));
    return;
  }
  last_seq_ = expected_seq;
  result_.head_hash.assign(computed_hash.data(), computed_hash.size());
}

}  // namespace gardefou::audit
