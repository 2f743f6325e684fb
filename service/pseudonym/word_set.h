// A small fixed set of folded words (cue words, street words...) asked about every word of a
// text: one bit of a (first letter, last letter, length) filter rules out most words before
// any hash or string comparison.
#pragma once

#include <bitset>
#include <initializer_list>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace gardefou::pseudonym {

class WordSet {
 public:
  WordSet(std::initializer_list<absl::string_view> words) {
    for (absl::string_view w : words) {
      words_.emplace(w);
      filter_.set(Index(w));
    }
  }
  bool contains(absl::string_view w) const {
    return !w.empty() && w.size() < 32 && filter_.test(Index(w)) && words_.contains(w);
  }

 private:
  static size_t Index(absl::string_view w) {
    return ((static_cast<size_t>(w.front()) & 31) * 32 + (static_cast<size_t>(w.back()) & 31)) *
               32 + (w.size() & 31);
  }
  std::bitset<32 * 32 * 32> filter_;
  absl::flat_hash_set<std::string> words_;
};

}  // namespace gardefou::pseudonym
