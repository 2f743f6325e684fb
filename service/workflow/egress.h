// The one door through which anything leaves for an AI provider (docs/design.md invariant 3):
// every text is pseudonymised, the exact payload passes an independent leak check, and only
// then is the provider called; its answer comes back with placeholders restored.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "plugins/provider.h"
#include "service/pseudonym/lexicon.h"
#include "service/model/records.h"

namespace gardefou::workflow {

struct EgressResult {
  // The provider's answer, re-identified, or its failure. Not set when blocked.
  absl::StatusOr<plugins::ProviderReply> reply = absl::UnknownError("not sent");
  std::map<std::string, int> blocked;        // leak-gate hits by type: non-empty = not sent
  std::map<std::string, int> entity_counts;  // replaced mentions by type
  std::vector<std::string> unknown_placeholders;
  std::string payload_sha256;  // hex SHA-256 of the exact payload (pseudonymised)
  int64_t latency_ms = 0;
};

// Pseudonymises `request` against `roster` (the author `author_id` becomes [ELEVE_1]),
// checks it, sends it to `provider` unless blocked, and restores the answer.
EgressResult SendToProvider(plugins::Provider& provider, const plugins::ProviderRequest& request,
                            const model::RosterRecord& roster, const std::string& author_id,
                            const pseudonym::Lexicon& lexicon);

}  // namespace gardefou::workflow
