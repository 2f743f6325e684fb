// Detection, overlap resolution (structured identifiers first, then longer names), merging of
// adjacent parts of one name, and placeholder assignment.
#include "service/pseudonym/pseudonymizer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "service/pseudonym/fold.h"
#include "service/pseudonym/other_person_detector.h"
#include "service/pseudonym/place_detector.h"

namespace gardefou::pseudonym {
namespace {

std::vector<Span> Resolve(std::vector<Span>& spans, absl::string_view text) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    if (a.end - a.begin != b.end - b.begin) return a.end - a.begin > b.end - b.begin;
    return a.begin < b.begin;
  });
  // A text holds a handful of spans: each candidate is checked against those accepted.
  std::vector<Span> kept;
  for (Span& s : spans) {
    const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const Span& k) {
      return s.begin < k.end && k.begin < s.end;
    });
    if (!overlaps) kept.push_back(std::move(s));
  }
  std::sort(kept.begin(), kept.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  // "Jean-" + "Pierre" or a name and its typo'd second half: one mention, one placeholder.
  std::vector<Span> merged;
  for (Span& s : kept) {
    if (!merged.empty() && merged.back().key == s.key) {
      absl::string_view gap = text.substr(merged.back().end, s.begin - merged.back().end);
      if (gap.size() <= 2 && gap.find_first_not_of(" -") == absl::string_view::npos) {
        merged.back().end = s.end;
        continue;
      }
    }
    merged.push_back(std::move(s));
  }
  return merged;
}

}  // namespace

Pseudonymizer::Pseudonymizer(const model::RosterRecord& roster, const std::string& author_id,
                             const Lexicon& lexicon)
    : lexicon_(lexicon),
      roster_(roster, lexicon),
      school_(roster.school.name),
      departement_(DepartementOfPostcode(roster.school.postcode)) {
  if (!author_id.empty()) {
    author_key_ = "student:" + author_id;
    placeholders_["student:" + author_id] = "[ELEVE_1]";
    next_number_[static_cast<int>(EntityType::kStudent)] = 1;
    for (const auto& s : roster.students) {
      if (s.id == author_id) {
        mapping_["[ELEVE_1]"] = {EntityType::kStudent, absl::StrCat(s.first, " ", s.last)};
      }
    }
  }
}

std::string Pseudonymizer::PlaceholderFor(const Span& span, absl::string_view surface) {
  auto it = placeholders_.find(span.key);
  if (it != placeholders_.end()) return it->second;
  const int number = ++next_number_[static_cast<int>(span.type)];
  std::string placeholder = absl::StrCat("[", PlaceholderPrefix(span.type), "_", number, "]");
  placeholders_.emplace(span.key, placeholder);
  mapping_[placeholder] = {span.type, std::string(surface)};
  return placeholder;
}

Replacement Pseudonymizer::Apply(absl::string_view text) {
  spans_.clear();
  structured_.Find(text, spans_);
  Fold(text, folded_);
  Tokenize(folded_, lexicon_, words_);
  structured_.FindAfterCueWords(text, words_, spans_);
  roster_.Find(words_, spans_, author_key_);
  school_.Find(words_, spans_);
  FindPlaces(words_, lexicon_, departement_, spans_);
  FindOtherPeople(words_, spans_);

  Replacement out;
  out.text.reserve(text.size());
  const std::vector<Span> resolved = Resolve(spans_, text);
  out.entities.reserve(resolved.size());
  size_t copied = 0;
  for (const Span& span : resolved) {
    const absl::string_view surface = text.substr(span.begin, span.end - span.begin);
    std::string placeholder = PlaceholderFor(span, surface);
    absl::StrAppend(&out.text, text.substr(copied, span.begin - copied));
    out.text.append(placeholder);
    copied = span.end;
    ++counts_[static_cast<int>(span.type)];
    out.entities.push_back({span.type, span.begin, span.end, std::move(placeholder)});
  }
  absl::StrAppend(&out.text, text.substr(copied));
  return out;
}

}  // namespace gardefou::pseudonym
