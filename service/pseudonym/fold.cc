// UTF-8 decoding and the folding table.
#include "service/pseudonym/fold.h"

#include "service/pseudonym/confusables.h"

#include <cstring>

namespace gardefou::pseudonym {
namespace {

#include "service/pseudonym/fold_table.inc"

// Decodes one code point at `i`; returns its length (1 for an invalid byte, reported as
// U+FFFD).
size_t Decode(absl::string_view s, size_t i, uint32_t& cp) {
  const unsigned char c = s[i];
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) {
    cp = 0xFFFD;
    return 1;
  }
  cp = c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    const unsigned char ck = s[i + k];
    if ((ck & 0xC0) != 0x80) {
      cp = 0xFFFD;
      return 1;
    }
    cp = (cp << 6) | (ck & 0x3F);
  }
  return len;
}

bool IsUpperLatin(uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return true;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return true;
  if (cp >= 0x100 && cp <= 0x17F) return cp == 0x178 || (cp % 2 == 0 && cp != 0x138);
  return false;
}

}  // namespace

void Fold(absl::string_view utf8, FoldedText& out) {
  // Each input byte yields at most two folded bytes ("œ" is 2 bytes, "oe" too; "ß" -> "ss").
  // The buffers keep their capacity from one call to the next.
  out.text.resize(utf8.size() * 2);
  out.origin.resize(utf8.size() * 2 + 1);
  out.upper.resize(utf8.size() * 2);
  char* text = out.text.data();
  uint32_t* origin = out.origin.data();
  uint8_t* upper = out.upper.data();
  size_t n = 0;
  auto emit = [&](char c, uint32_t at, bool is_upper) {
    text[n] = c;
    origin[n] = at;
    upper[n] = is_upper;
    ++n;
  };
  for (size_t i = 0; i < utf8.size();) {
    // Fastest path: eight ASCII bytes at a time. For a byte b < 0x80, b + 0x3F has its high
    // bit set when b >= 'A' and b + 0x25 when b > 'Z' (no carry crosses bytes): upper-case
    // letters are flagged, lowered by setting 0x20.
    while (i + 8 <= utf8.size()) {
      uint64_t x;
      std::memcpy(&x, utf8.data() + i, 8);
      constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
      if (x & kHigh) break;
      const uint64_t upper_bits = (x + kOnes * 0x3F) & ~(x + kOnes * 0x25) & kHigh;
      const uint64_t lowered = x | (upper_bits >> 2);
      const uint64_t flags = upper_bits >> 7;
      std::memcpy(text + n, &lowered, 8);
      std::memcpy(upper + n, &flags, 8);
      for (int k = 0; k < 8; ++k) origin[n + k] = static_cast<uint32_t>(i + k);
      n += 8;
      i += 8;
    }
    // Fast path: a run of ASCII.
    while (i < utf8.size() && static_cast<unsigned char>(utf8[i]) < 0x80) {
      const unsigned char c = utf8[i];
      const uint8_t is_upper = static_cast<unsigned>(c - 'A') < 26u;
      text[n] = static_cast<char>(c | (is_upper << 5));
      origin[n] = static_cast<uint32_t>(i);
      upper[n] = is_upper;
      ++n;
      ++i;
    }
    if (i == utf8.size()) break;
    uint32_t cp;
    const size_t len = Decode(utf8, i, cp);
    const auto at = static_cast<uint32_t>(i);
    i += len;
    if (cp >= 0x300 && cp <= 0x36F) continue;  // combining accent (NFD): drop
    if (IsDefaultIgnorable(cp)) continue;      // invisible: "Gar\u00adnier" is Garnier
    if (cp >= 0xC0 && cp <= 0x17F) {
      const bool is_upper = IsUpperLatin(cp);
      for (const char* f = kLatinFolds[cp - 0xC0]; *f; ++f) emit(*f, at, is_upper);
    } else if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC) {
      emit('\'', at, false);
    } else if (cp == 0x2010 || cp == 0x2011) {
      emit('-', at, false);
    } else if (bool is_upper; const char* f = FoldCompatible(cp, is_upper)) {
      for (; *f; ++f) emit(*f, at, is_upper);  // fullwidth, ligatures, look-alikes
    } else {
      emit(' ', at, false);  // NBSP, narrow NBSP, other scripts, symbols: separators
    }
  }
  out.text.resize(n);
  out.upper.resize(n);
  out.origin.resize(n + 1);
  out.origin[n] = static_cast<uint32_t>(utf8.size());
}

FoldedText Fold(absl::string_view utf8) {
  FoldedText out;
  Fold(utf8, out);
  return out;
}

std::string FoldString(absl::string_view utf8) { return Fold(utf8).text; }

}  // namespace gardefou::pseudonym
