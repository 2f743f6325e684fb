// Parsing of the auth file: sections checked key by key, then across sections.
#include "service/auth/auth_config.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "service/common/config_file.h"
#include "service/common/files.h"
#include "service/common/roles.h"
#include "service/common/status_macros.h"
#include "service/common/text.h"

namespace gardefou::auth {
namespace {

constexpr absl::string_view kAlgorithms[] = {"RS256", "ES256", "EdDSA"};

bool ValidName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

std::vector<std::string> Words(absl::string_view value) {
  return absl::StrSplit(value, absl::ByAnyChar(" \t,"), absl::SkipEmpty());
}

// A list of words each taken from `allowed`.
absl::Status OneOf(absl::string_view value, const absl::string_view* allowed, size_t count,
                   std::vector<std::string>& out) {
  out = Words(value);
  if (out.empty()) return absl::InvalidArgumentError("must not be empty");
  for (const std::string& word : out) {
    if (std::find(allowed, allowed + count, word) == allowed + count) {
      std::vector<absl::string_view> names(allowed, allowed + count);
      return absl::InvalidArgumentError(
          absl::StrCat("lists '", word, "'; allowed: ", absl::StrJoin(names, ", ")));
    }
  }
  return absl::OkStatus();
}

absl::Status Rate(absl::string_view value, double& out) {
  int n = 0;
  if (!absl::SimpleAtoi(value, &n) || n < 1 || n > 1000000) {
    return absl::InvalidArgumentError("must be a whole number from 1 to 1000000");
  }
  out = n;
  return absl::OkStatus();
}

absl::Status NotEmpty(absl::string_view value, std::string& out) {
  if (value.empty() || value.size() > 1024) {
    return absl::InvalidArgumentError("must be 1 to 1024 characters");
  }
  out = std::string(value);
  return absl::OkStatus();
}

using IntegrationSetter = std::function<absl::Status(absl::string_view, IntegrationSettings&)>;
using IssuerSetter = std::function<absl::Status(absl::string_view, TokenIssuerSettings&)>;

const std::map<std::string, IntegrationSetter, std::less<>>& IntegrationSetters() {
  static const auto* setters = new std::map<std::string, IntegrationSetter, std::less<>>{
      {"certificate_uri",
       [](absl::string_view v, IntegrationSettings& s) {
         s.certificate_property = "peer_uri";
         return NotEmpty(v, s.certificate_value);
       }},
      {"certificate_dns",
       [](absl::string_view v, IntegrationSettings& s) {
         s.certificate_property = "peer_dns";
         return NotEmpty(v, s.certificate_value);
       }},
      {"tenants",
       [](absl::string_view v, IntegrationSettings& s) {
         s.tenants = Words(v);
         if (s.tenants.empty()) return absl::InvalidArgumentError("must list at least one UAI");
         for (const std::string& t : s.tenants) RETURN_IF_ERROR(common::CheckId("tenant", t));
         return absl::OkStatus();
       }},
      {"roles",
       [](absl::string_view v, IntegrationSettings& s) {
         return OneOf(v, common::kRoles.data(), common::kRoles.size(), s.roles);
       }},
      {"issuers",
       [](absl::string_view v, IntegrationSettings& s) {
         s.issuers = Words(v);
         return absl::OkStatus();
       }},
      {"rate_per_second",
       [](absl::string_view v, IntegrationSettings& s) { return Rate(v, s.rate_per_second); }},
      {"burst", [](absl::string_view v, IntegrationSettings& s) { return Rate(v, s.burst); }},
  };
  return *setters;
}

const std::map<std::string, IssuerSetter, std::less<>>& IssuerSetters() {
  static const auto* setters = new std::map<std::string, IssuerSetter, std::less<>>{
      {"issuer",
       [](absl::string_view v, TokenIssuerSettings& s) { return NotEmpty(v, s.verify.issuer); }},
      {"audience",
       [](absl::string_view v, TokenIssuerSettings& s) {
         return NotEmpty(v, s.verify.audience);
       }},
      {"algorithms",
       [](absl::string_view v, TokenIssuerSettings& s) {
         return OneOf(v, kAlgorithms, std::size(kAlgorithms), s.verify.algorithms);
       }},
      {"jwks_file",
       [](absl::string_view v, TokenIssuerSettings& s) { return NotEmpty(v, s.jwks_file); }},
      {"role_claim",
       [](absl::string_view v, TokenIssuerSettings& s) { return NotEmpty(v, s.role_claim); }},
      {"tenants_claim",
       [](absl::string_view v, TokenIssuerSettings& s) {
         return NotEmpty(v, s.tenants_claim);
       }},
  };
  return *setters;
}

}  // namespace

absl::StatusOr<AuthConfig> ParseAuthConfig(absl::string_view text, absl::string_view source,
                                           const std::string& base_dir) {
  ASSIGN_OR_RETURN(common::ConfigFile file, common::SplitConfigFile(text, source));
  if (!file.top.empty()) {
    return common::ConfigError(source, file.top.front().line, file.top.front().key,
                               "is outside any [integration NAME] or [issuer NAME] section");
  }
  AuthConfig config;
  std::set<std::string> names;
  std::map<std::string, int> issuers_line;  // per integration, for messages
  for (const common::ConfigSection& section : file.sections) {
    const std::vector<std::string> header = Words(section.header);
    if (header.size() != 2 || (header[0] != "integration" && header[0] != "issuer") ||
        !ValidName(header[1])) {
      return common::ConfigError(
          source, section.line, "",
          "a section is [integration NAME] or [issuer NAME], NAME in letters, digits, - and _");
    }
    if (!names.insert(section.header).second) {
      return common::ConfigError(source, section.line, "",
                                 absl::StrCat("[", section.header, "] is defined twice"));
    }
    if (header[0] == "integration") {
      IntegrationSettings s;
      s.name = header[1];
      s.line = section.line;
      int identities = 0;
      for (const auto& e : section.entries) identities += absl::StartsWith(e.key, "certificate_");
      if (identities > 1) {
        return common::ConfigError(source, section.line, "certificate_uri",
                                   "and certificate_dns: give exactly one");
      }
      bool burst_given = false;
      for (const auto& e : section.entries) {
        burst_given |= e.key == "burst";
        if (e.key == "issuers") issuers_line[s.name] = e.line;
      }
      RETURN_IF_ERROR(
          common::ApplySection(section, IntegrationSetters(), {"tenants", "roles"}, source, s));
      if (s.certificate_value.empty()) {
        return common::ConfigError(source, section.line, "certificate_uri",
                                   absl::StrCat("(or certificate_dns) is missing in [",
                                                section.header, "]"));
      }
      if (!burst_given) s.burst = 2 * s.rate_per_second;
      config.integrations.push_back(std::move(s));
    } else {
      TokenIssuerSettings s;
      s.verify.name = header[1];
      s.line = section.line;
      RETURN_IF_ERROR(common::ApplySection(
          section, IssuerSetters(), {"issuer", "audience", "algorithms", "jwks_file"}, source, s));
      if (!base_dir.empty() && !std::filesystem::path(s.jwks_file).is_absolute()) {
        s.jwks_file = (std::filesystem::path(base_dir) / s.jwks_file).string();
      }
      config.issuers.push_back(std::move(s));
    }
  }
  // Across sections: integrations name defined issuers; a certificate proves one integration.
  for (const IntegrationSettings& integration : config.integrations) {
    for (const std::string& issuer : integration.issuers) {
      if (!names.contains("issuer " + issuer)) {
        return common::ConfigError(source, issuers_line[integration.name], "issuers",
                                   absl::StrCat("names '", issuer, "', which is not defined"));
      }
    }
    const bool people = std::any_of(integration.roles.begin(), integration.roles.end(),
                                    [](const std::string& r) { return r != "lms"; });
    if (people && integration.issuers.empty()) {
      return common::ConfigError(source, integration.line, "issuers",
                                 "is needed: roles other than lms come from people's tokens");
    }
    for (const IntegrationSettings& other : config.integrations) {
      if (&other != &integration && other.certificate_property == integration.certificate_property &&
          other.certificate_value == integration.certificate_value) {
        return common::ConfigError(
            source, other.line,
            other.certificate_property == "peer_uri" ? "certificate_uri" : "certificate_dns",
            "is the same as another integration's: a certificate proves one integration");
      }
    }
  }
  if (config.integrations.empty()) {
    return common::ConfigError(source, 1, "", "defines no [integration NAME] section");
  }
  return config;
}

absl::StatusOr<AuthConfig> LoadAuthConfig(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, common::ReadFileToString(path));
  return ParseAuthConfig(text, path,
                         std::filesystem::absolute(path).parent_path().string());
}

}  // namespace gardefou::auth
