// The policy engine: which role may call what, which AI purposes are allowed, and limits.
// Every audit event records the hash of the policy in force.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gardefou::policy {

class Policy {
 public:
  // Parses a policy document (JSON, see policy/default_policy.json). INVALID_ARGUMENT names
  // the field that is missing or malformed.
  static absl::StatusOr<Policy> Parse(absl::string_view json);

  // The policy shipped in policy/default_policy.json, compiled into the binary.
  static const Policy& Default();

  // hex SHA-256 of the exact policy document bytes.
  const std::string& hash() const { return hash_; }
  const std::string& name() const { return name_; }
  size_t max_copy_bytes() const { return max_copy_bytes_; }
  const std::string& default_provider() const { return default_provider_; }

  // OK when `role` may call `method`; PERMISSION_DENIED naming both otherwise.
  absl::Status CheckRole(absl::string_view role, absl::string_view method) const;

  // OK when the purpose (e.g. "EVALUATION") may be sent to a provider; PERMISSION_DENIED
  // otherwise.
  absl::Status CheckPurpose(absl::string_view purpose) const;

 private:
  std::string hash_;
  std::string name_;
  size_t max_copy_bytes_ = 0;
  std::string default_provider_;
  std::set<std::string, std::less<>> purposes_;
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> roles_;
};

}  // namespace gardefou::policy
