// A token bucket: `rate` calls per second on average, `burst` at once. Thread-safe.
#pragma once

#include <algorithm>
#include <chrono>

#include "absl/synchronization/mutex.h"

namespace gardefou::auth {

class TokenBucket {
 public:
  TokenBucket(double rate_per_second, double burst)
      : rate_(rate_per_second), burst_(burst), tokens_(burst), last_(Clock::now()) {}

  // Takes one token if there is one.
  bool TryTake() {
    absl::MutexLock lock(&mu_);
    const Clock::time_point now = Clock::now();
    tokens_ = std::min(burst_, tokens_ + rate_ * std::chrono::duration<double>(now - last_).count());
    last_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

 private:
  using Clock = std::chrono::steady_clock;
  const double rate_;
  const double burst_;
  absl::Mutex mu_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace gardefou::auth
