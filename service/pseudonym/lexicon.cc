// Loading of the word lists.
#include "service/pseudonym/lexicon.h"

#include <algorithm>

#include <unistd.h>

#include <fstream>
#include <map>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "service/pseudonym/fold.h"

namespace gardefou::pseudonym {
namespace {

constexpr char kDebianWordList[] = "/usr/share/dict/french";  // package wfrench

}  // namespace

std::vector<std::string> FoldedWords(absl::string_view folded) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && !IsWordChar(folded[i])) ++i;
    const size_t start = i;
    if (i < folded.size()) i = WordEnd(folded, i);
    if (i > start) words.emplace_back(folded.substr(start, i - start));
  }
  return words;
}

absl::StatusOr<Lexicon> Lexicon::Load(const std::string& dictionary_path,
                                      const std::string& figures_path,
                                      const std::string& first_names_path,
                                      const std::string& communes_path) {
  Lexicon lexicon;
  std::ifstream dictionary(dictionary_path);
  if (!dictionary) {
    return absl::UnavailableError(absl::StrCat(
        "cannot read the common-word list ", dictionary_path, " (Debian package wfrench)"));
  }
  std::string line;
  while (std::getline(dictionary, line)) {
    if (line.empty() || (line[0] >= 'A' && line[0] <= 'Z')) continue;
    const FoldedText folded = Fold(line);
    if (!folded.upper.empty() && folded.upper[0]) continue;  // "Émile", "Élodie": proper nouns
    if (folded.text.find_first_of(" -'") != std::string::npos) continue;
    lexicon.flags_[folded.text] |= kCommonWord;
  }
  std::ifstream figures(figures_path);
  if (!figures) {
    return absl::UnavailableError(absl::StrCat("cannot read the public-figure list ", figures_path));
  }
  while (std::getline(figures, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> words = FoldedWords(FoldString(line));
    if (!words.empty()) lexicon.figures_.push_back(std::move(words));
  }
  std::ifstream first_names(first_names_path);
  for (const auto& figure : lexicon.figures_) {
    // Keyed by the first two words: "jean", "marie" or "victor" start hundreds of names.
    const std::string key = figure.size() == 1 ? figure[0] : absl::StrCat(figure[0], " ", figure[1]);
    lexicon.figures_by_first_[key].push_back(&figure);
    lexicon.flags_[figure[0]] |= kFigureStart;
  }
  if (!first_names) {
    return absl::UnavailableError(absl::StrCat("cannot read the first-name list ", first_names_path));
  }
  while (std::getline(first_names, line)) {
    if (line.empty() || line[0] == '#') continue;
    for (std::string& w : FoldedWords(FoldString(line))) lexicon.flags_[w] |= kFirstName;
  }
  std::ifstream communes(communes_path);
  if (!communes) {
    return absl::UnavailableError(absl::StrCat("cannot read the commune list ", communes_path));
  }
  while (std::getline(communes, line)) {
    if (line.empty() || line[0] == '#') continue;
    // "Saint-Martin<TAB>32,54,65": the name, then its départements.
    const size_t tab = line.find('\t');
    const std::vector<std::string> words = FoldedWords(FoldString(line.substr(0, tab)));
    if (words.empty() || words.size() > kMaxCommuneWords) continue;
    lexicon.flags_[words[0]] |= kCommuneStart;
    // Names that fold alike ("Saint-Étienne", "Saint-Etienne") share their départements.
    std::string& departements = lexicon.communes_[absl::StrJoin(words, " ")];
    if (tab != std::string::npos) {
      absl::StrAppend(&departements, departements.empty() ? "," : "", line.substr(tab + 1), ",");
    }
  }
  return lexicon;
}

size_t Lexicon::CommuneLength(const std::vector<absl::string_view>& words) const {
  std::string joined;
  size_t longest = 0;
  for (size_t n = 0; n < words.size() && n < kMaxCommuneWords; ++n) {
    if (n > 0) joined += ' ';
    joined.append(words[n].data(), words[n].size());
    if (communes_.contains(joined)) longest = n + 1;
  }
  return longest;
}

bool Lexicon::CommuneIn(absl::string_view name, absl::string_view departement) const {
  auto it = communes_.find(name);
  return !departement.empty() && it != communes_.end() &&
         absl::StrContains(it->second, absl::StrCat(",", departement, ","));
}

std::string DepartementOfPostcode(absl::string_view postcode) {
  if (postcode.size() != 5 || !std::all_of(postcode.begin(), postcode.end(), [](char c) {
        return c >= '0' && c <= '9';
      })) {
    return "";
  }
  if (postcode == "97133") return "977";  // Saint-Barthélemy
  if (postcode == "97150") return "978";  // Saint-Martin
  if (postcode.substr(0, 2) == "97" || postcode.substr(0, 2) == "98") {
    return std::string(postcode.substr(0, 3));
  }
  if (postcode.substr(0, 2) == "20") return postcode < "20200" ? "2A" : "2B";  // Corse
  return std::string(postcode.substr(0, 2));
}

void Lexicon::FiguresStartingWith(absl::string_view first, absl::string_view second,
                                  std::vector<const std::vector<std::string>*>& out) const {
  out.clear();
  std::string key(first);
  if (auto it = figures_by_first_.find(key); it != figures_by_first_.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  if (second.empty()) return;
  absl::StrAppend(&key, " ", second);
  if (auto it = figures_by_first_.find(key); it != figures_by_first_.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
}

absl::StatusOr<const Lexicon*> Lexicon::Shared(const std::string& data_dir) {
  static absl::Mutex mutex;
  // Never destroyed: the lexicons outlive every server and detector that points into them.
  static auto* loaded = new std::map<std::string, std::unique_ptr<absl::StatusOr<Lexicon>>>();
  absl::MutexLock lock(&mutex);
  auto& slot = (*loaded)[data_dir];
  if (slot == nullptr) {
    const std::string own_words = data_dir + "/common_words.txt";
    const std::string dictionary =
        ::access(own_words.c_str(), R_OK) == 0 ? own_words : std::string(kDebianWordList);
    slot = std::make_unique<absl::StatusOr<Lexicon>>(Load(dictionary,
        data_dir + "/public_figures.txt", data_dir + "/first_names.txt",
        data_dir + "/french_communes.txt"));
  }
  if (!slot->ok()) return slot->status();
  return &**slot;
}

}  // namespace gardefou::pseudonym
