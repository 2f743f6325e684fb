// The interface every AI provider implements, and the registry that finds one by name.
//
// Lifecycle: providers are created at server start, registered once, and live until shutdown.
// Thread safety: Suggest() may be called from several worker threads at once; implementations
// must be safe for concurrent calls. Providers never see real names: the only caller is the
// egress function of the workflow, which hands them pseudonymised text.
#pragma once

#include <map>
#include <memory>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "service/store/records.h"

namespace gardefou::plugins {

// What a provider is asked. Every text field has already left the service's trust boundary.
struct ProviderRequest {
  store::Purpose purpose = store::Purpose::kCorrection;
  std::string assignment_title;
  std::string instructions;
  std::vector<store::CriterionRecord> criteria;
  std::string copy_text;
};

// What a provider answers, before the workflow validates and stores it.
struct ProviderReply {
  std::string model;
  bool heuristic = false;  // true when rules, not a model, produced it
  std::string summary;
  std::vector<store::CriterionProposalRecord> criteria;  // EVALUATION
  std::vector<store::AnnotationRecord> annotations;      // CORRECTION
  std::vector<store::ExtraWorkProposalRecord> extra_work;  // EXTRA_WORK
};

class Provider {
 public:
  virtual ~Provider() = default;
  // The registry name, e.g. "offline-rubric".
  virtual absl::string_view name() const = 0;
  // Produces a suggestion. UNAVAILABLE when the provider cannot be reached, INTERNAL when it
  // answered something unusable.
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

}  // namespace gardefou::plugins
