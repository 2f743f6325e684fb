// Folding, byte by byte against the definition: ASCII is lowered with its case and offset
// kept whatever its alignment (the fast path works eight bytes at a time), accents and
// ligatures fold, NFD accents vanish, and every folded byte maps back to its source.
#include "service/pseudonym/fold.h"

#include <gtest/gtest.h>

#include <cctype>

namespace gardefou::pseudonym {
namespace {

TEST(Fold, EveryAsciiByteAtEveryAlignment) {
  std::string all;
  for (int c = 1; c < 128; ++c) all.push_back(static_cast<char>(c));
  for (size_t shift = 0; shift < 9; ++shift) {
    const std::string input = std::string(shift, 'Q') + all + "Z";
    const FoldedText f = Fold(input);
    ASSERT_EQ(f.text.size(), input.size());
    ASSERT_EQ(f.origin.size(), input.size() + 1);
    for (size_t i = 0; i < input.size(); ++i) {
      const unsigned char c = input[i];
      EXPECT_EQ(f.text[i], static_cast<char>(std::tolower(c))) << shift << " " << i;
      EXPECT_EQ(f.upper[i] != 0, std::isupper(c) != 0) << shift << " " << i;
      EXPECT_EQ(f.origin[i], i);
    }
    EXPECT_EQ(f.origin[input.size()], input.size());
  }
}

TEST(Fold, AccentsLigaturesAndNfdBetweenAsciiRuns) {
  const std::string input = "Ophélie ŒUVRE d’Émilie Ste\u0301phane 12345678Élodie";
  const FoldedText f = Fold(input);
  EXPECT_EQ(f.text, "ophelie oeuvre d'emilie stephane 12345678elodie");
  // "É" of Élodie: upper, and it maps back to its first byte.
  const size_t e = f.text.rfind("elodie");
  EXPECT_TRUE(f.upper[e]);
  EXPECT_EQ(input.substr(f.origin[e], 2), "É");
  EXPECT_EQ(input.substr(f.origin[e + 1], 5), "lodie");
}

TEST(Fold, TheSameBuffersServeLongThenShortTexts) {
  FoldedText f;
  Fold("Une Très Longue Phrase Avant Une Courte", f);
  Fold("Ab", f);
  EXPECT_EQ(f.text, "ab");
  EXPECT_EQ(f.upper.size(), 2u);
  EXPECT_EQ(f.origin.size(), 3u);
  EXPECT_EQ(f.origin[2], 2u);
}

}  // namespace
}  // namespace gardefou::pseudonym
