// Wraps a remote provider with what a network endpoint needs: a limit on calls in flight,
// bounded retries with exponential backoff and jitter (never sooner than Retry-After), and a
// circuit breaker that fails fast while the endpoint is down and probes it again later. All
// waiting stops at the caller's deadline or cancellation.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>

#include "plugins/provider.h"
#include "plugins/provider_config.h"

namespace gardefou::plugins {

class ResilientProvider : public Provider {
 public:
  ResilientProvider(std::unique_ptr<Provider> inner, const ProviderSettings& settings);

  absl::string_view name() const override { return inner_->name(); }
  ProviderInfo info() const override { return inner_->info(); }
  // The inner provider's answer, or its last error after the retries; UNAVAILABLE with
  // kNothingSentPayload while the circuit is open.
  absl::StatusOr<ProviderReply> Suggest(const ProviderRequest& request) override;

 private:
  using Clock = std::chrono::steady_clock;

  // Waits for a free slot; the caller's deadline or cancellation ends the wait.
  absl::Status AcquireSlot(const ProviderRequest& request);
  void ReleaseSlot();
  // Sleeps `delay` unless the caller gives up first (then false).
  bool Sleep(std::chrono::milliseconds delay, const ProviderRequest& request);
  std::chrono::milliseconds Backoff(int retry, const absl::Status& error);
  // Whether a call may go out now (closed circuit, or the one probe of a half-open one).
  absl::Status AdmitThroughBreaker();
  enum class Outcome { kEndpointAnswered, kEndpointFailed, kNotTried };
  void RecordOutcome(Outcome outcome);

  std::unique_ptr<Provider> inner_;
  const ProviderSettings settings_;

  std::mutex mu_;
  std::condition_variable slot_freed_;
  int in_flight_ = 0;
  int consecutive_failures_ = 0;
  Clock::time_point open_until_{};
  bool probing_ = false;
  std::mt19937_64 jitter_{std::random_device{}()};
};

}  // namespace gardefou::plugins
