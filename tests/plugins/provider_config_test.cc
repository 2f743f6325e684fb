// Tests of the providers file: a complete file parses to the right settings, and each kind of
// mistake is refused with the file, the line and the field named.
#include "plugins/provider_config.h"

#include <gtest/gtest.h>

namespace gardefou::plugins {
namespace {

constexpr char kValid[] = R"(# two providers
default = albert

[albert]
kind = openai-compatible
base_url = "https://albert.api.etalab.gouv.fr/v1/"
model = albert-large
api_key_env = ALBERT_API_KEY
eu_residency = yes
retention = none
used_for_training = no
max_concurrent = 8
max_retries = 3

[ollama]   # local
kind = openai-compatible
base_url = http://127.0.0.1:11434/v1
model = mistral-small
eu_residency = yes
retention = 30 days
used_for_training = no
timeout_ms = 120000
)";

TEST(ProvidersConfig, AValidFileGivesEachProviderItsSettingsAndGuarantees) {
  absl::StatusOr<ProvidersConfig> config = ParseProvidersConfig(kValid, "providers.conf");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->default_provider, "albert");
  ASSERT_EQ(config->providers.size(), 2u);
  const ProviderSettings& albert = config->providers[0];
  EXPECT_EQ(albert.name, "albert");
  EXPECT_EQ(albert.base_url, "https://albert.api.etalab.gouv.fr/v1");  // trailing '/' dropped
  EXPECT_EQ(albert.api_key_env, "ALBERT_API_KEY");
  EXPECT_EQ(albert.max_concurrent, 8);
  EXPECT_EQ(albert.max_retries, 3);
  EXPECT_EQ(albert.timeout_ms, 60000);  // the default
  EXPECT_TRUE(albert.guarantees.eu_residency);
  EXPECT_EQ(albert.guarantees.retention_days, 0);
  EXPECT_FALSE(albert.guarantees.used_for_training);
  const ProviderSettings& ollama = config->providers[1];
  EXPECT_EQ(ollama.guarantees.retention_days, 30);
  EXPECT_EQ(ollama.timeout_ms, 120000);
  EXPECT_TRUE(ollama.api_key_env.empty());
}

struct Mistake {
  std::string text;
  std::string expected;  // a part of the message
};

TEST(ProvidersConfig, EachMistakeNamesTheLineAndTheField) {
  const std::string head =
      "[p]\nkind = openai-compatible\nbase_url = http://h/v1\nmodel = m\n";
  const std::string guarantees = "eu_residency = yes\nretention = none\nused_for_training = no\n";
  const std::vector<Mistake> mistakes = {
      {head + guarantees + "timeout_ms = soon\n", "f:8: field 'timeout_ms' must be a whole number"},
      {head + guarantees + "max_concurrent = 0\n", "f:8: field 'max_concurrent'"},
      {head + guarantees + "max_reply_bytes = 100\n",
       "f:8: field 'max_reply_bytes' must be a whole number from 1024 to 67108864"},
      {head + guarantees + "retry_after_max_ms = -1\n",
       "f:8: field 'retry_after_max_ms' must be a whole number from 0 to 3600000"},
      {head + guarantees + "colour = blue\n", "f:8: field 'colour' is unknown"},
      {head + guarantees + "model = again\n", "f:8: field 'model' is given twice"},
      {head + "eu_residency = yes\nused_for_training = no\n", "f:1: field 'retention' is missing in [p]"},
      {head + "eu_residency = maybe\n", "f:5: field 'eu_residency' must be yes or no"},
      {head + "retention = forever\n", "f:5: field 'retention' must be none or N days"},
      {"[p]\nkind = openai-compatible\nbase_url = ftp://h\n", "f:3: field 'base_url' must be an http"},
      {"[p]\nkind = anthropic\n", "f:2: field 'kind' must be openai-compatible"},
      {"[p]\napi_key_env = sk-123 secret\n", "f:2: field 'api_key_env' must be the name of an environment variable"},
      {head + guarantees + "[p]\n", "f:8: provider 'p' is defined twice"},
      {"[offline-rubric]\n", "f:1: provider 'offline-rubric' is built in"},
      {"[bad name]\n", "f:1: a provider name uses letters"},
      {"[p\n", "f:1: a section header must look like [name]"},
      {"just words\n", "f:1: expected `key = value`"},
      {"model = m\n", "f:1: field 'model' is unknown before the first [name] section"},
      {"default = nobody\n" + head + guarantees, "f:1: field 'default' names 'nobody', which is not defined"},
  };
  for (const Mistake& m : mistakes) {
    absl::StatusOr<ProvidersConfig> config = ParseProvidersConfig(m.text, "f");
    ASSERT_FALSE(config.ok()) << m.text;
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(config.status().message().find(m.expected), absl::string_view::npos)
        << "got: " << config.status().message() << "\nwanted: " << m.expected;
  }
}

TEST(ProvidersConfig, AnUnreadableFileIsNotFound) {
  EXPECT_EQ(LoadProvidersConfig("/nonexistent/providers.conf").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace gardefou::plugins
