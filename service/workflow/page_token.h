// Opaque page tokens: a position in a listing, encoded so clients do not depend on its form.
#pragma once

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace gardefou::workflow {

std::string EncodePageToken(int64_t position);

// 0 for an empty token; INVALID_ARGUMENT for a token this server did not make.
absl::StatusOr<int64_t> DecodePageToken(absl::string_view token);

// The page size to use: `requested` if within [1, max], `default_size` if 0,
// INVALID_ARGUMENT otherwise.
absl::StatusOr<int> PageSize(int requested, int default_size, int max);

}  // namespace gardefou::workflow
