// The one syntax of gardefou's configuration files (providers, auth): `key = value` lines,
// `[kind name]` or `[name]` section headers, '#' comments, values optionally in double quotes.
// This reader only splits lines; each file's parser gives the keys their meaning and says
// `file:line: field '...' ...` through ConfigError.
#pragma once

#include <functional>
#include <initializer_list>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gardefou::common {

struct ConfigEntry {
  std::string key;
  std::string value;
  int line = 0;
};

struct ConfigSection {
  std::string header;  // what is between the brackets, trimmed
  int line = 0;
  std::vector<ConfigEntry> entries;  // each key once (a repeated key is refused)
};

struct ConfigFile {
  std::vector<ConfigEntry> top;  // entries before the first section
  std::vector<ConfigSection> sections;
};

// INVALID_ARGUMENT `source:line: ...` for a line that is neither `key = value` nor a section
// header, and for a key given twice in one section.
absl::StatusOr<ConfigFile> SplitConfigFile(absl::string_view text, absl::string_view source);

// `source:line: field 'key' what` (without the field part when `key` is empty).
absl::Status ConfigError(absl::string_view source, int line, absl::string_view key,
                         absl::string_view what);

// Gives each entry of `section` to its setter in `setters` (a map from key to a callable
// (absl::string_view value, Settings&) -> absl::Status), then checks that every `required` key
// was given. The error names the line and the key: unknown key, bad value, missing key.
template <typename Setters, typename Settings>
absl::Status ApplySection(const ConfigSection& section, const Setters& setters,
                          std::initializer_list<absl::string_view> required,
                          absl::string_view source, Settings& settings) {
  std::set<std::string, std::less<>> seen;
  for (const ConfigEntry& e : section.entries) {
    auto setter = setters.find(e.key);
    if (setter == setters.end()) return ConfigError(source, e.line, e.key, "is unknown");
    if (absl::Status st = setter->second(e.value, settings); !st.ok()) {
      return ConfigError(source, e.line, e.key, st.message());
    }
    seen.insert(e.key);
  }
  for (absl::string_view key : required) {
    if (!seen.contains(key)) {
      return ConfigError(source, section.line, key,
                         absl::StrCat("is missing in [", section.header, "]"));
    }
  }
  return absl::OkStatus();
}

}  // namespace gardefou::common
