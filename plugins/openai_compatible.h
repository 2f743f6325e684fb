// "openai-compatible": a provider speaking the OpenAI chat-completions protocol (Albert,
// Mistral, vLLM, Ollama, llama.cpp server...). POSTs {base_url}/chat/completions with a French
// system prompt per purpose and the (already pseudonymised) assignment and copy, asks for
// structured output (a JSON schema, or a plain JSON object where the server refuses schemas),
// and parses it strictly. One attempt per call: retries belong to ResilientProvider.
// Thread-safe: one curl handle per call.
#pragma once

#include <atomic>
#include <string>

#include "plugins/provider.h"
#include "plugins/provider_config.h"

namespace gardefou::plugins {

// True for an https:// URL, and for an http:// one whose host is a loopback address
// (127.0.0.0/8, localhost, [::1]).
bool EncryptedOrLocal(absl::string_view base_url);

class OpenAiCompatibleProvider : public Provider {
 public:
  explicit OpenAiCompatibleProvider(ProviderSettings settings);
  absl::string_view name() const override { return settings_.name; }
  ProviderInfo info() const override {
    return {settings_.model, settings_.guarantees, EncryptedOrLocal(settings_.base_url)};
  }
  // UNAVAILABLE when the server cannot be reached, or (marked retryable, with its Retry-After)
  // times out or answers 429/5xx; INTERNAL when it answers something that is not the expected
  // JSON; DEADLINE_EXCEEDED / CANCELLED when the caller gave up meanwhile.
  absl::StatusOr<ProviderReply> Suggest(const ProviderRequest& request) override;

 private:
  struct Exchange;
  // One HTTP exchange with the given response_format.
  absl::StatusOr<Exchange> Post(const ProviderRequest& request, bool with_schema) const;

  ProviderSettings settings_;
  std::atomic<bool> schema_refused_{false};  // the server rejected json_schema once
};

// Parses a chat-completions reply `body` into the answer expected for `purpose`; INTERNAL when
// it is not that. The reply's model is kept when it is a plain name, else `configured_model`.
absl::StatusOr<ProviderReply> ParseChatCompletion(const std::string& body, model::Purpose purpose,
                                                  const std::string& configured_model);

}  // namespace gardefou::plugins
