// Line splitting for the configuration files.
#include "service/common/config_file.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gardefou::common {

absl::Status ConfigError(absl::string_view source, int line, absl::string_view key,
                         absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      source, ":", line, ": ", key.empty() ? "" : absl::StrCat("field '", key, "' "), what));
}

absl::StatusOr<ConfigFile> SplitConfigFile(absl::string_view text, absl::string_view source) {
  ConfigFile file;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    if (size_t hash = line.find('#'); hash != absl::string_view::npos) line = line.substr(0, hash);
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    if (line.front() == '[') {
      if (line.back() != ']') {
        return ConfigError(source, number, "", "a section header must look like [name]");
      }
      file.sections.push_back(
          {std::string(absl::StripAsciiWhitespace(line.substr(1, line.size() - 2))), number, {}});
      continue;
    }
    const size_t equals = line.find('=');
    if (equals == absl::string_view::npos) {
      return ConfigError(source, number, "", "expected `key = value` or a [name] section");
    }
    ConfigEntry entry{std::string(absl::StripAsciiWhitespace(line.substr(0, equals))), "", number};
    absl::string_view value = absl::StripAsciiWhitespace(line.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    entry.value = std::string(value);
    std::vector<ConfigEntry>& entries =
        file.sections.empty() ? file.top : file.sections.back().entries;
    for (const ConfigEntry& e : entries) {
      if (e.key == entry.key) return ConfigError(source, number, entry.key, "is given twice");
    }
    entries.push_back(std::move(entry));
  }
  return file;
}

}  // namespace gardefou::common
