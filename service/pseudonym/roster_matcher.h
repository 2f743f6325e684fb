// Finds roster people, the school and its city in a folded text: every form a pupil writes
// them in (full name in either order, first name alone, surname alone in any case, parts of
// hyphenated first names, compound surnames, aliases, initials, one-letter typos of long
// names). Token-level multi-pattern matching: one hash lookup per word, not one regex per name.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "service/pseudonym/entity.h"
#include "service/pseudonym/fold.h"
#include "service/pseudonym/lexicon.h"
#include "service/pseudonym/tokens.h"
#include "service/model/records.h"

namespace gardefou::pseudonym {

class RosterMatcher {
 public:
  // `lexicon` must outlive the matcher.
  RosterMatcher(const model::RosterRecord& roster, const Lexicon& lexicon);

  // Appends to `out` the spans (in original byte offsets) of roster mentions in `text`.
  // When a form fits several people (two pupils named Léa), the one whose key is
  // `preferred_key` (the author) wins; otherwise the first on the roster.
  void Find(const TokenizedText& words, std::vector<Span>& out,
            const std::string& preferred_key = "") const;

 private:
  struct Pattern {
    std::vector<std::string> tokens;
    EntityType type;
    std::string key;
    int owner;           // the key as a number, for comparisons in the hot loop
    bool needs_capital;  // a single common word: only a capitalised occurrence is a name
  };
  // What the hot loop needs of a pattern, stored in the trie node (no pointer chasing).
  struct Ending {
    size_t pattern;
    int owner;
    bool needs_capital;
  };
  // A trie over name words: one hash lookup per word of the text, whatever the roster size.
  struct Node {
    absl::flat_hash_map<std::string, int> next;
    std::vector<Ending> endings;  // patterns ending here
  };
  struct Match {
    const Pattern* pattern = nullptr;
    size_t length = 0;  // in tokens
  };

  void Add(std::vector<std::string> tokens, EntityType type, const std::string& key);
  void AddPerson(const model::PersonRecord& person, EntityType type);
  // Each person's initials ("M.T." for Marius Tessier) when no one else in the class shares
  // them; matched only when written as initials.
  void AddInitials(const model::RosterRecord& roster);
  // The longest pattern matched from token `at`. With `only_owner` >= 0, only that person's
  // patterns count and a common word needs no capital: the words touch a mention of the
  // same person ("jb moreau"). `preferred_owner` wins ties. `name_context`: the words before
  // make a lower-case common word a name ("hello romain").
  Match LongestAt(const FoldedText& text, const std::vector<Token>& tokens, size_t at,
                  int preferred_owner, int only_owner, bool name_context = false) const;
  // True when the one-word match at `i` reads as a thing, not a name (see the .cc).
  static bool ThingNotName(const TokenizedText& words, size_t i, size_t length,
                           const Pattern& pattern);
  // One-letter typos of the long names: `flags` are the word's Lexicon flags when known
  // (capitalised words), else 0 and the lexicon is asked only if a typo is possible at all.
  bool FuzzyMatch(absl::string_view word, uint8_t flags, bool flags_known,
                  const Pattern*& found) const;
  // Cheap filters, one bit per shape, that rule out most words before any hash lookup.
  static size_t WordShape(absl::string_view word);
  bool MayStartPattern(absl::string_view word) const;
  bool MayBeTypo(absl::string_view word) const;

  const Lexicon& lexicon_;
  std::vector<Pattern> patterns_;
  absl::flat_hash_map<std::string, int> owners_;  // key -> Pattern::owner
  std::vector<Node> trie_;                                        // trie_[0] is the root
  // Hashes of the long names and of their one-letter deletions -> patterns.
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> fuzzy_;
  // (first two letters, length) and (last two letters, length) of the words within one
  // edit of a long name: one edit never changes both ends of a word of 5 letters or more.
  std::vector<bool> typo_heads_, typo_tails_;
  std::vector<uint8_t> starts_;  // WordShape of every first word of a pattern (bytes: one load)
  std::vector<uint64_t> fuzzy_filter_;  // one bit per (mixed) hash of fuzzy_, to skip lookups
};

}  // namespace gardefou::pseudonym
