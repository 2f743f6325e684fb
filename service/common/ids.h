// Server-assigned object ids and the server clock.
#pragma once

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

namespace gardefou::common {

// A random id "<prefix>-<26 base32 chars>" (128 bits of randomness), e.g. "cp-...".
std::string NewId(absl::string_view prefix);

// Microseconds since the Unix epoch, from the system clock.
int64_t NowMicros();

}  // namespace gardefou::common
