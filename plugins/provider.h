// The interface every AI provider implements, and the registry that finds one by name.
//
// Lifecycle: providers are created at server start, registered once, and live until shutdown.
// Thread safety: Suggest() may be called from several worker threads at once; implementations
// must be safe for concurrent calls. Providers never see real names: the only caller is the
// egress function of the workflow, which hands them pseudonymised text.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/model/records.h"

namespace gardefou::plugins {

// What a provider is asked. Every text field has already left the service's trust boundary.
struct ProviderRequest {
  model::Purpose purpose = model::Purpose::kCorrection;
  std::string assignment_title;
  std::string instructions;
  std::vector<model::CriterionRecord> criteria;
  std::string copy_text;
  // The caller's deadline and cancellation: a provider gives up (DEADLINE_EXCEEDED,
  // CANCELLED) rather than keep working for nobody.
  std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();
  std::function<bool()> cancelled = [] { return false; };
};

// What a provider's operator declares about the data it receives; recorded with every call.
struct Guarantees {
  bool eu_residency = false;      // data processed and stored in the EU
  int retention_days = 0;         // 0: nothing kept after the answer
  bool used_for_training = true;  // prompts may train future models
};

// Who answers: recorded in the audit trail even when the call fails.
struct ProviderInfo {
  std::string model;
  Guarantees guarantees;
  // In process, or reached over https://, or over plain http:// on loopback only: nothing
  // (neither the copy nor the API key) crosses a network in clear.
  bool encrypted_or_local = true;
};

// Set on an error returned before anything left the service (e.g. an open circuit breaker):
// the caller may answer at once without recording a failed suggestion.
inline constexpr char kNothingSentPayload[] = "gardefou/nothing-sent";
// Set on an UNAVAILABLE error worth retrying (429, 5xx, a timeout); its value, when not
// empty, is the delay in milliseconds the provider asked for (Retry-After).
inline constexpr char kRetryablePayload[] = "gardefou/retryable";

// What a provider answers, before the workflow validates and stores it.
struct ProviderReply {
  std::string model;
  bool heuristic = false;  // true when rules, not a model, produced it
  std::string summary;
  std::vector<model::CriterionProposalRecord> criteria;  // EVALUATION
  std::vector<model::AnnotationRecord> annotations;      // CORRECTION
  std::vector<model::ExtraWorkProposalRecord> extra_work;  // EXTRA_WORK
};

class Provider {
 public:
  virtual ~Provider() = default;
  // The registry name, e.g. "offline-rubric".
  virtual absl::string_view name() const = 0;
  virtual ProviderInfo info() const = 0;
  // Produces a suggestion. UNAVAILABLE when the provider cannot be reached, INTERNAL when it
  // answered something unusable, DEADLINE_EXCEEDED / CANCELLED when the caller gave up.
  virtual absl::StatusOr<ProviderReply> Suggest(const ProviderRequest& request) = 0;
};

// Providers by name. Filled at start-up, read-only afterwards (then safe to share).
class ProviderRegistry {
 public:
  // ALREADY_EXISTS when the name is taken.
  absl::Status Register(std::unique_ptr<Provider> provider);
  // NOT_FOUND when no provider has that name.
  absl::StatusOr<Provider*> Find(absl::string_view name) const;

 private:
  std::map<std::string, std::unique_ptr<Provider>, std::less<>> providers_;
};

// Registers the providers compiled into gardefou that need no configuration
// ("offline-rubric"). Called explicitly: self-registering statics are dropped by the linker.
// ALREADY_EXISTS when one of them is registered already.
absl::Status RegisterBuiltinProviders(ProviderRegistry& registry);

struct ProvidersConfig;
// Registers each configured provider (openai-compatible, behind ResilientProvider).
absl::Status RegisterConfiguredProviders(ProviderRegistry& registry, const ProvidersConfig& config);

}  // namespace gardefou::plugins
