// "offline-rubric": a deterministic, in-process provider that needs no network. It reads
// observable features of the text (length, sentence length, repetitions, coverage of the
// rubric descriptors' keywords) and says so: every reply is labelled heuristic.
#pragma once

#include "plugins/provider.h"

namespace gardefou::plugins {

class OfflineRubricProvider : public Provider {
 public:
  absl::string_view name() const override { return "offline-rubric"; }
  // Runs inside gardefou: nothing leaves the server, nothing is kept or learnt from.
  ProviderInfo info() const override { return {"offline-rubric-1", {true, 0, false}, true}; }
  // Never fails for valid input; the same request always gives the same reply.
  absl::StatusOr<ProviderReply> Suggest(const ProviderRequest& request) override;
};

}  // namespace gardefou::plugins
