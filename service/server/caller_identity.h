// Who is calling: the one question every handler asks first. Two answers exist: verified
// (client certificate of an integration, signed token of a person) and, for development on
// loopback only, headers trusted as sent.
#pragma once

#include <grpcpp/server_context.h>

#include <memory>

#include "absl/status/statusor.h"
#include "service/auth/auth_config.h"
#include "service/workflow/call_context.h"

namespace gardefou::server {

inline constexpr char kTenantHeader[] = "x-gardefou-tenant";
inline constexpr char kActorHeader[] = "x-gardefou-actor";
inline constexpr char kRoleHeader[] = "x-gardefou-role";
inline constexpr char kAuthorizationHeader[] = "authorization";

class CallerIdentity {
 public:
  virtual ~CallerIdentity() = default;
  // The call's context, or UNAUTHENTICATED (nothing proves the caller), PERMISSION_DENIED
  // (proven, but not allowed this tenant or role) or RESOURCE_EXHAUSTED (rate limit).
  virtual absl::StatusOr<workflow::CallContext> Identify(
      const grpc::ServerContextBase& context) const = 0;
};

// Tenant, actor and role read from x-gardefou-* headers, trusted as sent.
std::unique_ptr<CallerIdentity> DevHeaderIdentity();

// Integrations proven by their client certificate, people by a bearer token from a trusted
// issuer; the x-gardefou-actor/role headers are ignored. Fails when a JWKS file cannot be read.
absl::StatusOr<std::unique_ptr<CallerIdentity>> VerifiedIdentity(const auth::AuthConfig& config);

}  // namespace gardefou::server
