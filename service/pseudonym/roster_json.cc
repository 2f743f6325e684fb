// Roster JSON parsing with nlohmann::json; exceptions stay inside.
#include "service/pseudonym/roster_json.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace gardefou::pseudonym {
namespace {

model::PersonRecord Person(const nlohmann::json& j) {
  model::PersonRecord p;
  p.id = j.value("id", "");
  p.first = j.value("first", "");
  p.last = j.value("last", "");
  p.title = j.value("title", "");
  p.ine = j.value("ine", "");
  p.aliases = j.value("aliases", std::vector<std::string>{});
  return p;
}

}  // namespace

absl::StatusOr<std::vector<model::RosterRecord>> ParseRosters(absl::string_view json) {
  const nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) {
    return absl::InvalidArgumentError("the roster file must be a JSON array of classes");
  }
  std::vector<model::RosterRecord> out;
  try {
    for (const auto& c : doc) {
      model::RosterRecord r;
      r.class_id = c.at("class_id").get<std::string>();
      const auto& school = c.at("school");
      r.school = {school.value("name", ""), school.value("uai", ""), school.value("city", ""),
                  school.value("postcode", "")};
      for (const auto& t : c.value("teachers", nlohmann::json::array())) r.teachers.push_back(Person(t));
      for (const auto& s : c.value("students", nlohmann::json::array())) r.students.push_back(Person(s));
      out.push_back(std::move(r));
    }
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("malformed roster: ", e.what()));
  }
  return out;
}

absl::StatusOr<model::RosterRecord> ParseRoster(absl::string_view json,
                                                const std::string& class_id) {
  absl::StatusOr<std::vector<model::RosterRecord>> all = ParseRosters(json);
  if (!all.ok()) return all.status();
  for (auto& r : *all) {
    if (r.class_id == class_id) return std::move(r);
  }
  return absl::NotFoundError(absl::StrCat("no class '", class_id, "' in the roster file"));
}

}  // namespace gardefou::pseudonym
