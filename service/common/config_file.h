// The one syntax of gardefou's configuration files (providers, auth): `key = value` lines,
// `[kind name]` or `[name]` section headers, '#' comments, values optionally in double quotes.
// This reader only splits lines; each file's parser gives the keys their meaning and says
// `file:line: field '...' ...` through ConfigError.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
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

}  // namespace gardefou::common
