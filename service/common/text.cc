// UTF-8 validation per RFC 3629, the characters each kind of text field refuses, and the
// identifier rule used across the API.
#include "service/common/text.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"

namespace gardefou::common {
namespace {

// The code point starting at s[i] of well-formed UTF-8; moves i past it.
char32_t NextCodePoint(absl::string_view s, size_t& i) {
  const unsigned char lead = s[i];
  const size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  char32_t cp = len == 1 ? lead : lead & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

// The bidi formatting characters (UAX #9): embeddings, overrides, isolates and marks, which
// can make a name or a title display as something else (CVE-2021-42574).
bool IsBidiControl(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// "U+001B".
std::string CodePointName(char32_t cp) {
  char name[16];
  std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(cp));
  return name;
}

// Line breaks and tabs, which free text may hold.
bool IsAllowedControl(char32_t cp, TextKind kind) {
  return kind == TextKind::kFreeText && (cp == '\n' || cp == '\t' || cp == '\r');
}

// Why `value` (valid UTF-8) does not fit `kind`, or OK.
absl::Status CheckCharacters(absl::string_view field, absl::string_view value, TextKind kind) {
  for (size_t i = 0; i < value.size();) {
    const char32_t cp = NextCodePoint(value, i);
    if ((cp < 0x20 || cp == 0x7F) && !IsAllowedControl(cp, kind)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " contains a control character (", CodePointName(cp), ")"));
    }
    if (kind == TextKind::kSingleLine && IsBidiControl(cp)) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, " contains a bidirectional formatting character (", CodePointName(cp), ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > n) return false;
    const unsigned char c1 = s[i + 1];
    if (c1 < lo || c1 > hi) return false;
    for (size_t k = 2; k < len; ++k) {
      const unsigned char ck = s[i + k];
      if (ck < 0x80 || ck > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

absl::Status CheckText(absl::string_view field, absl::string_view value, size_t max_bytes,
                       bool required, TextKind kind) {
  if (required && value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is required"));
  }
  if (value.size() > max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is ", value.size(),
                                                   " bytes; the limit is ", max_bytes));
  }
  if (!IsValidUtf8(value)) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is not valid UTF-8"));
  }
  return CheckCharacters(field, value, kind);
}

absl::Status CheckId(absl::string_view field, absl::string_view value, size_t max_len) {
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat(field, " is required"));
  if (value.size() > max_len) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is longer than ", max_len, " characters"));
  }
  for (char c : value) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == ':';
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " may only contain letters, digits and . _ - :"));
    }
  }
  return absl::OkStatus();
}

}  // namespace gardefou::common
