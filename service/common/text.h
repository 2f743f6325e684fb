// Text checks shared by every input path: UTF-8 validity, control characters and identifier
// shape.
#pragma once

#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace gardefou::common {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(absl::string_view s);

// What a text field may hold besides printable characters.
enum class TextKind {
  // Names, titles, labels: no C0 control (U+0000-U+001F), no DEL (U+007F) and no bidi
  // control (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069).
  kSingleLine,
  // Copies, instructions, comments: line breaks, tabs and bidi controls (mixed-direction
  // writing needs them) are allowed; other C0 controls and DEL are not.
  kFreeText,
};

// Checks a text field: valid UTF-8, at most `max_bytes`, and no character `kind` forbids;
// `required` rejects empty. The message names the field, never its content.
absl::Status CheckText(absl::string_view field, absl::string_view value, size_t max_bytes,
                       bool required, TextKind kind);

// Checks an identifier: 1-`max_len` chars of [A-Za-z0-9._:-].
absl::Status CheckId(absl::string_view field, absl::string_view value, size_t max_len = 64);

}  // namespace gardefou::common
