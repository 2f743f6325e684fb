// Finds structured identifiers with RE2: e-mails, handles and personal URLs, French phone
// numbers, NIR (key verified), INE, UAI (check letter verified), postal addresses, and dates
// of birth (only near "né(e) le", "date de naissance", or with a year in the pupils' range).
#pragma once

#include <memory>
#include <vector>

#include "absl/strings/string_view.h"
#include "service/pseudonym/entity.h"
#include "service/pseudonym/tokens.h"

namespace gardefou::pseudonym {

class StructuredDetector {
 public:
  StructuredDetector();
  ~StructuredDetector();
  StructuredDetector(const StructuredDetector&) = delete;
  StructuredDetector& operator=(const StructuredDetector&) = delete;

  // Appends the spans found in `text` (UTF-8) to `out`. Thread-safe.
  void Find(absl::string_view text, std::vector<Span>& out) const;

  // Appends what starts at a cue word of `text` (whose words are `words`): handles given
  // without '@' after a network's name ("insta : lea.dessine"), and streets named without a
  // number ("rue de la Marne", "lieu-dit Kerhallet"). Thread-safe.
  void FindAfterCueWords(absl::string_view text, const TokenizedText& words,
                        std::vector<Span>& out) const;

 private:
  struct Patterns;
  std::unique_ptr<Patterns> patterns_;
};

// True when the 15 digits (2A/2B allowed for Corsica) carry a valid NIR key.
bool NirKeyValid(absl::string_view digits15);
// True when the 8-character UAI's check letter is right.
bool UaiCheckValid(absl::string_view uai);

}  // namespace gardefou::pseudonym
