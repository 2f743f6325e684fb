// OpenSSL public keys built from the decoded members of a JWK (RFC 7518 §6): RSA n and e,
// EC P-256 x and y, Ed25519 x. Only keys fit to verify signatures are built.
#pragma once

#include <openssl/evp.h>

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gardefou::auth {

// The modulus (big-endian bytes) must have 2048 to 8192 bits and be odd; the exponent odd,
// from 3 to 64 bits. INVALID_ARGUMENT naming the member ('n' or 'e') otherwise.
absl::StatusOr<std::shared_ptr<EVP_PKEY>> RsaPublicKey(absl::string_view n, absl::string_view e);

// x and y of 32 bytes each, a point of P-256. INVALID_ARGUMENT naming the member otherwise.
absl::StatusOr<std::shared_ptr<EVP_PKEY>> P256PublicKey(absl::string_view x, absl::string_view y);

// x of 32 bytes. INVALID_ARGUMENT naming the member otherwise.
absl::StatusOr<std::shared_ptr<EVP_PKEY>> Ed25519PublicKey(absl::string_view x);

}  // namespace gardefou::auth
