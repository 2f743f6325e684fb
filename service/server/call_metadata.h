// Reads the caller's tenant, actor and role from request metadata. The only code that knows
// the header names: verified credentials can replace it without touching handlers.
#pragma once

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "service/workflow/call_context.h"

namespace gardefou::server {

inline constexpr char kTenantHeader[] = "x-gardefou-tenant";
inline constexpr char kActorHeader[] = "x-gardefou-actor";
inline constexpr char kRoleHeader[] = "x-gardefou-role";

// UNAUTHENTICATED when a header is missing, repeated or malformed, or the role is unknown.
absl::StatusOr<workflow::CallContext> ReadCallContext(const grpc::ServerContextBase& context);

}  // namespace gardefou::server
