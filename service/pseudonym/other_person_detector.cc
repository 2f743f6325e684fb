// The cues that introduce people outside the roster, and the capitalised-name rules after
// them.
#include "service/pseudonym/other_person_detector.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/pseudonym/figure_spotter.h"
#include "service/pseudonym/word_classes.h"

namespace gardefou::pseudonym {
namespace {

// Whether the copy says, in its first 60 words, that it is a story: "Il était une fois",
// "Histoire inventée", "Sujet : écrivez la suite d'un récit fantastique". Its characters then
// carry the names the story gives them.
constexpr size_t kStoryMarkerWords = 60;

bool IsFiction(const TokenizedText& t) {
  static const std::vector<std::vector<absl::string_view>>* markers =
      new std::vector<std::vector<absl::string_view>>{
          {"il", "etait", "une", "fois"}, {"histoire", "inventee"}, {"invente", "une", "histoire"},
          {"inventez", "une", "histoire"}, {"recit", "fantastique"}, {"suite", "d", "un", "recit"},
          {"suite", "du", "recit"}, {"ecrivez", "la", "suite"}, {"ecris", "la", "suite"}};
  for (size_t k = 0; k < t.tokens.size() && k < kStoryMarkerWords; ++k) {
    if (!(t.classes[k] & kStoryMarker)) continue;
    for (const auto& marker : *markers) {
      if (t.word(k) != marker[0] || k + marker.size() > t.tokens.size()) continue;
      bool all = true;
      for (size_t i = 1; i < marker.size() && all; ++i) all = t.word(k + i) == marker[i];
      if (all) return true;
    }
  }
  return false;
}

}  // namespace

void FindOtherPeople(const TokenizedText& tokenized, std::vector<Span>& out) {
  const FoldedText& text = *tokenized.folded;
  const std::string& f = text.text;
  const std::vector<Token>& words = tokenized.tokens;
  const size_t n = words.size();
  auto at = [&](size_t k) { return tokenized.word(k); };
  // In a story, a name no one introduces as the pupil's ("ma cousine Léa") is a character's.
  const bool fiction = IsFiction(tokenized);
  // What each word is as a cue (WordClasses, looked up once by Tokenize).
  const std::vector<uint32_t>& kinds = tokenized.classes;
  auto capitalised = [&](size_t k) {
    return text.upper[words[k].begin] && words[k].end - words[k].begin >= 2;
  };
  auto all_caps = [&](size_t k) {
    for (size_t i = words[k].begin; i < words[k].end; ++i) {
      if (!text.upper[i]) return false;
    }
    return words[k].end - words[k].begin >= 2;
  };
  // The text between two words is only blanks, or a hyphen when `hyphen`; a title's
  // abbreviation point ("Mme. Perrin", "M. Perrin") is allowed after a title, and a comma
  // after a relation when `comma` ("ma tutrice, Fatma Legrand").
  auto joined = [&](size_t k, bool hyphen, bool comma = false) {
    const size_t begin = words[k - 1].end, end = words[k].begin;
    if (begin == end || end - begin > 3) return false;
    const bool after_title = kinds[k - 1] & kTitle;
    for (size_t i = begin; i < end; ++i) {
      const char c = f[i];
      const bool ok = hyphen ? c == '-'
                             : c == ' ' || c == '\t' || (after_title && c == '.') ||
                                   (!after_title && comma && c == ',');
      if (!ok) return false;
    }
    return true;
  };
  // "GeoGebra", "YouTube": a capital inside a word is a brand's.
  auto brand = [&](size_t k) {
    for (size_t i = words[k].begin + 1; i + 1 < words[k].end; ++i) {
      if (text.upper[i] && !text.upper[i - 1]) return true;
    }
    return false;
  };
  // Inside a figure's full name, or a saint or a one-word figure; a figure's surname alone
  // ("Hugo" after "Victor Hugo") is still a name after a cue: "mon frère Hugo".
  auto figure_word = [&](size_t k) {
    return tokenized.in_figure[k] == kFigureWord || tokenized.in_figure[k] == kStandsForFigure;
  };
  // A name from token `j` (capitalised, not a public figure): its first word, the hyphenated
  // parts, then a surname (capitalised, not a common word, or in capitals). Returns the last
  // token of the name, or `j - 1` when there is none.
  auto name_from = [&](size_t j) -> size_t {
    if (j >= n || !capitalised(j) || figure_word(j) || (kinds[j] & kFeast) || brand(j)) {
      return j - 1;
    }
    size_t last = j;
    while (last + 1 < n && capitalised(last + 1) && joined(last + 1, true)) ++last;
    if (last + 1 < n && capitalised(last + 1) && joined(last + 1, false) &&
        !figure_word(last + 1) &&
        (!(tokenized.flags[last + 1] & Lexicon::kCommonWord) || all_caps(last + 1))) {
      ++last;  // a surname: "ma voisine Mme Carmen Perrin"
    }
    return last;
  };
  absl::flat_hash_set<std::string> names;
  // One span per word, under one key: a word that is also a roster name ("KLEIN Malika", the
  // pupil's mother) goes to the roster, the others stay this person's, and adjacent spans of
  // one key are merged back into one mention.
  auto add = [&](size_t first, size_t last) {
    const std::string key = absl::StrCat("other:", at(first));
    for (size_t k = first; k <= last; ++k) {
      names.insert(std::string(at(k)));
      out.push_back({text.origin[words[k].begin], text.origin[words[k].end],
                     EntityType::kPersonOther, key, 0});
    }
  };
  // A cue of `bits` among the `window` words before word k, in the same sentence: "notre
  // chienne Nala" (a pet's name), "un chevalier qui s'appelait Arthur" (a character's).
  auto cue_before = [&](size_t k, size_t window, uint32_t bits) {
    for (size_t j = k; j > 0 && j + window > k; --j) {
      if (absl::string_view(f).substr(words[j - 1].end, words[j].begin - words[j - 1].end)
              .find_first_of(".!?\n") != absl::string_view::npos) {
        break;
      }
      if (kinds[j - 1] & bits) return true;
    }
    return false;
  };
  auto pet_before = [&](size_t k) { return cue_before(k, 5, kPet); };
  // Names of things and characters, left in clear wherever they recur.
  absl::flat_hash_set<absl::string_view> characters;
  // Blanks only, or an elision's apostrophe ("d'Angèle").
  auto tight = [&](size_t k) {
    return joined(k, false) ||
           absl::string_view(f).substr(words[k - 1].end, words[k].begin - words[k - 1].end) == "'";
  };
  // A name that a noun before it makes a thing's or a character's, with no punctuation
  // between: "le géant Barnabé", "la tempête Philippe", "la loi de Beer-Lambert"; a work's or
  // a building's only with "de" or a name of several words ("le concert d'Angèle", "les
  // laboratoires Pierre Fabre"): "au musée Inès a adoré" is Inès.
  auto after_character_noun = [&](size_t k) {
    size_t start = k;
    while (start > 0 && (joined(start, true) || (joined(start, false) && capitalised(start - 1)))) {
      --start;
    }
    if (start == 0 || !tight(start)) return false;
    size_t j = start - 1;
    const bool via_de = (at(j) == "de" || at(j) == "d") && j > 0;
    if (via_de && !joined(j--, false)) return false;
    if (capitalised(j)) return false;
    // A name of several words, before or after k: "Pierre Fabre", "Victor-Provo".
    const bool several = start < k || (k + 1 < n && capitalised(k + 1) &&
                                       (joined(k + 1, true) || joined(k + 1, false)));
    return (kinds[j] & (kStoryCharacter | kNamedThing)) ||
           ((kinds[j] & kMaker) && (via_de || several));
  };
  // A figure's full name in the 30 words before: "Victor Hugo ... sa fille Léopoldine".
  auto figure_before = [&](size_t k) {
    for (size_t j = k; j > 0 && j + 30 > k; --j) {
      if (tokenized.in_figure[j - 1] == kFigureWord) return true;
    }
    return false;
  };
  // Family titles in other languages come before the name and are none: "Cher Jeddi",
  // "Mamm-gozh Annick". Returns the word after them, or n when no word follows.
  auto past_family_titles = [&](size_t j) {
    if (j >= n || !capitalised(j) || !(kinds[j] & kFamilyTitle)) return j;
    while (j < n && (kinds[j] & kFamilyTitle)) {
      if (j + 1 >= n || !(joined(j + 1, false) || joined(j + 1, true))) return n;
      ++j;
    }
    return j;
  };
  // A first- or second-person possessive among the 10 words before word k in its sentence:
  // "ma sœur s'appelle Inès" names the pupil's sister, even in a story.
  auto own_before = [&](size_t k) { return cue_before(k, 10, kOwnPossessive); };
  for (size_t k = 0; k + 1 < n; ++k) {
    const absl::string_view w = at(k);
    const uint32_t kind = kinds[k];
    if (kind == 0) continue;  // most words
    size_t j = k + 1;
    const bool pupils_own = (kind & kOwnPossessive) != 0;
    if (kind & kPossessive) {
      // Up to three relation words: "ma meilleure amie", "mon grand-père", "ma tutrice de stage".
      size_t relation_words = 0;
      while (j < n && relation_words < 3 && (kinds[j] & kRelation)) {
        ++j;
        ++relation_words;
      }
      if (relation_words == 0 || j >= n) continue;
      // "mes meilleurs copains c'est Titou".
      if (j + 2 < n && at(j) == "c" && at(j + 1) == "est") j += 2;
      // "la Grande Ourse", "La Petite Châtelaine": a capitalised "grand" or "petit" is a
      // title's ("MON FRÈRE KYLLIAN" in capitals is not).
      const absl::string_view relation = at(k + 1);
      if (capitalised(k + 1) && !all_caps(k + 1) &&
          (relation == "grand" || relation == "grande" || relation == "petit" ||
           relation == "petite")) {
        continue;
      }
      // "sa fille Léopoldine" in an essay on Hugo: the figure's family, not the pupil's.
      // In a story, "le professeur Gustave", "sa cousine Mirabelle" are characters too.
      if (((kind & kThirdPerson) && figure_before(k) && capitalised(j)) ||
          (fiction && !pupils_own && capitalised(j))) {
        characters.insert(at(j));
        continue;
      }
      if ((kinds[j] & kTitle) && j + 1 < n) ++j;
      // After a cue, a capitalised word is a name even when it is also a word ("mon ami Romain").
      if (!joined(j, false, /*comma=*/true)) continue;
    } else if ((kind & kTitle) && text.upper[words[k].begin]) {
      if (!joined(j, false)) continue;  // "M. Perrin", "Madame Maréchal"
      if (w == "m" && f.compare(words[k].end, 1, ".") != 0) continue;  // "M'appelle"
    } else if (kind & (kFamilyTitle | kGreeting)) {
      if (!joined(j, false)) continue;  // "Mémé Catherine", "Chère Rania"
      if ((kinds[j] & kTitle) && j + 1 < n) ++j;
    } else if (kind & kPersonField) {
      // The value after the field's colon on the same line: "Nom : KLEIN Malika".
      while (j < n && j < k + 5 && !capitalised(j)) ++j;
      const size_t colon = f.find(':', words[k].end);
      if (j >= n || colon == std::string::npos || colon > words[j].begin ||
          f.find('\n', words[k].end) < words[j].begin) {
        continue;
      }
      if ((kinds[j] & kTitle) && j + 1 < n) ++j;
      // "Prénom(s) : Chelsea, Marie": given names are listed with commas.
      const bool given_names = w == "prenom" || w == "prenoms";
      size_t last = j - 1;
      while (last + 1 < n && capitalised(last + 1) && !figure_word(last + 1) &&
             (last + 1 == j || joined(last + 1, false) || joined(last + 1, true) ||
              (given_names && joined(last + 1, false, /*comma=*/true)))) {
        ++last;
      }
      if (last >= j) {
        add(j, last);
        k = last;
      }
      continue;
    } else {
      continue;
    }
    j = past_family_titles(j);
    if (j >= n) continue;
    // "un chevalier qui s'appelait Arthur", "le chien de Ewen qui s'appelle Rocky"; in a
    // story, "Je m'appelle Églantine" is a character speaking; "ma sœur s'appelle Inès" is not.
    const bool named_thing = (kind & kGreeting) && absl::StartsWith(w, "appel") &&
                             !own_before(k) &&
                             (fiction || cue_before(k, 6, kStoryCharacter | kPet));
    if (named_thing || after_character_noun(j) || (!pupils_own && characters.contains(at(j)))) {
      if (capitalised(j)) characters.insert(at(j));
      continue;
    }
    const size_t last = name_from(j);
    if (last < j || pet_before(j)) continue;
    add(j, last);
    k = last;
  }
  const std::vector<uint8_t>& in_figure = tokenized.in_figure;
  // "une Clio", "une vieille Mercedes", "une Renault Clio": a car; "Un jour Inès" is Inès.
  auto after_un = [&](size_t k) {
    if (k == 0 || !joined(k, false)) return false;
    if (at(k - 1) == "un" || at(k - 1) == "une") return true;
    static const auto* adjectives = new absl::flat_hash_set<absl::string_view>{
        "vieille", "vieux", "vieil", "nouvelle", "nouveau", "petite", "petit", "belle", "beau",
        "grosse", "gros", "grande", "grand", "superbe"};
    return k > 1 && (at(k - 2) == "un" || at(k - 2) == "une") && joined(k - 1, false) &&
           (capitalised(k - 1) || adjectives->contains(at(k - 1)));
  };
  // Once introduced, the person is re-found wherever the name is written capitalised; a
  // gazetteer first name is a person too, with the surname beside it ("Virginie Mukendi",
  // "CARVALHO Marjorie") unless the pair is a listed public figure.
  for (size_t k = 0; k < n; ++k) {
    if (figure_word(k) || !text.upper[words[k].begin] || (kinds[k] & kFeast)) continue;
    const absl::string_view w = at(k);
    const bool first_name =
        (tokenized.flags[k] & (Lexicon::kFirstName | Lexicon::kCommonWord)) == Lexicon::kFirstName;
    if (!names.empty() && names.contains(w) && !after_character_noun(k) && !after_un(k)) {
      out.push_back({text.origin[words[k].begin], text.origin[words[k].end],
                     EntityType::kPersonOther, absl::StrCat("other:", w), 0});
      continue;
    }
    // A figure's surname alone ("Hugo dénonce"), once no cue made it someone's.
    if (in_figure[k] == kFigureSurname || after_un(k)) continue;
    if (!first_name || w.size() < 3 || pet_before(k) || characters.contains(w) || fiction) {
      continue;
    }
    // "le chevalier Arthur", "un chevalier qui s'appelait Arthur".
    if (after_character_noun(k) ||
        (k > 0 && (absl::StartsWith(at(k - 1), "appel") || absl::StartsWith(at(k - 1), "apel")) &&
         !own_before(k) && cue_before(k, 7, kStoryCharacter | kPet))) {
      characters.insert(w);
      continue;
    }
    // "São João", "San Juan": the saint's word before the saint's name.
    if (k + 1 < n && in_figure[k + 1] == kStandsForFigure &&
        (joined(k + 1, true) || joined(k + 1, false))) {
      continue;
    }
    // "on joue à Zelda": a game.
    if (k > 1 && at(k - 1) == "a" && absl::StartsWith(at(k - 2), "jou")) continue;
    // After an article a first name is a thing: "La France", "le Grand Paul" is rare enough.
    if (k > 0 && joined(k, false) && (kinds[k - 1] & kArticle)) continue;
    size_t first = k;
    if (k > 0 && all_caps(k - 1) && joined(k, false) && !figure_word(k - 1)) first = k - 1;
    const size_t last = name_from(k);
    // None ("KeVin" is written like a brand): `last` is k - 1, which wraps around at 0.
    if (last + 1 == k) continue;
    add(first, last);
    k = last;
  }
}

}  // namespace gardefou::pseudonym
