// Names of entity types and their placeholder prefixes.
#include "service/pseudonym/entity.h"

namespace gardefou::pseudonym {

absl::string_view TypeName(EntityType type) {
  switch (type) {
    case EntityType::kStudent: return "STUDENT";
    case EntityType::kStaff: return "STAFF";
    case EntityType::kSchool: return "SCHOOL";
    case EntityType::kPlace: return "PLACE";
    case EntityType::kEmail: return "EMAIL";
    case EntityType::kPhone: return "PHONE";
    case EntityType::kIne: return "INE";
    case EntityType::kNir: return "NIR";
    case EntityType::kAddress: return "ADDRESS";
    case EntityType::kDateOfBirth: return "DATE_OF_BIRTH";
    case EntityType::kHandle: return "HANDLE";
    case EntityType::kPersonOther: return "PERSON_OTHER";
  }
  return "UNKNOWN";
}

absl::string_view PlaceholderPrefix(EntityType type) {
  switch (type) {
    case EntityType::kStudent: return "ELEVE";
    case EntityType::kStaff: return "PROF";
    case EntityType::kSchool: return "ETABLISSEMENT";
    case EntityType::kPlace: return "VILLE";
    case EntityType::kEmail: return "EMAIL";
    case EntityType::kPhone: return "TEL";
    case EntityType::kIne: return "INE";
    case EntityType::kNir: return "NIR";
    case EntityType::kAddress: return "ADRESSE";
    case EntityType::kDateOfBirth: return "DATE_NAISSANCE";
    case EntityType::kHandle: return "COMPTE";
    case EntityType::kPersonOther: return "PERSONNE";
  }
  return "INCONNU";
}

}  // namespace gardefou::pseudonym
