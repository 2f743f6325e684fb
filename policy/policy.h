// The policy engine: which role may call what, which AI purposes are allowed, what a provider
// must guarantee before a pupil's copy reaches it, and limits — with per-tenant narrowing. The
// document is a file in gardefou's configuration syntax (docs/policy.md); every audit event
// records the SHA-256 of the document in force. Nothing in the syntax can let anyone but a
// teacher sign a grade, or allow AI-text detection.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gardefou::policy {

// What a provider's operator declares, and how the service reaches it.
struct ProviderTerms {
  bool eu_residency = false;
  int retention_days = 0;
  bool used_for_training = true;
  bool encrypted_or_local = false;  // in process, https://, or plain http to loopback only
};

// What every provider must declare before anything is sent to it.
struct ProviderRequirements {
  bool eu_residency = true;
  int max_retention_days = 30;
  bool no_training = true;
  bool encrypted_transport = true;
};

class Policy {
 public:
  // Parses a policy document; `source` names it in errors. INVALID_ARGUMENT
  // `source:line: field 'key' ...` for the first mistake: an unknown key or section, a bad
  // value, a missing required key, a method or role that does not exist, a purpose that can
  // never be allowed (AI_DETECTION), or a teacher's act (OpenReview, SignOff) given to
  // another role.
  static absl::StatusOr<Policy> Parse(absl::string_view text, absl::string_view source);

  // The policy shipped in policy/default_policy.conf, compiled into the binary.
  static const Policy& Default();

  // hex SHA-256 of the exact policy document bytes.
  const std::string& hash() const { return hash_; }
  const std::string& name() const { return name_; }
  size_t max_copy_bytes() const { return max_copy_bytes_; }
  const std::string& default_provider() const { return default_provider_; }
  const ProviderRequirements& provider_requirements() const { return requirements_; }
  // The AI purposes allowed outside any [tenant] narrowing.
  const std::set<std::string, std::less<>>& purposes() const { return purposes_; }

  // The stop switch (AI Act Art. 14(4)(e)): why AI calls for `tenant` to `provider` are
  // stopped ("all AI calls", "provider 'x'", "this tenant's AI calls"), or nullopt.
  std::optional<std::string> StopOf(absl::string_view tenant, absl::string_view provider) const;
  // What the [stop] section stops, for the record of a change: "all", and the names.
  std::vector<std::string> Stopped() const;

  // The shortest review (microseconds from OpenReview to SignOff) of a copy of `chars`
  // characters: `min_seconds` plus `min_seconds_per_1000_chars` per thousand; 0 when off.
  int64_t MinReviewMicros(size_t chars) const;
  // True when that minimum depends on the copy's length (the copy must then be read).
  bool review_minimum_scales() const { return min_review_seconds_per_1000_chars_ > 0; }
  // Below this long after OpenReview, accepting every proposal unchanged needs a rationale.
  int64_t fast_accept_micros() const { return int64_t{1000000} * fast_accept_seconds_; }

  // [families] require_informed: no AI call for a class whose families were not informed.
  bool families_must_be_informed() const { return families_must_be_informed_; }
  // Blind-first review ([review] blind_first, narrowed by [tenant UAI] blind_first): the
  // teacher's provisional scores before any suggestion.
  bool BlindFirst(absl::string_view tenant) const;
  // Second marking: a gap between the final and the AI's (or the provisional) points above
  // these, on one criterion or on the total, needs a second teacher. 0: off.
  double criterion_gap_points() const { return criterion_gap_points_; }
  double total_gap_points() const { return total_gap_points_; }
  // The automation-bias notice shown with every suggestion (AI Act Art. 14(4)(b)).
  const std::string& notice_version() const { return notice_version_; }
  const std::string& notice_text() const { return notice_text_; }

  // OK when `role` may call `method`; PERMISSION_DENIED naming both otherwise.
  absl::Status CheckRole(absl::string_view role, absl::string_view method) const;

  // OK when the purpose (e.g. "EVALUATION") may be sent to a provider for `tenant`;
  // PERMISSION_DENIED otherwise.
  absl::Status CheckPurpose(absl::string_view tenant, absl::string_view purpose) const;

  // The requirements `terms` fail (e.g. "eu_residency"), and "allowed" first when `tenant`
  // may not use `provider` at all; empty when it may be sent to.
  std::vector<std::string> UnmetRequirements(absl::string_view tenant, absl::string_view provider,
                                             const ProviderTerms& terms) const;

 private:
  struct TenantRules {
    std::optional<std::set<std::string, std::less<>>> purposes;
    std::optional<std::set<std::string, std::less<>>> providers;
    std::optional<bool> blind_first;
  };
  const TenantRules* RulesOf(absl::string_view tenant) const;

  std::string hash_;
  std::string name_;
  size_t max_copy_bytes_ = 0;
  std::string default_provider_;
  std::set<std::string, std::less<>> purposes_;
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> roles_;
  ProviderRequirements requirements_;
  std::optional<std::set<std::string, std::less<>>> providers_;  // nullopt: any
  std::map<std::string, TenantRules, std::less<>> tenants_;
  bool stop_all_ = false;
  std::set<std::string, std::less<>> stopped_providers_;
  std::set<std::string, std::less<>> stopped_tenants_;
  int min_review_seconds_ = 0;
  int min_review_seconds_per_1000_chars_ = 0;
  int fast_accept_seconds_ = 0;
  bool blind_first_ = false;
  bool families_must_be_informed_ = true;
  double criterion_gap_points_ = 0;
  double total_gap_points_ = 0;
  std::string notice_version_ = "gardefou-1";
  std::string notice_text_ =
      "Suggestion made by an AI system: it can be wrong or unfair. Read the copy and decide "
      "yourself; do not accept it without checking.";
};

// Reads and parses a policy file; errors name the file (and the line).
absl::StatusOr<Policy> LoadPolicyFile(const std::string& path);

}  // namespace gardefou::policy
