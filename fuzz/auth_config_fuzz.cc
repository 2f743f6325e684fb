// Fuzz target: the auth file parser (`gardefou serve --auth FILE`), relative JWKS paths
// resolved against a folder as when the file is loaded.
#include <cstddef>
#include <cstdint>

#include "service/auth/auth_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  (void)gardefou::auth::ParseAuthConfig(text, "auth.conf", "/etc/gardefou");
  return 0;
}
