// The providers file read by `gardefou serve --providers FILE`: which AI endpoints exist, how
// to reach them, how hard to try, and what their operators guarantee about the data.
//
//   default = albert                      # optional: the provider used when a request names none
//
//   [albert]                              # the provider's name, as requests refer to it
//   kind = openai-compatible
//   base_url = https://albert.api.etalab.gouv.fr/v1
//   model = albert-large
//   api_key_env = ALBERT_API_KEY          # the variable holding the key (never the key itself)
//   eu_residency = yes                    # required: yes | no
//   retention = none                      # required: none | N days
//   used_for_training = no                # required: yes | no
//   connect_timeout_ms = 2000             # optional, with the defaults shown in ProviderSettings
//
// Lines are `key = value`; '#' starts a comment; values may be wrapped in double quotes.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "plugins/provider.h"

namespace gardefou::plugins {

struct ProviderSettings {
  std::string name;
  std::string kind;         // "openai-compatible"
  std::string base_url;     // http(s)://host[:port]/path, without /chat/completions
  std::string model;
  std::string api_key_env;  // may be empty (local servers need no key)
  long connect_timeout_ms = 2000;
  long timeout_ms = 60000;       // one attempt, connection included
  int max_concurrent = 4;        // calls in flight at once; the others wait their turn
  int max_retries = 2;           // after the first attempt, on 429, 5xx and timeouts
  long backoff_initial_ms = 500;  // doubled per retry, with jitter, capped below
  long backoff_max_ms = 10000;
  int breaker_failures = 5;      // consecutive failed calls that open the circuit
  long breaker_cooldown_ms = 30000;  // how long an open circuit fails fast before a probe
  long max_reply_bytes = 1 << 20;    // a longer reply body is cut off and refused
  long retry_after_max_ms = 60000;   // a vendor's Retry-After is honoured up to this
  Guarantees guarantees;
  int line = 0;  // where the section starts, for messages
};

struct ProvidersConfig {
  std::string default_provider;  // empty: the policy's default
  std::vector<ProviderSettings> providers;
};

// INVALID_ARGUMENT naming `source` (the file name), the line and the field on any mistake:
// unknown or repeated key, missing required field, bad number, bad URL, repeated name.
absl::StatusOr<ProvidersConfig> ParseProvidersConfig(absl::string_view text,
                                                     absl::string_view source);

// Reads and parses the file; NOT_FOUND when it cannot be read.
absl::StatusOr<ProvidersConfig> LoadProvidersConfig(const std::string& path);

}  // namespace gardefou::plugins
