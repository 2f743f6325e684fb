// Page tokens: a position in a listing, authenticated with HMAC-SHA-256 under a server secret
// and bound to the listing they came from (tenant, caller, method and filters), so a forged
// token or one moved to another caller or query is refused.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gardefou::workflow {

class PageTokens {
 public:
  // `key`: at least 32 secret bytes; empty: random, so tokens last as long as the process.
  explicit PageTokens(std::string key = "");

  // `binding` names the listing: every field a transplanted token must not escape.
  std::string Encode(int64_t position, absl::string_view binding) const;

  // 0 for an empty token; INVALID_ARGUMENT for a token this server did not make for this
  // binding.
  absl::StatusOr<int64_t> Decode(absl::string_view token, absl::string_view binding) const;

 private:
  std::string Mac(int64_t position, absl::string_view binding) const;
  std::string key_;
};

// The page size to use: `requested` if within [1, max], `default_size` if 0,
// INVALID_ARGUMENT otherwise.
absl::StatusOr<int> PageSize(int requested, int default_size, int max);

}  // namespace gardefou::workflow
