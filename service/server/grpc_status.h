// The one place where absl::Status becomes grpc::Status. Messages are capped in length.
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace gardefou::server {

inline constexpr size_t kMaxStatusMessage = 1024;

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace gardefou::server
