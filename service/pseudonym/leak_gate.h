// The leak gate: an independent second check on the exact bytes about to leave for an AI
// provider. It shares no state with the pseudonymiser: its own word sets built from the
// roster, and its own scan for identifiers written in any layout (separators removed: an INE
// typed "7735 4684 87K", a phone typed "06/20/20/51/31"). Any hit blocks the call.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "service/pseudonym/lexicon.h"
#include "service/model/records.h"

namespace gardefou::pseudonym {

class LeakGate {
 public:
  LeakGate(const model::RosterRecord& roster, const Lexicon& lexicon);

  // Entity type name -> number of hits in `payload` (outside "[TYPE_N]" placeholders);
  // empty when nothing leaks. Never reports the values themselves.
  std::map<std::string, int> Scan(absl::string_view payload) const;

 private:
  const Lexicon& lexicon_;
  absl::flat_hash_set<std::string> any_case_;      // folded name words, matched in any case
  absl::flat_hash_set<std::string> capital_only_;  // name words that are also common words
  std::map<std::string, std::string> word_types_;  // folded word -> STUDENT/STAFF/PLACE/SCHOOL
  std::vector<std::string> identifiers_;           // roster INEs and UAI, folded, no separators
};

}  // namespace gardefou::pseudonym
