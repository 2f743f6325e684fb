// Re-identification for the teacher's view: placeholders in a provider's answer are replaced
// by what they stand for. Tolerates what models do to tokens ("[Eleve_1]", "[ÉLÈVE 1]",
// "ELEVE_1"); a placeholder that is not in the mapping stays visible and is reported.
// Nothing is ever fuzzily restored to a different person.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "service/pseudonym/pseudonymizer.h"

namespace gardefou::pseudonym {

struct Restored {
  std::string text;
  std::vector<std::string> unknown;  // placeholders found but absent from the mapping
};

Restored Reidentify(absl::string_view text, const std::map<std::string, MappingEntry>& mapping);

}  // namespace gardefou::pseudonym
