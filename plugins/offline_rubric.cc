// The rules of the offline-rubric provider. Comments are in French, like the copies.
#include "plugins/offline_rubric.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gardefou::plugins {
namespace {

constexpr size_t kLongSentenceWords = 35;
constexpr size_t kExpectedWords = 250;
constexpr size_t kMaxAnnotations = 20;
constexpr size_t kExcerptBytes = 80;

const std::set<std::string, std::less<>>& StopWords() {
  static const auto* words = new std::set<std::string, std::less<>>{
      "avec", "dans", "donc", "elles", "entre", "leurs", "mais", "meme", "notre", "nous",
      "parce", "pour", "quand", "quelle", "quelles", "quels", "sans", "selon", "sont",
      "cette", "celui", "celle", "ceux", "comme", "autre", "autres", "aussi", "alors",
      "votre", "vous", "tres", "plus", "moins", "etre", "avoir", "fait", "faire", "tout",
      "toute", "toutes", "tous", "bien", "peut", "doit", "dont", "chaque", "texte",
      "copie", "eleve"};
  return *words;
}

// Lower-cases ASCII and folds the Latin-1 accented letters of French to their base letter.
std::string Fold(absl::string_view text) {
  static const std::map<std::string, char, std::less<>> kFolds = {
      {"à", 'a'}, {"â", 'a'}, {"ä", 'a'}, {"À", 'a'}, {"Â", 'a'}, {"ç", 'c'}, {"Ç", 'c'},
      {"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'}, {"É", 'e'}, {"È", 'e'}, {"Ê", 'e'},
      {"î", 'i'}, {"ï", 'i'}, {"Î", 'i'}, {"ô", 'o'}, {"ö", 'o'}, {"Ô", 'o'}, {"ù", 'u'},
      {"û", 'u'}, {"ü", 'u'}, {"Û", 'u'}, {"ÿ", 'y'}};
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = text[i];
    if (c < 0x80) {
      out.push_back(static_cast<char>(std::tolower(c)));
      ++i;
      continue;
    }
    if (i + 1 < text.size()) {
      auto it = kFolds.find(text.substr(i, 2));
      if (it != kFolds.end()) {
        out.push_back(it->second);
        i += 2;
        continue;
      }
    }
    out.push_back(' ');  // any other non-ASCII character separates words
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return out;
}

std::vector<std::string> Words(absl::string_view folded) {
  std::vector<std::string> words;
  std::string current;
  for (char c : folded) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      current.push_back(c);
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

std::vector<std::string> Keywords(const model::CriterionRecord& criterion) {
  std::string source = criterion.label;
  for (const auto& d : criterion.descriptors) absl::StrAppend(&source, " ", d);
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (std::string& w : Words(Fold(source))) {
    if (w.size() < 5 || StopWords().contains(w) || !seen.insert(w).second) continue;
    out.push_back(std::move(w));
  }
  return out;
}

// Cuts at most `max_bytes` of `text` without splitting a UTF-8 sequence.
std::string Excerpt(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return absl::StrCat(text.substr(0, end), "…");
}

std::vector<absl::string_view> Sentences(absl::string_view text) {
  std::vector<absl::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.' || text[i] == '!' || text[i] == '?' ||
        text[i] == '\n') {
      absl::string_view s = text.substr(start, i - start);
      while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
      if (!s.empty()) out.push_back(s);
      start = i + 1;
    }
  }
  return out;
}

struct Coverage {
  std::vector<std::string> found;
  std::vector<std::string> missing;
  double ratio() const {
    const size_t total = found.size() + missing.size();
    return total == 0 ? 0.5 : static_cast<double>(found.size()) / total;
  }
};

Coverage MeasureCoverage(const model::CriterionRecord& criterion,
                         const std::set<std::string>& text_words) {
  Coverage c;
  for (std::string& k : Keywords(criterion)) {
    // A keyword counts when the text holds a word sharing its first 5 letters (a crude stem).
    const bool hit = std::any_of(text_words.begin(), text_words.end(), [&](const auto& w) {
      return w.size() >= 5 && w.compare(0, 5, k, 0, 5) == 0;
    });
    (hit ? c.found : c.missing).push_back(std::move(k));
  }
  return c;
}

double RoundToHalf(double v) { return std::round(v * 2.0) / 2.0; }

void Evaluate(const ProviderRequest& request, const std::set<std::string>& text_words,
              size_t word_count, ProviderReply& reply) {
  const double length_factor =
      std::min(1.0, static_cast<double>(word_count) / static_cast<double>(kExpectedWords));
  for (const auto& criterion : request.criteria) {
    const Coverage c = MeasureCoverage(criterion, text_words);
    const double share = std::clamp(0.2 + 0.5 * c.ratio() + 0.3 * length_factor, 0.0, 1.0);
    const double points = std::min(criterion.max_points, RoundToHalf(criterion.max_points * share));
    std::string rationale = absl::StrCat(
        "Heuristique hors ligne : ", c.found.size(), " mot(s)-clé(s) des descripteurs sur ",
        c.found.size() + c.missing.size(), " retrouvé(s)");
    if (!c.found.empty()) absl::StrAppend(&rationale, " (", absl::StrJoin(c.found, ", "), ")");
    absl::StrAppend(&rationale, " ; longueur ", word_count, " mots pour ", kExpectedWords,
                    " attendus. À vérifier par l'enseignant.");
    reply.criteria.push_back({criterion.id, points, std::move(rationale)});
  }
  reply.summary = "Proposition heuristique : couverture des descripteurs et longueur du texte.";
}

void Correct(const ProviderRequest& request, const std::vector<std::string>& words,
             ProviderReply& reply) {
  for (absl::string_view sentence : Sentences(request.copy_text)) {
    if (reply.annotations.size() >= kMaxAnnotations) break;
    const size_t n = Words(Fold(sentence)).size();
    if (n > kLongSentenceWords) {
      reply.annotations.push_back({Excerpt(sentence, kExcerptBytes),
                                   absl::StrCat("Phrase très longue (", n,
                                                " mots) : envisager de la couper.")});
    }
    const unsigned char first = sentence.front();
    if (first >= 'a' && first <= 'z') {
      reply.annotations.push_back(
          {Excerpt(sentence, kExcerptBytes), "Majuscule attendue en début de phrase."});
    }
  }
  std::map<std::string, int> counts;
  for (const auto& w : words) {
    if (w.size() >= 5 && !StopWords().contains(w)) ++counts[w];
  }
  for (const auto& [word, count] : counts) {
    if (reply.annotations.size() >= kMaxAnnotations) break;
    if (count >= 4) {
      reply.annotations.push_back(
          {word, absl::StrCat("Le mot « ", word, " » revient ", count,
                              " fois : varier le vocabulaire.")});
    }
  }
  reply.summary = absl::StrCat("Relecture heuristique : ", reply.annotations.size(),
                               " remarque(s) sur la forme (longueur des phrases, majuscules, "
                               "répétitions). Le fond n'est pas évalué.");
}

void ProposeExtraWork(const ProviderRequest& request, const std::set<std::string>& text_words,
                      ProviderReply& reply) {
  std::vector<std::pair<double, const model::CriterionRecord*>> weakest;
  std::map<const model::CriterionRecord*, Coverage> coverage;
  for (const auto& criterion : request.criteria) {
    coverage[&criterion] = MeasureCoverage(criterion, text_words);
    weakest.emplace_back(coverage[&criterion].ratio(), &criterion);
  }
  std::stable_sort(weakest.begin(), weakest.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [ratio, criterion] : weakest) {
    if (reply.extra_work.size() >= 3 || ratio >= 0.75) break;
    const Coverage& c = coverage[criterion];
    std::string description =
        absl::StrCat("Rédiger un paragraphe de 5 à 8 lignes travaillant le critère « ",
                     criterion->label, " »");
    if (!c.missing.empty()) {
      absl::StrAppend(&description, " en mobilisant : ", absl::StrJoin(c.missing, ", "));
    }
    absl::StrAppend(&description, ".");
    reply.extra_work.push_back({absl::StrCat("x", reply.extra_work.size() + 1),
                                std::move(description),
                                absl::StrCat("Heuristique : couverture des descripteurs de ",
                                             static_cast<int>(std::round(ratio * 100)), " %.")});
  }
  if (reply.extra_work.empty()) {
    reply.extra_work.push_back({"x1", "Relire la copie à voix haute et corriger trois phrases.",
                                "Heuristique : les descripteurs sont bien couverts."});
  }
  reply.summary = "Propositions heuristiques de remédiation, à retenir ou non par l'enseignant.";
}

}  // namespace

absl::StatusOr<ProviderReply> OfflineRubricProvider::Suggest(const ProviderRequest& request) {
  ProviderReply reply;
  reply.model = "offline-rubric-1";
  reply.heuristic = true;
  const std::vector<std::string> words = Words(Fold(request.copy_text));
  const std::set<std::string> text_words(words.begin(), words.end());
  switch (request.purpose) {
    case model::Purpose::kEvaluation:
      Evaluate(request, text_words, words.size(), reply);
      break;
    case model::Purpose::kCorrection:
      Correct(request, words, reply);
      break;
    case model::Purpose::kExtraWork:
      ProposeExtraWork(request, text_words, reply);
      break;
    case model::Purpose::kAiDetection:
      return absl::UnimplementedError("offline-rubric does not detect AI-written text");
  }
  return reply;
}

}  // namespace gardefou::plugins
