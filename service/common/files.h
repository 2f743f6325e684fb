// Reading a whole file, for the CLI, tests and benchmarks.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace gardefou::common {

// The file's bytes; NOT_FOUND naming the path when it cannot be read.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

}  // namespace gardefou::common
