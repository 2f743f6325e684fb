// The policy in force, replaceable while the server runs (SIGHUP): each reader takes the
// current one and keeps it for as long as it needs it, so a call never sees two policies.
#pragma once

#include <memory>
#include <mutex>
#include <utility>

#include "policy/policy.h"

namespace gardefou::policy {

class PolicyHolder {
 public:
  explicit PolicyHolder(Policy initial)
      : current_(std::make_shared<const Policy>(std::move(initial))) {}

  std::shared_ptr<const Policy> Current() const {
    std::lock_guard<std::mutex> lock(mu_);
    return current_;
  }

  // Puts `next` in force and returns the policy it replaces.
  std::shared_ptr<const Policy> Replace(Policy next) {
    auto replacement = std::make_shared<const Policy>(std::move(next));
    std::lock_guard<std::mutex> lock(mu_);
    std::swap(current_, replacement);
    return replacement;
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const Policy> current_;
};

}  // namespace gardefou::policy
