// The provider registry and the list of built-in providers.
#include "absl/strings/str_cat.h"
#include "plugins/offline_rubric.h"
#include "plugins/openai_compatible.h"
#include "plugins/provider.h"
#include "plugins/provider_config.h"
#include "plugins/resilient_provider.h"

namespace gardefou::plugins {

absl::Status ProviderRegistry::Register(std::unique_ptr<Provider> provider) {
  std::string name(provider->name());
  if (providers_.contains(name)) {
    return absl::AlreadyExistsError(absl::StrCat("provider '", name, "' is registered twice"));
  }
  providers_.emplace(std::move(name), std::move(provider));
  return absl::OkStatus();
}

absl::StatusOr<Provider*> ProviderRegistry::Find(absl::string_view name) const {
  auto it = providers_.find(name);
  if (it == providers_.end()) {
    return absl::NotFoundError(absl::StrCat("no provider named '", name, "' is configured"));
  }
  return it->second.get();
}

absl::Status RegisterBuiltinProviders(ProviderRegistry& registry) {
  return registry.Register(std::make_unique<OfflineRubricProvider>());
}

absl::Status RegisterConfiguredProviders(ProviderRegistry& registry, const ProvidersConfig& config) {
  for (const ProviderSettings& settings : config.providers) {
    absl::Status registered = registry.Register(std::make_unique<ResilientProvider>(
        std::make_unique<OpenAiCompatibleProvider>(settings), settings));
    if (!registered.ok()) return registered;
  }
  return absl::OkStatus();
}

}  // namespace gardefou::plugins
