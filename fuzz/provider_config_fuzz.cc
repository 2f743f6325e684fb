// Fuzz target: the providers file parser (`gardefou serve --providers FILE`).
#include <cstddef>
#include <cstdint>

#include "plugins/provider_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  (void)gardefou::plugins::ParseProvidersConfig(text, "providers.conf");
  return 0;
}
