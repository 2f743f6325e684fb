// School words, patron forms and the spans they give.
#include "service/pseudonym/school_detector.h"

#include "service/pseudonym/fold.h"
#include "service/pseudonym/lexicon.h"
#include "service/pseudonym/word_classes.h"

namespace gardefou::pseudonym {
namespace {

bool HyphenBefore(const TokenizedText& t, size_t k) {
  const absl::string_view gap = t.gap_before(k);
  return gap.size() == 1 && gap[0] == '-';
}

bool BlankBefore(const TokenizedText& t, size_t k) {
  const absl::string_view gap = t.gap_before(k);
  return !gap.empty() && gap.size() <= 3 && gap.find_first_not_of(" -.") == absl::string_view::npos;
}

}  // namespace

SchoolDetector::SchoolDetector(const std::string& school_name) {
  const std::vector<std::string> words = FoldedWords(FoldString(school_name));
  size_t i = 0;
  while (i < words.size() && (WordClasses(words[i]) & (kSchoolWord | kSchoolQualifier))) ++i;
  patron_.assign(words.begin() + i, words.end());
}

void SchoolDetector::Find(const TokenizedText& t, std::vector<Span>& out) const {
  const FoldedText& text = *t.folded;
  const size_t n = t.tokens.size();
  auto span = [&](size_t first, size_t last) {
    out.push_back({text.origin[t.tokens[first].begin], text.origin[t.tokens[last].end],
                   EntityType::kSchool, "school", 2});
  };
  // The patron's words from `k`, as a count of tokens: all of them; or, after a school word,
  // its last words ("Van der Meersch" for Maxence Van der Meersch, "Moulin").
  auto patron_at = [&](size_t k, bool need_hyphens) -> size_t {
    for (size_t from = 0; from < patron_.size(); ++from) {
      if (from > 0 && need_hyphens) break;
      const size_t length = patron_.size() - from;
      bool all = k + length <= n;
      for (size_t i = 0; all && i < length; ++i) {
        all = t.word(k + i) == patron_[from + i] &&
              (i == 0 || (need_hyphens ? HyphenBefore(t, k + i) : BlankBefore(t, k + i)));
      }
      if (all) return length;
    }
    return 0;
  };
  for (size_t k = 0; k < n; ++k) {
    if (t.classes[k] & kSchoolWord) {
      size_t j = k + 1;
      while (j < n && j < k + 3 && (t.classes[j] & kSchoolQualifier) && BlankBefore(t, j)) ++j;
      // An initial before the patron: "Lycée P. de Fermat".
      if (j + 1 < n && t.word(j).size() == 1 && t.capitalised(j) && BlankBefore(t, j + 1) &&
          patron_at(j + 1, false) > 0) {
        ++j;
      }
      if (j >= n || !BlankBefore(t, j)) continue;
      if (size_t length = patron_at(j, false); length > 0) {
        span(k, j + length - 1);
        k = j + length - 1;
        continue;
      }
      // Another school: capitalised words after the school word ("le lycée Thiers").
      size_t last = j;
      if (!t.capitalised(j)) continue;
      while (last + 1 < n && t.capitalised(last + 1) &&
             t.gap_before(last + 1).find_first_not_of(" -") == absl::string_view::npos) {
        ++last;
      }
      // One common word alone is not a school's name ("au collège Mardi"); "Jean-Jaurès" is.
      if (last == j && (t.flags[j] & Lexicon::kCommonWord)) continue;
      span(k, last);
      k = last;
      continue;
    }
    // The patron's surname alone and capitalised after "à", even when it is also a word
    // ("fermât"): "venir à Fermat" (lycée Pierre-de-Fermat).
    if (!patron_.empty() && patron_.back().size() >= 4 && k > 0 && t.word(k - 1) == "a" &&
        t.capitalised(k) && t.word(k) == patron_.back()) {
      span(k, k);
      continue;
    }
    if (patron_.size() >= 2 && t.word(k).size() == patron_[0].size() &&
        t.word(k)[0] == patron_[0][0]) {
      if (size_t length = patron_at(k, true); length == patron_.size()) {
        span(k, k + length - 1);
        k += length - 1;
      }
    }
  }
}

}  // namespace gardefou::pseudonym
