// Tokenisation and public-figure spotting.
#include "service/pseudonym/tokens.h"

#include "service/pseudonym/figure_spotter.h"

namespace gardefou::pseudonym {

void Tokenize(const FoldedText& folded, const Lexicon& lexicon, TokenizedText& out) {
  out.folded = &folded;
  out.tokens.clear();
  const std::string& f = folded.text;
  for (size_t i = 0; i < f.size();) {
    while (i < f.size() && !IsWordChar(f[i])) ++i;
    const size_t start = i;
    if (i < f.size()) i = WordEnd(f, i);
    if (i > start) out.tokens.push_back({start, i});
  }
  out.flags.assign(out.tokens.size(), 0);
  out.classes.resize(out.tokens.size());
  for (size_t i = 0; i < out.tokens.size(); ++i) {
    out.classes[i] = WordClasses(out.word(i));
    // The lexicon is large (cache misses): only capitalised words (names, figures) are
    // looked up.
    if (out.capitalised(i)) out.flags[i] = lexicon.Flags(out.word(i));
  }
  SpotFigures(
      out.tokens.size(), [&](size_t i) { return out.word(i); },
      [&](size_t i) { return out.gap_before(i); },
      [&](size_t i) { return (out.flags[i] & Lexicon::kFigureStart) != 0; },
      [&](size_t i) { return out.capitalised(i); }, [&](size_t i) { return out.classes[i]; },
      lexicon, out.in_figure, out.figures);
}

}  // namespace gardefou::pseudonym
