// The gate's word check and identifier check.
#include "service/pseudonym/leak_gate.h"

#include <re2/re2.h>

#include "absl/strings/ascii.h"
#include "service/pseudonym/figure_spotter.h"
#include "service/pseudonym/fold.h"
#include "service/pseudonym/thing_names.h"
#include "service/pseudonym/structured_detector.h"

namespace gardefou::pseudonym {
namespace {

const absl::flat_hash_set<std::string>& Ignored() {
  static const auto* words = new absl::flat_hash_set<std::string>{
      "le", "la", "les", "de", "du", "des", "da", "di", "van", "von", "ben", "el", "al",
      "saint", "sainte", "college", "lycee", "ecole", "groupe", "scolaire", "prive", "privee",
      "public", "publique", "institut", "cite", "eleve", "prof", "etablissement", "ville",
      // particles of place names: "Villeneuve-sur-Lot" is not in "Sur la carte"
      "sur", "sous", "lez", "aux", "pres", "en", "et"};
  return *words;
}

bool IsAlnum(char c) { return IsWordChar(c); }

}  // namespace

LeakGate::LeakGate(const model::RosterRecord& roster, const Lexicon& lexicon) : lexicon_(lexicon) {
  auto add_words = [&](absl::string_view text, const std::string& type) {
    std::vector<std::string> all = FoldedWords(FoldString(text));
    for (size_t i = 0; i < all.size(); ++i) {
      std::string& w = all[i];
      const bool last = i + 1 == all.size();
      if (w.size() < 3 || Ignored().contains(w)) continue;
      // The given name of the school's patron ("Jean" of "Collège Jean-Jaurès") names no
      // school on its own: the moniteur Jean-Baptiste is not the school. Its last word does
      // ("Hugo" of "Collège Victor-Hugo").
      if (type == "SCHOOL" && !last && (lexicon_.Flags(w) & Lexicon::kFirstName)) continue;
      word_types_[w] = type;
      (lexicon_.IsCommonWord(w) ? capital_only_ : any_case_).insert(std::move(w));
    }
  };
  for (const auto& p : roster.students) {
    add_words(p.first, "STUDENT");
    add_words(p.last, "STUDENT");
    for (const auto& a : p.aliases) add_words(a, "STUDENT");
    if (!p.ine.empty()) identifiers_.push_back(FoldString(p.ine));
  }
  for (const auto& p : roster.teachers) {
    add_words(p.first, "STAFF");
    add_words(p.last, "STAFF");
  }
  add_words(roster.school.name, "SCHOOL");
  add_words(roster.school.city, "PLACE");
  if (!roster.school.uai.empty()) identifiers_.push_back(FoldString(roster.school.uai));
}

std::map<std::string, int> LeakGate::Scan(absl::string_view raw_payload) const {
  std::map<std::string, int> hits;
  // Placeholders are ours: "[PERSONNE_1]" is not Mme Personne.
  static const RE2* placeholder = new RE2(R"(\[[A-Z_]+_[0-9]+\])");
  std::string payload(raw_payload);
  RE2::GlobalReplace(&payload, *placeholder, " ");
  const FoldedText folded = Fold(payload);
  const std::string& f = folded.text;

  // Words, outside the public figures an essay may discuss.
  std::vector<std::pair<size_t, size_t>> words;
  for (size_t i = 0; i < f.size();) {
    while (i < f.size() && !IsAlnum(f[i])) ++i;
    const size_t start = i;
    while (i < f.size() && IsAlnum(f[i])) ++i;
    if (i > start) words.emplace_back(start, i);
  }
  // The figures, saints and things the pseudonymiser leaves in clear, read the same way.
  auto word = [&](size_t k) {
    return absl::string_view(f).substr(words[k].first, words[k].second - words[k].first);
  };
  auto gap = [&](size_t k) {
    return absl::string_view(f).substr(words[k - 1].second, words[k].first - words[k - 1].second);
  };
  auto capitalised = [&](size_t k) { return folded.upper[words[k].first] != 0; };
  auto classes = [&](size_t k) { return WordClasses(word(k)); };
  std::vector<uint8_t> in_figure;
  std::vector<std::pair<size_t, size_t>> figures;
  SpotFigures(
      words.size(), word, gap,
      [&](size_t k) {
        return capitalised(k) && (lexicon_.Flags(word(k)) & Lexicon::kFigureStart) != 0;
      },
      capitalised, classes, lexicon_, in_figure, figures);
  auto names_a_thing = [&](size_t k) {
    return WrittenAsAThing(k, gap, capitalised, classes);
  };
  for (size_t k = 0; k < words.size(); ++k) {
    if (in_figure[k] == kFigureWord || in_figure[k] == kStandsForFigure || names_a_thing(k)) {
      continue;
    }
    const std::string w = f.substr(words[k].first, words[k].second - words[k].first);
    if (any_case_.contains(w) || (capital_only_.contains(w) && folded.upper[words[k].first])) {
      // A figure's surname alone is the figure for the school's patron ("le théorème de
      // Fermat" at lycée Pierre-de-Fermat), never for a pupil or a teacher.
      const std::string& type = word_types_.at(w);
      if (in_figure[k] == kFigureSurname && type == "SCHOOL") continue;
      ++hits[type];
    }
  }

  // Identifiers in any layout: runs of letters and digits joined by single separators.
  for (size_t i = 0; i < f.size();) {
    if (!IsAlnum(f[i])) {
      ++i;
      continue;
    }
    std::string run;
    size_t j = i;
    while (j < f.size()) {
      if (IsAlnum(f[j])) {
        run.push_back(f[j++]);
      } else if (j + 1 < f.size() && (f[j] == ' ' || f[j] == '.' || f[j] == '-' || f[j] == '/') &&
                 IsAlnum(f[j + 1]) && (absl::ascii_isdigit(f[j + 1]) || absl::ascii_isdigit(f[j - 1]))) {
        ++j;
      } else {
        break;
      }
    }
    for (const std::string& id : identifiers_) {
      if (run.find(id) != std::string::npos) ++hits[id.size() == 8 ? "SCHOOL" : "INE"];
    }
    static const RE2* phone = new RE2(R"((?:^|[^0-9])(?:0|33)[1-9][0-9]{8}(?:[^0-9]|$))");
    static const RE2* nir = new RE2(R"((?:^|[^0-9])([1-478][0-9]{4}(?:[0-9]{2}|2[ab])[0-9]{8})(?:[^0-9]|$))");
    if (RE2::PartialMatch(run, *phone)) ++hits["PHONE"];
    std::string nir_digits;
    if (RE2::PartialMatch(run, *nir, &nir_digits) && NirKeyValid(nir_digits)) ++hits["NIR"];
    i = j;
  }
  static const RE2* email = new RE2(R"((?i)[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})");
  static const RE2* handle = new RE2(R"((?:^|[^\w@])@[A-Za-z0-9_]{3,})");
  re2::StringPiece input(payload);
  while (RE2::FindAndConsume(&input, *email)) ++hits["EMAIL"];
  input = re2::StringPiece(payload);
  while (RE2::FindAndConsume(&input, *handle)) ++hits["HANDLE"];
  return hits;
}

}  // namespace gardefou::pseudonym
