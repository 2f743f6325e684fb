// Concurrency slots, retries with backoff, and the circuit breaker's three states (closed,
// open until a time, half-open with one probe in flight).
#include "plugins/resilient_provider.h"

#include <algorithm>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/common/error_reason.h"

namespace gardefou::plugins {
namespace {

using std::chrono::milliseconds;

absl::Status CallerGaveUp(const ProviderRequest& request) {
  if (request.cancelled()) return absl::CancelledError("the caller cancelled the request");
  if (std::chrono::system_clock::now() >= request.deadline) {
    return absl::DeadlineExceededError("the caller's deadline passed");
  }
  return absl::OkStatus();
}

bool Retryable(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable &&
         status.GetPayload(kRetryablePayload).has_value();
}

}  // namespace

ResilientProvider::ResilientProvider(std::unique_ptr<Provider> inner,
                                     const ProviderSettings& settings)
    : inner_(std::move(inner)), settings_(settings) {}

absl::Status ResilientProvider::AcquireSlot(const ProviderRequest& request) {
  std::unique_lock<std::mutex> lock(mu_);
  while (in_flight_ >= settings_.max_concurrent) {
    // Short waits: cancellation has no condition variable to signal.
    slot_freed_.wait_for(lock, milliseconds(50));
    if (absl::Status st = CallerGaveUp(request); !st.ok()) {
      absl::Status gave_up(st.code(), absl::StrCat(st.message(), " while waiting for a free slot "
                                                   "to provider '", name(), "'; nothing was sent"));
      gave_up.SetPayload(kNothingSentPayload, absl::Cord("1"));
      return gave_up;
    }
  }
  ++in_flight_;
  return absl::OkStatus();
}

void ResilientProvider::ReleaseSlot() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    --in_flight_;
  }
  slot_freed_.notify_one();
}

bool ResilientProvider::Sleep(milliseconds delay, const ProviderRequest& request) {
  if (std::chrono::system_clock::now() + delay >= request.deadline) return false;
  const auto until = Clock::now() + delay;
  while (Clock::now() < until) {
    if (request.cancelled()) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(milliseconds(20), until - Clock::now()));
  }
  return true;
}

milliseconds ResilientProvider::Backoff(int retry, const absl::Status& error) {
  const long ceiling = std::min(settings_.backoff_max_ms,
                                settings_.backoff_initial_ms << std::min(retry, 20));
  long delay = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    delay = std::uniform_int_distribution<long>(ceiling / 2, ceiling)(jitter_);
  }
  long asked = 0;
  if (auto payload = error.GetPayload(kRetryablePayload);
      payload.has_value() && absl::SimpleAtoi(std::string(*payload), &asked)) {
    // A vendor's Retry-After is honoured up to a bound: "99999" must not hold the caller.
    delay = std::max(delay, std::min(asked, settings_.retry_after_max_ms));
  }
  return milliseconds(delay);
}

absl::Status ResilientProvider::AdmitThroughBreaker() {
  std::lock_guard<std::mutex> lock(mu_);
  if (consecutive_failures_ < settings_.breaker_failures) return absl::OkStatus();
  const auto now = Clock::now();
  if (now >= open_until_ && !probing_) {
    probing_ = true;  // half-open: this call is the probe
    return absl::OkStatus();
  }
  const auto wait = std::chrono::duration_cast<std::chrono::seconds>(
      std::max(open_until_ - now, Clock::duration::zero()));
  absl::Status refused = absl::UnavailableError(absl::StrCat(
      "provider '", name(), "' failed ", consecutive_failures_,
      " times in a row: calls are refused for ", wait.count() + 1,
      " s (circuit open); nothing was sent"));
  refused.SetPayload(kNothingSentPayload, absl::Cord("1"));
  refused = common::WithReason(std::move(refused), "CIRCUIT_OPEN");
  return refused;
}

void ResilientProvider::RecordOutcome(Outcome outcome) {
  std::lock_guard<std::mutex> lock(mu_);
  probing_ = false;
  if (outcome == Outcome::kNotTried) return;
  if (outcome == Outcome::kEndpointAnswered) {
    consecutive_failures_ = 0;
    return;
  }
  if (++consecutive_failures_ >= settings_.breaker_failures) {
    open_until_ = Clock::now() + milliseconds(settings_.breaker_cooldown_ms);
  }
}

absl::StatusOr<ProviderReply> ResilientProvider::Suggest(const ProviderRequest& request) {
  if (absl::Status admitted = AdmitThroughBreaker(); !admitted.ok()) return admitted;
  if (absl::Status slot = AcquireSlot(request); !slot.ok()) {
    RecordOutcome(Outcome::kNotTried);
    return slot;
  }
  absl::StatusOr<ProviderReply> reply = inner_->Suggest(request);
  int attempts = 1;
  bool holding_slot = true;
  for (; !reply.ok() && Retryable(reply.status()) && attempts <= settings_.max_retries;
       ++attempts) {
    // The slot is given back while waiting: a vendor asking for patience does not stop
    // other callers' requests.
    ReleaseSlot();
    holding_slot = false;
    if (!Sleep(Backoff(attempts - 1, reply.status()), request) || !AcquireSlot(request).ok()) {
      break;
    }
    holding_slot = true;
    reply = inner_->Suggest(request);
  }
  if (holding_slot) ReleaseSlot();
  const bool down = !reply.ok() && reply.status().code() == absl::StatusCode::kUnavailable;
  RecordOutcome(down ? Outcome::kEndpointFailed : Outcome::kEndpointAnswered);
  if (!reply.ok() && attempts > 1) {
    return absl::Status(reply.status().code(),
                        absl::StrCat(reply.status().message(), " (", attempts, " attempts)"));
  }
  return reply;
}

}  // namespace gardefou::plugins
