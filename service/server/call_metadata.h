// Reading request metadata: one header's single value, checked as an id.
#pragma once

#include <grpcpp/server_context.h>

#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace gardefou::server {

// The header's one value: UNAUTHENTICATED when it is repeated or not an id of at most
// `max_len` characters; nullopt when absent.
absl::StatusOr<std::optional<std::string>> OptionalHeader(const grpc::ServerContextBase& context,
                                                          const char* name, size_t max_len);

// As above, but absence is UNAUTHENTICATED too.
absl::StatusOr<std::string> RequiredHeader(const grpc::ServerContextBase& context,
                                           const char* name, size_t max_len = 128);

}  // namespace gardefou::server
