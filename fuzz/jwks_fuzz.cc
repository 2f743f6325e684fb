// Fuzz target: the JSON Web Key Set of a school's identity provider (a JWKS file).
#include <cstddef>
#include <cstdint>

#include "service/auth/jwks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)gardefou::auth::KeySet::Parse(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
