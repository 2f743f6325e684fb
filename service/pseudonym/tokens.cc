// Tokenisation and public-figure spotting.
#include "service/pseudonym/tokens.h"

#include <algorithm>

#include "service/pseudonym/word_set.h"

namespace gardefou::pseudonym {

void Tokenize(const FoldedText& folded, const Lexicon& lexicon, TokenizedText& out) {
  out.folded = &folded;
  out.tokens.clear();
  out.figures.clear();
  const std::string& f = folded.text;
  for (size_t i = 0; i < f.size();) {
    while (i < f.size() && !IsWordChar(f[i])) ++i;
    const size_t start = i;
    if (i < f.size()) i = WordEnd(f, i);
    if (i > start) out.tokens.push_back({start, i});
  }
  out.in_figure.assign(out.tokens.size(), 0);
  out.flags.assign(out.tokens.size(), 0);
  for (size_t i = 1; i < out.tokens.size(); ++i) {
    // A saint's name is a feast, a place or a church, not a person: "la Saint-Martin",
    // "le Mont-Saint-Michel", "Sainte-Catherine", "la saint nicolas".
    static const auto* saints = new WordSet{"saint", "sainte", "st", "ste"};
    if (saints->contains(out.word(i - 1)) &&
        (out.gap_before(i) == "-" || out.gap_before(i) == " ")) {
      out.in_figure[i] = 1;
      out.figures.emplace_back(i, 1);
    }
  }
  for (size_t i = 0; i < out.tokens.size(); ++i) {
    // The lexicon is large (cache misses): only capitalised words (names, figures) are
    // looked up here.
    if (!out.capitalised(i)) continue;
    out.flags[i] = lexicon.Flags(out.word(i));
    if (!(out.flags[i] & Lexicon::kFigureStart)) continue;
    for (const auto* figure : lexicon.FiguresStartingWith(out.word(i))) {
      if (i + figure->size() > out.tokens.size()) continue;
      bool all = true;
      for (size_t k = 1; k < figure->size() && all; ++k) all = out.word(i + k) == (*figure)[k];
      if (!all) continue;
      out.figures.emplace_back(i, figure->size());
      std::fill(out.in_figure.begin() + i, out.in_figure.begin() + i + figure->size(), 1);
    }
  }
}

}  // namespace gardefou::pseudonym
