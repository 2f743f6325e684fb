// Finds roster people, the school and its city in a folded text: every form a pupil writes
// them in (full name in either order, first name alone, surname alone in any case, parts of
// hyphenated first names, compound surnames, aliases, initials, one-letter typos of long
// names). Token-level multi-pattern matching: one hash lookup per word, not one regex per name.
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "service/pseudonym/entity.h"
#include "service/pseudonym/fold.h"
#include "service/pseudonym/lexicon.h"
#include "service/store/records.h"

namespace gardefou::pseudonym {

class RosterMatcher {
 public:
  // `lexicon` must outlive the matcher.
  RosterMatcher(const store::RosterRecord& roster, const Lexicon& lexicon);

  // Appends to `out` the spans (in original byte offsets) of roster mentions in `text`.
  void Find(const FoldedText& text, std::vector<Span>& out) const;

 private:
  struct Pattern {
    std::vector<std::string> tokens;
    EntityType type;
    std::string key;
    bool needs_capital;  // a single common word: only a capitalised occurrence is a name
  };
  struct Token {
    size_t begin;  // folded offsets
    size_t end;
  };

  void Add(std::vector<std::string> tokens, EntityType type, const std::string& key);
  void AddPerson(const store::PersonRecord& person, EntityType type);
  // Length in tokens of `p` matched at token `at`, or 0. `beside_name`: the words touch a
  // mention of the same person, so a common word needs no capital ("jb moreau").
  size_t MatchAt(const Pattern& p, const FoldedText& text, const std::vector<Token>& tokens,
                 size_t at, bool beside_name = false) const;
  // Tokens of a pattern of person `key` that starts at `at`, or 0.
  size_t SamePersonAt(const std::string& key, const FoldedText& text,
                      const std::vector<Token>& tokens, size_t at) const;
  bool FuzzyMatch(absl::string_view word, const Pattern*& found) const;

  const Lexicon& lexicon_;
  std::vector<Pattern> patterns_;
  absl::flat_hash_map<std::string, std::vector<size_t>> by_first_token_;
  absl::flat_hash_map<std::string, std::vector<size_t>> fuzzy_;  // deletion variants
  std::vector<std::vector<std::string>> figures_;
};

// Damerau–Levenshtein (optimal string alignment) distance, capped: returns at most `cap` + 1.
int BoundedEditDistance(absl::string_view a, absl::string_view b, int cap);

}  // namespace gardefou::pseudonym
