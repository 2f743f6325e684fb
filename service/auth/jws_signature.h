// Checks the signature of a JWS (RFC 7515) under one of the three algorithms gardefou accepts
// (RFC 7518 §3.3, §3.4; RFC 8037): RS256, ES256 and EdDSA with Ed25519.
#pragma once

#include <openssl/evp.h>

#include "absl/strings/string_view.h"

namespace gardefou::auth {

// True only when `signature` (decoded bytes) is `key`'s signature of `signing_input` under
// `alg`, and `key` is of the type `alg` needs: an RSA key never checks an ES256 signature.
bool VerifySignature(absl::string_view alg, EVP_PKEY* key, absl::string_view signing_input,
                     absl::string_view signature);

}  // namespace gardefou::auth
