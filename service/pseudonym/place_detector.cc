// Commune lookup over token runs, with the preposition and article rules.
#include "service/pseudonym/place_detector.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/pseudonym/figure_spotter.h"
#include "service/pseudonym/word_classes.h"

namespace gardefou::pseudonym {
namespace {

// Whether word k is of one of `classes` (WordClasses).
bool Has(const TokenizedText& t, size_t k, uint32_t classes) {
  return (t.classes[k] & classes) != 0;
}

bool IsDigitWord(absl::string_view w) {
  return !w.empty() && w.find_first_not_of("0123456789") == absl::string_view::npos;
}

// The words of a commune's name are joined by hyphens, blanks or apostrophes only.
bool Joined(const TokenizedText& t, size_t k) {
  const absl::string_view gap = t.gap_before(k);
  return !gap.empty() && gap.size() <= 2 && gap.find_first_not_of(" -'") == absl::string_view::npos;
}

bool EndsSentence(absl::string_view gap) {
  return gap.find_first_of(".!?\n") != absl::string_view::npos;
}

// True when one of the (at most `window`) words before token `k` in its sentence passes
// `test` (given the word's index).
template <typename Test>
bool InSentenceBefore(const TokenizedText& t, size_t k, size_t window, Test test) {
  for (size_t j = k; j > 0 && j + window > k && !EndsSentence(t.gap_before(j)); --j) {
    if (test(j - 1)) return true;
  }
  return false;
}

// True when one of the (at most `window`) words after token `k` in its sentence passes `test`.
template <typename Test>
bool InSentenceAfter(const TokenizedText& t, size_t k, size_t window, Test test) {
  for (size_t j = k + 1; j < t.tokens.size() && j <= k + window && !EndsSentence(t.gap_before(j));
       ++j) {
    if (test(j)) return true;
  }
  return false;
}

// In the sentence around token `k`: a town in an essay ("les mineurs de Carmaux", "entre
// Toulon et Saint-Raphaël") is no one's home; one in someone's life ("elle est arrivée de
// Caen") is. With `home`, home words count as well as the pupil's own.
bool PersonalContext(const TokenizedText& t, size_t k, bool home) {
  // Home words include family ones: "son père travaille à Lorient".
  const uint32_t classes = home ? kPersonal | kHomeCue | kRelation | kFamilyTitle : kPersonal;
  auto test = [&](size_t j) { return Has(t, j, classes); };
  return InSentenceBefore(t, k, 15, test) || InSentenceAfter(t, k, 10, test);
}

bool OldYear(absl::string_view w, absl::string_view before) {
  return w.size() == 4 && IsDigitWord(w) && w < before;
}

// A year before 1930 shortly before ("morte le 30 mai 1431 à Rouen", "le 8 mai 1902, son
// éruption a détruit la ville de Saint-Pierre"), a century, or a year before 1950 right after
// in a sentence that is not the pupil's ("à Villequier en 1843").
bool HistoricalContext(const TokenizedText& t, size_t k) {
  if (InSentenceBefore(t, k, 10, [&](size_t j) {
        const absl::string_view w = t.word(j);
        return OldYear(w, "1930") || w == "siecle" || w == "siecles";
      })) {
    return true;
  }
  return InSentenceAfter(t, k, 4, [&](size_t j) { return OldYear(t.word(j), "1950"); }) &&
         !PersonalContext(t, k, /*home=*/false);
}

// A capitalised run from `k`: words joined by hyphens, apostrophes or single blanks before a
// capitalised word ("Da Nang", "Touquet-Paris-Plage"); returns its last token.
size_t CapitalisedRun(const TokenizedText& t, size_t k) {
  size_t last = k;
  while (last + 1 < t.tokens.size() && Joined(t, last + 1) &&
         (t.capitalised(last + 1) || t.gap_before(last + 1).find_first_of("-'") !=
                                         absl::string_view::npos)) {
    ++last;
  }
  return last;
}

// A neighbourhood: "le quartier de Wazemmes", "dans le quartier des Gratte-Ciel". Returns
// the last token of the name after "quartier" at `k`, or `k` when none follows.
size_t NeighbourhoodAfter(const TokenizedText& t, size_t k) {
  if (t.word(k) != "quartier") return k;
  size_t j = k + 1;
  for (size_t particles = 0; j < t.tokens.size() && particles < 2 && Has(t, j, kPlaceParticle);
       ++particles) {
    ++j;
  }
  if (j >= t.tokens.size() || !t.capitalised(j) || EndsSentence(t.gap_before(j))) return k;
  return CapitalisedRun(t, j);
}

// What a place's name is followed by to say where it is: "à Privas, en Ardèche", "près de
// Condom, dans le Gers", "Lieu : Corte (Haute-Corse)". Returns the first and last tokens of
// the region's name after the place ending at `last`, or {0, 0}.
std::pair<size_t, size_t> RegionAfter(const TokenizedText& t, size_t last) {
  size_t j = last + 1;
  if (j >= t.tokens.size()) return {0, 0};
  const absl::string_view gap = t.gap_before(j);
  if (gap == " (") {
    const size_t end = CapitalisedRun(t, j);
    const bool closed =
        end + 1 >= t.tokens.size() || absl::StartsWith(t.gap_before(end + 1), ")");
    return t.capitalised(j) && closed ? std::make_pair(j, end) : std::make_pair(size_t{0}, size_t{0});
  }
  if (gap != ", ") return {0, 0};
  if (t.word(j) == "dans" && j + 1 < t.tokens.size() && Has(t, j + 1, kArticle)) {
    ++j;
  } else if (t.word(j) != "en") {
    return {0, 0};
  }
  ++j;
  if (j >= t.tokens.size() || !t.capitalised(j) || !Joined(t, j)) return {0, 0};
  return {j, CapitalisedRun(t, j)};
}

}  // namespace

void FindPlaces(const TokenizedText& t, const Lexicon& lexicon, absl::string_view departement,
                std::vector<Span>& out) {
  const FoldedText& text = *t.folded;
  std::vector<absl::string_view> run;
  for (size_t k = 0; k < t.tokens.size(); ++k) {
    if (const size_t last = NeighbourhoodAfter(t, k); last != k) {
      size_t first = k + 1;
      while (!t.capitalised(first)) ++first;
      out.push_back({text.origin[t.tokens[first].begin], text.origin[t.tokens[last].end],
                     EntityType::kPlace, absl::StrCat("place:", t.word(first)), 0});
      k = last;
      continue;
    }
    uint8_t flags = t.flags[k];
    // Most words stop here: a place is capitalised, and starts a commune's name or follows
    // "à", "au", "aux", "ville" or a postcode; in lower case it follows a strong cue.
    const absl::string_view before = k > 0 ? t.word(k - 1) : "";
    const uint32_t before_classes = k > 0 ? t.classes[k - 1] : 0;
    const bool may_follow = (before_classes & (kPlacePreposition | kPlaceField)) ||
                            (before.size() == 5 && IsDigitWord(before));
    if (t.capitalised(k) ? !(flags & Lexicon::kCommuneStart) && !may_follow
                         : !(before == "a" || before == "habite" || before == "vers" ||
                             before == "depuis")) {
      continue;
    }
    const bool cue_before = (before_classes & kPlaceCue) != 0;
    if (!t.capitalised(k)) {
      // "j'habite a bondy" (the cue was checked above); but "a la plage" is no town.
      if (Has(t, k, kArticle)) continue;
      flags = lexicon.Flags(t.word(k));  // looked up only after a cue
    }
    // Inside a figure's name or a saint's; a figure's surname alone may still be a town
    // ("Chrétien de Troyes ... j'habite à Troyes").
    if (t.in_figure[k] == kFigureWord || t.in_figure[k] == kStandsForFigure) continue;
    const bool capital = t.capitalised(k);
    auto place = [&](size_t last, std::string key) {
      out.push_back({text.origin[t.tokens[k].begin], text.origin[t.tokens[last].end],
                     EntityType::kPlace, absl::StrCat("place:", key), 0});
      k = last;
      if (const auto [first, end] = RegionAfter(t, last); first != 0) {
        out.push_back({text.origin[t.tokens[first].begin], text.origin[t.tokens[end].end],
                       EntityType::kPlace, absl::StrCat("place:", t.word(first)), 0});
        k = end;
      }
    };
    // "au Havre", "du Gosier", "aux Sables-d'Olonne": the article is part of the name.
    if (capital && k > 0 && (before == "au" || before == "aux" || before == "du" ||
                             before == "des")) {
      run.assign({before == "au" || before == "du" ? "le" : "les"});
      for (size_t j = k; j <= CapitalisedRun(t, k); ++j) run.push_back(t.word(j));
      if (const size_t length = lexicon.CommuneLength(run); length > 1) {
        place(k + length - 2, absl::StrJoin(run.begin(), run.begin() + length, " "));
        continue;
      }
    }
    // Any capitalised name after "à" or "au" in a home context, French or not ("chez Mamie à
    // Kinshasa"), or after a postcode or a form's field, even a town that is a word ("18300
    // Sancerre", "Ville : Rennes", "Lieu de naissance : Tourcoing"). A postcode is five
    // digits alone (not the end of a longer number, "1234 56789 AB").
    const bool after_postcode = k > 0 && before.size() == 5 && IsDigitWord(before) &&
                                t.word(k).size() >= 3 && !(k > 1 && IsDigitWord(t.word(k - 2)));
    const bool field = after_postcode ||
                       ((before_classes & kPlaceField) &&
                        t.gap_before(k).find(':') != absl::string_view::npos);
    const bool home = field || ((before == "a" || before == "au") &&
                                InSentenceBefore(t, k - 1, 8,
                                                 [&](size_t j) { return Has(t, j, kHomeCue); }) &&
                                !HistoricalContext(t, k));
    if (capital && home && (field || !(flags & Lexicon::kCommonWord))) {
      const size_t last = CapitalisedRun(t, k);
      std::string key;
      for (size_t j = k; j <= last; ++j) absl::StrAppend(&key, j > k ? " " : "", t.word(j));
      place(last, std::move(key));
      continue;
    }
    if (!(flags & Lexicon::kCommuneStart)) continue;
    run.clear();
    for (size_t j = k; j < t.tokens.size() && run.size() < Lexicon::kMaxCommuneWords; ++j) {
      if (j > k && !Joined(t, j)) break;
      run.push_back(t.word(j));
    }
    const size_t length = lexicon.CommuneLength(run);
    if (length == 0) continue;
    // A capitalised name has its words capitalised but for particles: "Saint-Jean-de-Luz",
    // not "La pierre est grise".
    bool words_capitalised = true;
    for (size_t j = k + 1; capital && j < k + length; ++j) {
      if (!t.capitalised(j) && !Has(t, j, kPlaceParticle)) words_capitalised = false;
    }
    if (!words_capitalised) continue;
    const bool article_before = (before_classes & kArticle) && !t.capitalised(k - 1);
    const bool landmark_before =
        (before_classes & kLandmark) ||
        (k > 1 && (t.word(k - 1) == "de" || t.word(k - 1) == "d" || t.word(k - 1) == "du") &&
         Has(t, k - 2, kLandmark));
    run.resize(length);
    const std::string name = absl::StrJoin(run, " ");
    const bool local = lexicon.CommuneIn(name, departement);
    if (landmark_before || (HistoricalContext(t, k) && !local)) continue;
    // "de la Table ronde": a lower-case article before a capitalised word is not a town's.
    if (!capital && k + 1 < t.tokens.size() && t.capitalised(k + 1)) continue;
    if (article_before && !cue_before) continue;  // "la Saint-Martin", "le Mans" is caught below
    // A letter's heading "Fougères, le 12 octobre" names a town even when it is a word.
    const size_t after = k + length;
    const bool heading = after + 1 < t.tokens.size() && t.word(after) == "le" &&
                         t.gap_before(after).find(',') != absl::string_view::npos &&
                         IsDigitWord(t.word(after + 1));
    // One word alone is a town only after a place word or as a letter's heading: "Rouen",
    // "Nice" or "François" in an essay is not where anyone lives.
    if (length == 1 && !cue_before && !heading && !(local && !(flags & Lexicon::kCommonWord))) {
      continue;
    }
    if (length == 1 && t.word(k).size() < 3) continue;
    if (!heading && !local && !PersonalContext(t, k, /*home=*/true)) continue;
    place(k + length - 1, name);
  }
}

}  // namespace gardefou::pseudonym
