// Folding: a lower-case, accent-free ASCII copy of a UTF-8 text with a map back to the
// original bytes, so matching runs on one simple alphabet and replacements hit exact spans.
// Handles NFC and NFD accents, œ/æ, typographic apostrophes, non-breaking spaces, and the
// characters of confusables.h: invisible ones dropped, fullwidth, ligatures and look-alike
// letters folded to ASCII. Each input byte yields at most two folded bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gardefou::pseudonym {

struct FoldedText {
  std::string text;               // ASCII: [a-z0-9], punctuation, ' ' for other characters
  std::vector<uint32_t> origin;   // origin[i]: byte offset in the original of text[i];
                                  // origin[text.size()] is the original's size
  std::vector<uint8_t> upper;     // upper[i]: the original character was upper-case
};

FoldedText Fold(absl::string_view utf8);
// The same into `out`, reusing its buffers (for callers folding many texts).
void Fold(absl::string_view utf8, FoldedText& out);

// Fold(...).text alone, for short strings such as roster names.
std::string FoldString(absl::string_view utf8);

// The class of a folded byte: 1 a letter, 2 a digit, 0 anything else.
inline constexpr struct FoldedClasses {
  uint8_t of[256] = {};
  constexpr FoldedClasses() {
    for (int c = 'a'; c <= 'z'; ++c) of[c] = 1;
    for (int c = '0'; c <= '9'; ++c) of[c] = 2;
  }
} kFoldedClasses;

inline bool IsWordChar(char c) { return kFoldedClasses.of[static_cast<unsigned char>(c)] != 0; }

// The end of the word starting at `i` in folded text: a run of letters or a run of digits,
// so that a login like "garnier35" yields "garnier" and "35".
inline size_t WordEnd(absl::string_view folded, size_t i) {
  const uint8_t kind = kFoldedClasses.of[static_cast<unsigned char>(folded[i])];
  while (i < folded.size() && kFoldedClasses.of[static_cast<unsigned char>(folded[i])] == kind) ++i;
  return i;
}

}  // namespace gardefou::pseudonym
