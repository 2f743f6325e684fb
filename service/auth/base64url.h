// Strict base64url (RFC 4648 §5) as JOSE uses it: no padding, no whitespace, one encoding per
// byte string.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace gardefou::auth {

// The bytes `text` encodes; nullopt when it holds anything outside A-Z a-z 0-9 '-' '_'
// (padding '=' included), has an impossible length, or is not the canonical encoding (unused
// low bits set), so that a token has a single spelling.
std::optional<std::string> DecodeBase64Url(absl::string_view text);

}  // namespace gardefou::auth
