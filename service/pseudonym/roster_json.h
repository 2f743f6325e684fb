// Reads rosters in the JSON format of tests/data/pii/rosters.json (described in
// tests/data/pii/README.md): an array of classes, each {class_id, school{name, uai, city,
// postcode}, teachers[{id,title,first,last}], students[{id,first,last,ine,aliases[]}]}.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/model/records.h"

namespace gardefou::pseudonym {

// Every class in the document. INVALID_ARGUMENT naming the class and field when malformed.
absl::StatusOr<std::vector<model::RosterRecord>> ParseRosters(absl::string_view json);

// The class `class_id`; NOT_FOUND when absent.
absl::StatusOr<model::RosterRecord> ParseRoster(absl::string_view json,
                                                const std::string& class_id);

}  // namespace gardefou::pseudonym
