// The one door through which anything leaves for an AI provider. Pseudonymisation and the
// independent leak check (DESIGN.md invariant 3) belong here and nowhere else.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "plugins/provider.h"

namespace gardefou::workflow {

struct EgressResult {
  absl::StatusOr<plugins::ProviderReply> reply;  // the provider's answer or its failure
  std::string payload_sha256;  // hex SHA-256 of the exact payload handed to the provider
  int64_t latency_ms = 0;
};

// Sends `request` to `provider` and reports what was sent and how it went.
EgressResult SendToProvider(plugins::Provider& provider, const plugins::ProviderRequest& request);

}  // namespace gardefou::workflow
