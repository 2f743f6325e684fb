// The kinship and neighbourhood cues, and the capitalised-name rule after them.
#include "service/pseudonym/other_person_detector.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace gardefou::pseudonym {
namespace {

const absl::flat_hash_set<std::string>& Relations() {
  static const auto* relations = new absl::flat_hash_set<std::string>{
      "frere", "soeur", "cousin", "cousine", "voisin", "voisine", "tante", "oncle", "pere",
      "mere", "ami", "amie", "copain", "copine", "parrain", "marraine", "grand", "grands",
      "demi", "beau", "belle", "papi", "papy", "mamie", "mamy", "pote", "camarade", "coach",
      "entraineur", "entraineuse", "nounou", "meilleur", "meilleure", "correspondant",
      "correspondante", "fils", "fille", "neveu", "niece", "mari", "femme", "copains", "amis"};
  return *relations;
}

const absl::flat_hash_set<std::string>& Titles() {
  static const auto* titles = new absl::flat_hash_set<std::string>{
      "m", "mme", "mlle", "monsieur", "madame", "mademoiselle", "dr", "docteur", "maitre"};
  return *titles;
}

}  // namespace

void FindOtherPeople(const TokenizedText& tokenized, std::vector<Span>& out) {
  const FoldedText& text = *tokenized.folded;
  const std::string& f = text.text;
  const std::vector<Token>& words = tokenized.tokens;
  auto at = [&](size_t k) { return tokenized.word(k); };
  auto capitalised = [&](size_t k) {
    return text.upper[words[k].begin] && words[k].end - words[k].begin >= 2;
  };
  // The text between two words is only blanks, or a hyphen when `hyphen`; a title's
  // abbreviation point ("Mme. Perrin", "M. Perrin") is allowed after a title.
  auto joined = [&](size_t k, bool hyphen) {
    const absl::string_view gap =
        absl::string_view(f).substr(words[k - 1].end, words[k].begin - words[k - 1].end);
    const bool after_title = Titles().contains(at(k - 1));
    return !gap.empty() && gap.size() <= 3 &&
           gap.find_first_not_of(hyphen ? "-" : after_title ? " .\t" : " \t") ==
               absl::string_view::npos;
  };
  absl::flat_hash_set<std::string> names;
  for (size_t k = 0; k + 1 < words.size(); ++k) {
    const absl::string_view w = at(k);
    if (w.size() > 5 || (w[0] != 'm' && w[0] != 'n' && w[0] != 't')) continue;  // cheap first
    if (w != "mon" && w != "ma" && w != "mes" && w != "notre" && w != "ton" && w != "ta") continue;
    // Up to three relation words: "ma meilleure amie", "mon grand-père", "ma demi-soeur".
    size_t j = k + 1;
    size_t relation_words = 0;
    while (j < words.size() && relation_words < 3 && Relations().contains(at(j))) {
      ++j;
      ++relation_words;
    }
    if (relation_words == 0 || j >= words.size()) continue;
    if (Titles().contains(at(j)) && j + 1 < words.size()) ++j;
    // After a cue, a capitalised word is a name even when it is also a word ("mon ami Romain").
    if (!capitalised(j) || !joined(j, false)) continue;
    size_t last = j;
    while (last + 1 < words.size() && capitalised(last + 1) && joined(last + 1, true)) ++last;
    if (last + 1 < words.size() && capitalised(last + 1) && joined(last + 1, false) &&
        !(tokenized.flags[last + 1] & Lexicon::kCommonWord)) {
      ++last;  // a surname: "ma voisine Mme Carmen Perrin"
    }
    std::string key = "other:" + std::string(at(j));
    names.insert(std::string(at(j)));
    out.push_back({text.origin[words[j].begin], text.origin[words[last].end],
                   EntityType::kPersonOther, key, 0});
    k = last;
  }
  const std::vector<uint8_t>& in_figure = tokenized.in_figure;
  // Once introduced, the person is re-found wherever the name is written capitalised; a
  // gazetteer first name standing alone is a person too.
  for (size_t k = 0; k < words.size(); ++k) {
    if (in_figure[k] || !text.upper[words[k].begin]) continue;
    const absl::string_view w = at(k);
    auto alone = [&] {
      return (k + 1 >= words.size() || !capitalised(k + 1) || !joined(k + 1, false)) &&
             (k == 0 || !capitalised(k - 1) || !joined(k, false));
    };
    const bool first_name =
        (tokenized.flags[k] & (Lexicon::kFirstName | Lexicon::kCommonWord)) == Lexicon::kFirstName;
    if ((!names.empty() && names.contains(w)) || (first_name && w.size() >= 3 && alone())) {
      out.push_back({text.origin[words[k].begin], text.origin[words[k].end],
                     EntityType::kPersonOther, absl::StrCat("other:", w), 0});
    }
  }
}

}  // namespace gardefou::pseudonym
