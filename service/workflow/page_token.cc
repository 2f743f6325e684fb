// Page tokens are web-safe base64 of "p2:<position>:" followed by 16 bytes of
// HMAC-SHA-256(key, position "\n" binding).
#include "service/workflow/page_token.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/common/hashing.h"

namespace gardefou::workflow {
namespace {

constexpr size_t kMacBytes = 16;

absl::Status NotOurs() {
  return absl::InvalidArgumentError(
      "page_token was not returned by this server for this query and caller: pass "
      "next_page_token unchanged, with the same filters");
}

}  // namespace

PageTokens::PageTokens(std::string key) : key_(std::move(key)) {
  if (key_.empty()) {
    key_.resize(32);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key_.data()), 32) != 1) std::abort();
  }
}

std::string PageTokens::Mac(int64_t position, absl::string_view binding) const {
  return std::string(
      common::DigestBytes(common::HmacSha256(key_, absl::StrCat(position, "\n", binding)))
          .substr(0, kMacBytes));
}

std::string PageTokens::Encode(int64_t position, absl::string_view binding) const {
  return absl::WebSafeBase64Escape(absl::StrCat("p2:", position, ":", Mac(position, binding)));
}

absl::StatusOr<int64_t> PageTokens::Decode(absl::string_view token,
                                           absl::string_view binding) const {
  if (token.empty()) return 0;
  if (token.size() > 128) return NotOurs();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || !absl::StartsWith(raw, "p2:") ||
      raw.size() < 3 + kMacBytes + 2) {
    return NotOurs();
  }
  const absl::string_view body = absl::string_view(raw).substr(3);
  const size_t colon = body.size() - kMacBytes - 1;
  int64_t position = 0;
  if (body[colon] != ':' || !absl::SimpleAtoi(body.substr(0, colon), &position) ||
      position < 0) {
    return NotOurs();
  }
  const std::string expected = Mac(position, binding);
  if (CRYPTO_memcmp(expected.data(), body.data() + colon + 1, kMacBytes) != 0) return NotOurs();
  return position;
}

absl::StatusOr<int> PageSize(int requested, int default_size, int max) {
  if (requested == 0) return default_size;
  if (requested < 0 || requested > max) {
    return absl::InvalidArgumentError(absl::StrCat("page_size must be between 1 and ", max));
  }
  return requested;
}

}  // namespace gardefou::workflow
