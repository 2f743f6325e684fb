// Which words of a text stand for someone the pupil does not know personally: a listed public
// figure's name, a one-word figure ("Cicéron"), a saint's name ("la Saint-Pierre", "mont
// Sainte-Odile"), and a figure's surname alone once the figure was named ("Victor Hugo ...
// Hugo dénonce"), which a roster name or a place still overrides. Shared by the detectors
// (through Tokenize) and the leak gate, which must agree on what is left in clear.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "service/pseudonym/lexicon.h"
#include "service/pseudonym/word_classes.h"

namespace gardefou::pseudonym {

// Values of a word's mark.
inline constexpr uint8_t kFigureWord = 1;       // a word of a figure's full name
inline constexpr uint8_t kStandsForFigure = 2;  // alone, a figure or a saint: "Cicéron",
                                                // "saint Pierre"
inline constexpr uint8_t kFigureSurname = 3;    // "Hugo dénonce" after "Victor Hugo": the
                                                // figure unless the roster or a place says
                                                // otherwise (a pupil Hugo, "à Troyes")

// After a title or a naming word ("M. Cicéron", "je m'appelle Fontaine") or an initial ("Cher
// R. Chérubin"), a figure's name is someone's.
inline bool NamesSomeone(uint32_t classes_before, absl::string_view before, absl::string_view gap) {
  return (classes_before & (kTitle | kNamesSomeone)) ||
         (before.size() == 1 && gap.find('.') != absl::string_view::npos);
}

// Marks the `n` words of a text. word(k) is the folded word, gap(k) the text between words
// k-1 and k, starts_figure(k) whether word k has Lexicon::kFigureStart (the caller may skip
// the lookup for lower-case words) and capitalised(k) whether it is written with a capital (a
// surname stands for a figure only then), classes(k) its WordClasses. `marks` gets one value
// per word; `figures` the (first word, word count) of full names.
template <typename Word, typename Gap, typename StartsFigure, typename Capitalised,
          typename Classes>
void SpotFigures(size_t n, Word word, Gap gap, StartsFigure starts_figure,
                 Capitalised capitalised, Classes classes, const Lexicon& lexicon,
                 std::vector<uint8_t>& marks, std::vector<std::pair<size_t, size_t>>& figures) {
  marks.assign(n, 0);
  figures.clear();
  absl::flat_hash_set<absl::string_view> surnames;
  std::vector<const std::vector<std::string>*> candidates;
  for (size_t i = 0; i < n; ++i) {
    // A saint's name is a feast, a place or a church, even a pupil's: "la Saint-Valentin",
    // "le Mont-Saint-Michel", "la saint nicolas".
    if (i > 0 && (classes(i - 1) & kSaint) && (gap(i) == "-" || gap(i) == " ")) {
      marks[i] = kStandsForFigure;
      continue;
    }
    if (!starts_figure(i)) continue;
    // Listed feasts and places ("Saint-Valentin", "Saint-Jean") are a figure's words, but
    // their name is no surname to look for elsewhere: the saint rule marks it.
    const bool saint = (classes(i) & kSaint) != 0;
    lexicon.FiguresStartingWith(word(i), i + 1 < n ? word(i + 1) : "", candidates);
    for (const auto* figure : candidates) {
      if (i + figure->size() > n) continue;
      bool all = true;
      for (size_t k = 2; k < figure->size() && all; ++k) all = word(i + k) == (*figure)[k];
      if (!all) continue;
      if (figure->size() == 1) {
        if (i == 0 || !NamesSomeone(classes(i - 1), word(i - 1), gap(i))) {
          marks[i] = kStandsForFigure;
        }
        continue;
      }
      for (size_t k = i; k < i + figure->size(); ++k) marks[k] = kFigureWord;
      if (saint) continue;
      figures.emplace_back(i, figure->size());
      // A person's surname ("Victor Hugo"): not the last word of "Tempête Martin", "Ouragan
      // Hugo" or "Belle et Sébastien", which alone are someone else's first name.
      if ((lexicon.Flags((*figure)[0]) & Lexicon::kFirstName) &&
          std::find(figure->begin(), figure->end(), "et") == figure->end()) {
        surnames.insert(figure->back());
      }
    }
  }
  if (surnames.empty()) return;
  // The surname alone, unless someone is named: "M. Hugo", "Hugo (Martinez", "Hugo Lefèvre".
  for (size_t i = 0; i < n; ++i) {
    if (marks[i] != 0 || !capitalised(i) || !surnames.contains(word(i))) continue;
    if (i > 0 && NamesSomeone(classes(i - 1), word(i - 1), gap(i))) continue;
    if (i + 1 < n && capitalised(i + 1) && (gap(i + 1) == " " || gap(i + 1) == " (")) continue;
    marks[i] = kFigureSurname;
  }
}

}  // namespace gardefou::pseudonym
