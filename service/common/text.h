// Text checks shared by every input path: UTF-8 validity and identifier shape.
#pragma once

#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace gardefou::common {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(absl::string_view s);

// Checks a free-text field: valid UTF-8 and at most `max_bytes`; `required` rejects empty.
// The message names the field, never its content.
absl::Status CheckText(absl::string_view field, absl::string_view value, size_t max_bytes,
                       bool required);

// Checks an identifier: 1-`max_len` chars of [A-Za-z0-9._:-].
absl::Status CheckId(absl::string_view field, absl::string_view value, size_t max_len = 64);

}  // namespace gardefou::common
