// The auth file read by `gardefou serve --auth FILE`: which integrations (LMS/ENT deployments)
// may call, how their client certificate proves them, which tenants and roles their calls may
// carry, and which identity providers' tokens they may present for people.
//
//   [integration ent-hdf]                       # the integration's name, as the trail records it
//   certificate_uri = spiffe://ent-hdf.example/gardefou   # or certificate_dns = NAME: one SAN,
//                                               # matched exactly (never the subject's CN)
//   tenants = 0999001A 0999002B                 # UAIs its calls may name
//   roles = lms teacher inspector               # roles its calls may carry
//   issuers = idp-hdf                           # [issuer ...] sections whose tokens it may present
//   rate_per_second = 100                       # optional: token bucket (default 100/s,
//   burst = 200                                 #   burst twice the rate)
//
//   [issuer idp-hdf]
//   issuer = https://idp.hdf.example/realms/ent # exact `iss`
//   audience = gardefou                         # must be in `aud`
//   algorithms = RS256 ES256                    # allow-list: RS256, ES256, EdDSA
//   jwks_file = idp-hdf.jwks.json               # relative to this file's folder; re-read on change
//   role_claim = gardefou_role                  # optional, default shown
//   tenants_claim = gardefou_tenants            # optional, default shown: UAIs, array or
//                                               #   space-separated
//
// An inspector's token may also carry `gardefou_from` and `gardefou_until` (seconds since the
// epoch): the period its reads are limited to.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/auth/jwt_verifier.h"

namespace gardefou::auth {

struct IntegrationSettings {
  std::string name;
  std::string certificate_property;  // gRPC auth-context property: "peer_uri" or "peer_dns"
  std::string certificate_value;
  std::vector<std::string> tenants;
  std::vector<std::string> roles;
  std::vector<std::string> issuers;  // names of [issuer] sections
  double rate_per_second = 100;
  double burst = 200;
  int line = 0;
};

struct TokenIssuerSettings {
  IssuerSettings verify;  // name, iss, aud, algorithms
  std::string jwks_file;  // absolute, or relative to the process's folder when the file was
                          // given as text (tests)
  std::string role_claim = "gardefou_role";
  std::string tenants_claim = "gardefou_tenants";
  int line = 0;
};

struct AuthConfig {
  std::vector<IntegrationSettings> integrations;
  std::vector<TokenIssuerSettings> issuers;
};

// INVALID_ARGUMENT `source:line: field '...' ...` on any mistake: unknown, repeated or missing
// key, unknown role, algorithm or issuer, a certificate identity used twice, a bad UAI.
// Relative jwks_file paths are resolved against `base_dir`.
absl::StatusOr<AuthConfig> ParseAuthConfig(absl::string_view text, absl::string_view source,
                                           const std::string& base_dir = "");

// Reads and parses the file (relative JWKS paths resolved against its folder); NOT_FOUND when
// it cannot be read.
absl::StatusOr<AuthConfig> LoadAuthConfig(const std::string& path);

}  // namespace gardefou::auth
