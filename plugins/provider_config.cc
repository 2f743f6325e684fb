// Parsing of the providers file (common::SplitConfigFile splits its lines), with messages that
// name the line and the field.
#include "plugins/provider_config.h"

#include <functional>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "service/common/config_file.h"
#include "service/common/files.h"
#include "service/common/status_macros.h"

namespace gardefou::plugins {
namespace {

bool ValidName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

absl::Status YesNo(absl::string_view value, bool& out) {
  if (value == "yes") out = true;
  else if (value == "no") out = false;
  else return absl::InvalidArgumentError("must be yes or no");
  return absl::OkStatus();
}

template <typename Int>
std::function<absl::Status(absl::string_view, ProviderSettings&)> Number(Int ProviderSettings::*field,
                                                                         Int low, Int high) {
  return [=](absl::string_view value, ProviderSettings& s) {
    Int n = 0;
    if (!absl::SimpleAtoi(value, &n) || n < low || n > high) {
      return absl::InvalidArgumentError(absl::StrCat("must be a whole number from ", low, " to ", high));
    }
    s.*field = n;
    return absl::OkStatus();
  };
}

using Setter = std::function<absl::Status(absl::string_view, ProviderSettings&)>;

const std::map<std::string, Setter, std::less<>>& Setters() {
  static const auto* setters = new std::map<std::string, Setter, std::less<>>{
      {"kind",
       [](absl::string_view v, ProviderSettings& s) {
         if (v != "openai-compatible") {
           return absl::InvalidArgumentError("must be openai-compatible");
         }
         s.kind = std::string(v);
         return absl::OkStatus();
       }},
      {"base_url",
       [](absl::string_view v, ProviderSettings& s) {
         if (!(absl::StartsWith(v, "http://") || absl::StartsWith(v, "https://")) ||
             v.find_first_of(" \t\"'") != absl::string_view::npos) {
           return absl::InvalidArgumentError("must be an http:// or https:// URL");
         }
         s.base_url = std::string(absl::StripSuffix(v, "/"));
         return absl::OkStatus();
       }},
      {"model",
       [](absl::string_view v, ProviderSettings& s) {
         if (v.empty()) return absl::InvalidArgumentError("must not be empty");
         s.model = std::string(v);
         return absl::OkStatus();
       }},
      {"api_key_env",
       [](absl::string_view v, ProviderSettings& s) {
         if (!ValidName(v)) {
           return absl::InvalidArgumentError(
               "must be the name of an environment variable (the key itself never goes here)");
         }
         s.api_key_env = std::string(v);
         return absl::OkStatus();
       }},
      {"eu_residency",
       [](absl::string_view v, ProviderSettings& s) { return YesNo(v, s.guarantees.eu_residency); }},
      {"used_for_training",
       [](absl::string_view v, ProviderSettings& s) {
         return YesNo(v, s.guarantees.used_for_training);
       }},
      {"retention",
       [](absl::string_view v, ProviderSettings& s) {
         int days = 0;
         if (v == "none") {
           s.guarantees.retention_days = 0;
           return absl::OkStatus();
         }
         const std::vector<absl::string_view> parts = absl::StrSplit(v, ' ', absl::SkipEmpty());
         if (parts.size() != 2 || parts[1] != "days" || !absl::SimpleAtoi(parts[0], &days) ||
             days < 1 || days > 3650) {
           return absl::InvalidArgumentError("must be none or N days (1 to 3650)");
         }
         s.guarantees.retention_days = days;
         return absl::OkStatus();
       }},
      {"connect_timeout_ms", Number(&ProviderSettings::connect_timeout_ms, 1L, 600000L)},
      {"timeout_ms", Number(&ProviderSettings::timeout_ms, 1L, 3600000L)},
      {"max_concurrent", Number(&ProviderSettings::max_concurrent, 1, 1024)},
      {"max_retries", Number(&ProviderSettings::max_retries, 0, 10)},
      {"backoff_initial_ms", Number(&ProviderSettings::backoff_initial_ms, 1L, 600000L)},
      {"backoff_max_ms", Number(&ProviderSettings::backoff_max_ms, 1L, 600000L)},
      {"breaker_failures", Number(&ProviderSettings::breaker_failures, 1, 1000)},
      {"breaker_cooldown_ms", Number(&ProviderSettings::breaker_cooldown_ms, 1L, 3600000L)},
      {"max_reply_bytes", Number(&ProviderSettings::max_reply_bytes, 1024L, 64L << 20)},
      {"retry_after_max_ms", Number(&ProviderSettings::retry_after_max_ms, 0L, 3600000L)},
  };
  return *setters;
}

}  // namespace

absl::StatusOr<ProvidersConfig> ParseProvidersConfig(absl::string_view text,
                                                     absl::string_view source) {
  ASSIGN_OR_RETURN(common::ConfigFile file, common::SplitConfigFile(text, source));
  ProvidersConfig config;
  int default_line = 0;
  for (const common::ConfigEntry& e : file.top) {
    if (e.key != "default") {
      return common::ConfigError(source, e.line, e.key,
                                 "is unknown before the first [name] section");
    }
    if (!ValidName(e.value)) return common::ConfigError(source, e.line, e.key, "must name a provider");
    config.default_provider = e.value;
    default_line = e.line;
  }
  for (const common::ConfigSection& section : file.sections) {
    const std::string& name = section.header;
    if (!ValidName(name)) {
      return common::ConfigError(source, section.line, "",
                                 "a provider name uses letters, digits, '-' and '_' only");
    }
    if (name == "offline-rubric") {
      return common::ConfigError(source, section.line, "",
                                 "provider 'offline-rubric' is built in; choose another name");
    }
    for (const auto& p : config.providers) {
      if (p.name == name) {
        return common::ConfigError(source, section.line, "",
                                   absl::StrCat("provider '", name, "' is defined twice"));
      }
    }
    ProviderSettings settings;
    settings.name = name;
    settings.line = section.line;
    RETURN_IF_ERROR(common::ApplySection(
        section, Setters(),
        {"kind", "base_url", "model", "eu_residency", "retention", "used_for_training"}, source,
        settings));
    config.providers.push_back(std::move(settings));
  }
  if (!config.default_provider.empty() && config.default_provider != "offline-rubric") {
    bool found = false;
    for (const auto& p : config.providers) found |= p.name == config.default_provider;
    if (!found) {
      return common::ConfigError(
          source, default_line, "default",
          absl::StrCat("names '", config.default_provider, "', which is not defined"));
    }
  }
  return config;
}

absl::StatusOr<ProvidersConfig> LoadProvidersConfig(const std::string& path) {
  absl::StatusOr<std::string> text = common::ReadFileToString(path);
  if (!text.ok()) return text.status();
  return ParseProvidersConfig(*text, path);
}

}  // namespace gardefou::plugins
