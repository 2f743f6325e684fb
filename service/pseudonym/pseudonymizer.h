// The pseudonymiser: replaces every piece of personal data in a text by a typed placeholder
// ("[ELEVE_2]", "[TEL_1]"...), consistent across all texts of one request. The author of the
// copy is always [ELEVE_1]. The mapping back to people stays inside the service.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "service/pseudonym/entity.h"
#include "service/pseudonym/fold.h"
#include "service/pseudonym/lexicon.h"
#include "service/pseudonym/roster_matcher.h"
#include "service/pseudonym/school_detector.h"
#include "service/pseudonym/structured_detector.h"
#include "service/pseudonym/tokens.h"
#include "service/model/records.h"

namespace gardefou::pseudonym {

// One replaced mention, in the coordinates of the text given to Apply().
struct Entity {
  EntityType type;
  size_t begin;
  size_t end;
  std::string placeholder;
};

struct Replacement {
  std::string text;               // the pseudonymised text
  std::vector<Entity> entities;   // in order of appearance
};

// What a placeholder stands for; never leaves the service.
struct MappingEntry {
  EntityType type;
  std::string surface;  // the first form in which it was written
};

class Pseudonymizer {
 public:
  // `author_id` is the LMS id of the copy's author (may be empty). `lexicon` must outlive this.
  Pseudonymizer(const model::RosterRecord& roster, const std::string& author_id,
                const Lexicon& lexicon);

  // Pseudonymises `text` (UTF-8). Calls on the same object share placeholders.
  Replacement Apply(absl::string_view text);

  // Placeholder ("[ELEVE_1]") -> what it replaced, for re-identification.
  const std::map<std::string, MappingEntry>& mapping() const { return mapping_; }

  // How many mentions of each type were replaced so far, over all calls.
  const std::array<int, kEntityTypeCount>& counts() const { return counts_; }

 private:
  std::string PlaceholderFor(const Span& span, absl::string_view surface);

  const Lexicon& lexicon_;
  std::string author_key_;
  RosterMatcher roster_;
  SchoolDetector school_;
  std::string departement_;  // of the school's postcode: its communes are places anywhere
  StructuredDetector structured_;
  absl::flat_hash_map<std::string, std::string> placeholders_;  // key -> "[ELEVE_1]"
  std::array<int, kEntityTypeCount> next_number_{};
  std::array<int, kEntityTypeCount> counts_{};
  std::map<std::string, MappingEntry> mapping_;
  // Per-call working buffers, kept to reuse their memory.
  std::vector<Span> spans_;
  FoldedText folded_;
  TokenizedText words_;
};

}  // namespace gardefou::pseudonym
