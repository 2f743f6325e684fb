// Parsing and checks of the policy document.
#include "policy/policy.h"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "policy/default_policy_text.h"
#include "service/common/hashing.h"

namespace gardefou::policy {
namespace {

absl::Status Malformed(absl::string_view field, absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat("policy field '", field, "' must be ", expected));
}

}  // namespace

absl::StatusOr<Policy> Policy::Parse(absl::string_view json) {
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::InvalidArgumentError("policy is not a JSON object");
  }
  Policy policy;
  policy.hash_ = common::Sha256Hex(json);
  if (!doc.contains("name") || !doc["name"].is_string()) return Malformed("name", "a string");
  policy.name_ = doc["name"].get<std::string>();
  if (!doc.contains("max_copy_bytes") || !doc["max_copy_bytes"].is_number_unsigned() ||
      doc["max_copy_bytes"].get<uint64_t>() == 0) {
    return Malformed("max_copy_bytes", "a positive integer");
  }
  policy.max_copy_bytes_ = doc["max_copy_bytes"].get<uint64_t>();
  if (!doc.contains("default_provider") || !doc["default_provider"].is_string()) {
    return Malformed("default_provider", "a string");
  }
  policy.default_provider_ = doc["default_provider"].get<std::string>();
  if (!doc.contains("purposes_allowed") || !doc["purposes_allowed"].is_array()) {
    return Malformed("purposes_allowed", "an array of purpose names");
  }
  for (const auto& p : doc["purposes_allowed"]) {
    if (!p.is_string()) return Malformed("purposes_allowed", "an array of purpose names");
    policy.purposes_.insert(p.get<std::string>());
  }
  if (!doc.contains("roles") || !doc["roles"].is_object()) {
    return Malformed("roles", "an object mapping a role to its methods");
  }
  for (const auto& [role, methods] : doc["roles"].items()) {
    if (!methods.is_array()) return Malformed(absl::StrCat("roles.", role), "an array");
    auto& allowed = policy.roles_[role];
    for (const auto& m : methods) {
      if (!m.is_string()) return Malformed(absl::StrCat("roles.", role), "an array of names");
      allowed.insert(m.get<std::string>());
    }
  }
  return policy;
}

const Policy& Policy::Default() {
  static const Policy* policy = [] {
    absl::StatusOr<Policy> parsed = Parse(kDefaultPolicyText);
    if (!parsed.ok()) std::abort();  // the shipped file is checked by a unit test
    return new Policy(*std::move(parsed));
  }();
  return *policy;
}

absl::Status Policy::CheckRole(absl::string_view role, absl::string_view method) const {
  auto it = roles_.find(role);
  if (it == roles_.end() || !it->second.contains(method)) {
    return absl::PermissionDeniedError(
        absl::StrCat("role '", role, "' may not call ", method, " under policy ", name_));
  }
  return absl::OkStatus();
}

absl::Status Policy::CheckPurpose(absl::string_view purpose) const {
  if (!purposes_.contains(purpose)) {
    return absl::PermissionDeniedError(
        absl::StrCat("purpose ", purpose, " is not allowed by policy ", name_));
  }
  return absl::OkStatus();
}

}  // namespace gardefou::policy
