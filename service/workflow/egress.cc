// Egress: hashes the outbound payload for the audit trail and times the provider call.
#include "service/workflow/egress.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "service/common/hashing.h"
#include "service/store/record_json.h"

namespace gardefou::workflow {
namespace {

// The payload as a provider receives it, canonical so that its hash is reproducible.
std::string PayloadBytes(const plugins::ProviderRequest& request) {
  const nlohmann::json payload = {
      {"purpose", static_cast<int>(request.purpose)},
      {"assignment_title", request.assignment_title},
      {"instructions", request.instructions},
      {"criteria", request.criteria},
      {"copy_text", request.copy_text},
  };
  return payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

EgressResult SendToProvider(plugins::Provider& provider, const plugins::ProviderRequest& request) {
  EgressResult result{absl::UnknownError("not called"), common::Sha256Hex(PayloadBytes(request))};
  const auto start = std::chrono::steady_clock::now();
  result.reply = provider.Suggest(request);
  result.latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  return result;
}

}  // namespace gardefou::workflow
