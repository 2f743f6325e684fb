// Page tokens are web-safe base64 of "p1:<position>".
#include "service/workflow/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gardefou::workflow {

std::string EncodePageToken(int64_t position) {
  return absl::WebSafeBase64Escape(absl::StrCat("p1:", position));
}

absl::StatusOr<int64_t> DecodePageToken(absl::string_view token) {
  if (token.empty()) return 0;
  std::string raw;
  int64_t position = 0;
  if (!absl::WebSafeBase64Unescape(token, &raw) || !absl::StartsWith(raw, "p1:") ||
      !absl::SimpleAtoi(absl::string_view(raw).substr(3), &position) || position < 0) {
    return absl::InvalidArgumentError(
        "page_token was not returned by this server: pass next_page_token unchanged");
  }
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
