// What folding does with characters beyond Latin-1 and Latin Extended-A, so that a name
// pasted from a word processor or disguised by a hostile writer matches like its plain form:
// default-ignorable characters vanish ("Gar\u00adnier", "In\u200bès"), fullwidth forms and
// ligatures become ASCII ("Ｙａｎｉｓ", "ﬁ"), Cyrillic and Greek letters that look like Latin
// ones take the Latin letter's place ("Gаrnier" with a Cyrillic а, after UTS #39's
// confusables), and Vietnamese letters lose their marks ("Hương" → "huong").
#pragma once

#include <cstdint>

namespace gardefou::pseudonym {

// True for the default-ignorable code points a text may carry invisibly: soft hyphen,
// combining grapheme joiner, zero-width space/non-joiner/joiner, directional marks, word
// joiner and invisible operators, Mongolian vowel separator, BOM, variation selectors.
bool IsDefaultIgnorable(uint32_t cp);

// The folded ASCII (lower-case letters) for `cp` outside U+0000–U+017F, or nullptr when it
// is not a letter this table knows (the caller treats it as a separator). `upper` is set
// when the character is an upper-case letter.
const char* FoldCompatible(uint32_t cp, bool& upper);

}  // namespace gardefou::pseudonym
