// Test support: mints JWTs (RFC 7515/7519 compact form) and JWKS documents in memory, signed
// properly (RS256, ES256, EdDSA) or deliberately wrongly (alg "none", HS256 key confusion).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/openssl_util.h"

namespace gardefou::testing {

enum class TokenKeyKind { kRsa, kEc, kEd25519 };

// A fresh signing key pair. OpenSSL failures abort the test binary with a message.
class TokenKey {
 public:
  // Generates RSA-2048, EC P-256 or Ed25519.
  TokenKey(TokenKeyKind kind, std::string kid);

  const std::string& kid() const { return kid_; }
  std::string alg() const;  // "RS256", "ES256", "EdDSA"

  // The public JWK: kty (RSA/EC/OKP), kid, alg, use "sig"; RSA n, e; EC crv P-256, x, y
  // (32 bytes each, left-padded); OKP crv Ed25519, x.
  nlohmann::json Jwk() const;

  // SubjectPublicKeyInfo PEM of the public key.
  std::string PublicPem() const;

  // header = {"alg": alg(), "typ": "JWT", "kid": kid()}, then header_overrides applied on top
  // (a member set to null removes it). Signs base64url(header).base64url(claims): RS256 is
  // RSASSA-PKCS1-v1_5 SHA-256, ES256 the raw 64-byte r||s, EdDSA Ed25519.
  std::string Sign(const nlohmann::json& claims,
                   const nlohmann::json& header_overrides = nlohmann::json::object()) const;

 private:
  TokenKeyKind kind_;
  std::string kid_;
  PkeyPtr key_;
};

// {"keys": [jwk, ...]}, compact.
std::string JwksJson(const std::vector<const TokenKey*>& keys);

// alg "none" with an empty signature part: "header.payload." (no kid member when kid is empty).
std::string UnsignedToken(const nlohmann::json& claims, const std::string& kid);

// alg "HS256" MAC'd with `secret` as the HMAC key (tests use a public key's PEM as the secret);
// no kid member when kid is empty.
std::string Hs256Token(const nlohmann::json& claims, const std::string& secret,
                       const std::string& kid);

// base64url without padding (RFC 4648 §5).
std::string Base64Url(std::string_view bytes);

}  // namespace gardefou::testing
