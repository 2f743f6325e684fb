// What the pseudonymiser finds: typed spans of personal data, and their placeholders.
#pragma once

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace gardefou::pseudonym {

enum class EntityType {
  kStudent, kStaff, kSchool, kPlace, kEmail, kPhone, kIne, kNir, kAddress, kDateOfBirth,
  kHandle, kPersonOther,
};
inline constexpr int kEntityTypeCount = 12;

// "STUDENT", "STAFF", ... as in the corpus and the audit trail.
absl::string_view TypeName(EntityType type);
// "ELEVE", "PROF", ... as in placeholders "[ELEVE_1]".
absl::string_view PlaceholderPrefix(EntityType type);

// A candidate span in the original text (byte offsets, end exclusive).
struct Span {
  size_t begin = 0;
  size_t end = 0;
  EntityType type = EntityType::kStudent;
  std::string key;   // identity: the same key always gets the same placeholder
  int priority = 0;  // higher wins overlaps
};

}  // namespace gardefou::pseudonym
