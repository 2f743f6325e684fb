// Base64url decoding by Abseil, behind an alphabet check and a re-encoding comparison.
#include "service/auth/base64url.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"

namespace gardefou::auth {

std::optional<std::string> DecodeBase64Url(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return std::nullopt;
    }
  }
  std::string bytes;
  if (text.size() % 4 == 1 || !absl::WebSafeBase64Unescape(text, &bytes) ||
      absl::WebSafeBase64Escape(bytes) != text) {
    return std::nullopt;
  }
  return bytes;
}

}  // namespace gardefou::auth
