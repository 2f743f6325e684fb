// The provider registry and the list of built-in providers.
#include "absl/strings/str_cat.h"
#include "plugins/offline_rubric.h"
#include "plugins/provider.h"

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

}  // namespace gardefou::plugins
