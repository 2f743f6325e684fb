// "openai-compatible": a provider speaking the OpenAI chat-completions protocol (Albert,
// Mistral, vLLM, Ollama, llama.cpp server...). POSTs {base_url}/chat/completions with a French
// system prompt per purpose and the (already pseudonymised) assignment and copy, asks for a
// JSON object, and parses it. Thread-safe: one curl handle per call.
#pragma once

#include <string>

#include "plugins/provider.h"

namespace gardefou::plugins {

struct OpenAiCompatibleConfig {
  std::string name;          // registry name, e.g. "albert"
  std::string base_url;      // e.g. "https://albert.api.etalab.gouv.fr/v1"
  std::string model;         // e.g. "mistralai/Mistral-Small-3.1-24B-Instruct-2503"
  std::string api_key_env;   // name of the environment variable holding the key; may be empty
  long connect_timeout_ms = 2000;
  long total_timeout_ms = 60000;
};

class OpenAiCompatibleProvider : public Provider {
 public:
  explicit OpenAiCompatibleProvider(OpenAiCompatibleConfig config);
  absl::string_view name() const override { return config_.name; }
  // UNAVAILABLE when the server cannot be reached, times out or answers 429/5xx; INTERNAL when
  // it answers something that is not the expected JSON.
  absl::StatusOr<ProviderReply> Suggest(const ProviderRequest& request) override;

 private:
  OpenAiCompatibleConfig config_;
};

}  // namespace gardefou::plugins
