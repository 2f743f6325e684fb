// Verification of the bearer tokens that schools' identity providers issue for people: JWTs
// (RFC 7519) in JWS compact form (RFC 7515), signed with a key of the issuer's JWKS. What a
// verified token lets its bearer do is decided elsewhere.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/auth/jwks.h"

namespace gardefou::auth {

struct IssuerSettings {
  std::string name;                     // the section name in the auth file (for messages)
  std::string issuer;                   // exact "iss"
  std::string audience;                 // must be in "aud" (a string or an array)
  std::vector<std::string> algorithms;  // allow-list, a subset of RS256, ES256, EdDSA
};

struct VerifiedToken {
  std::string issuer, subject, jti;  // jti empty when the token has none
  std::string token_sha256;  // hex SHA-256 of the whole compact token (for the audit trail;
                             // never the token)
  int64_t expires_at = 0;    // exp, seconds since the epoch
  nlohmann::json claims;     // the payload object
};

// The "iss" of a token without verifying anything (to choose the issuer's settings);
// UNAUTHENTICATED when the token is malformed or has no issuer.
absl::StatusOr<std::string> UnverifiedIssuer(absl::string_view token);

// Verifies: compact form with exactly 3 parts, at most 8192 bytes; a header JSON object with
// "alg" in the issuer's allow-list (so never "none", never HS*), "kid" present and found in
// `keys`, and that key made for the header's alg (a key never verifies another algorithm: this
// blocks RS/HS confusion); "crit" refused; a valid signature; a payload JSON object with
// iss == settings.issuer, settings.audience in aud, a numeric "exp" (required) and "nbf", "iat"
// (optional), now <= exp + leeway and now >= nbf - leeway (leeway capped at 60 s), and "sub" a
// non-empty string of at most 256 bytes. Every failure is UNAUTHENTICATED with a short reason
// ("token expired", "unknown key id", "bad signature", ...) that never quotes the token.
absl::StatusOr<VerifiedToken> VerifyJwt(absl::string_view token, const IssuerSettings& settings,
                                        const KeySet& keys, int64_t now_seconds,
                                        int64_t leeway_seconds = 60);

}  // namespace gardefou::auth
