// The words of a folded text, and which of them belong to a public figure's name, computed
// once per text and shared by the detectors.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "service/pseudonym/fold.h"
#include "service/pseudonym/lexicon.h"
#include "service/pseudonym/word_classes.h"

namespace gardefou::pseudonym {

struct Token {
  size_t begin;  // offsets in the folded text
  size_t end;
};

struct TokenizedText {
  const FoldedText* folded = nullptr;
  std::vector<Token> tokens;
  // Public figures found: (first token, token count).
  std::vector<std::pair<size_t, size_t>> figures;
  std::vector<uint8_t> in_figure;  // per token: kFigureWord, kStandsForFigure or 0
  // Per token: Lexicon::Flags of the word, looked up only for capitalised words (0 for the
  // others). Public figures are spotted when capitalised.
  std::vector<uint8_t> flags;
  std::vector<uint32_t> classes;  // per token: WordClasses of the word

  absl::string_view word(size_t i) const {
    return absl::string_view(folded->text).substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
  }
  bool capitalised(size_t i) const { return folded->upper[tokens[i].begin] != 0; }
  // The folded text between token i-1 and token i.
  absl::string_view gap_before(size_t i) const {
    return absl::string_view(folded->text).substr(tokens[i - 1].end, tokens[i].begin - tokens[i - 1].end);
  }
};

// Fills `out` (reusing its buffers) with the words of `folded`, which must outlive it.
void Tokenize(const FoldedText& folded, const Lexicon& lexicon, TokenizedText& out);

}  // namespace gardefou::pseudonym
