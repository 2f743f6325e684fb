// JWK members to EVP_PKEY through EVP_PKEY_fromdata (RSA, EC) and the raw Ed25519 constructor;
// OpenSSL's error queue is emptied after each refusal so it never reaches an unrelated caller.
#include "service/auth/public_keys.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "service/auth/openssl_handles.h"

namespace gardefou::auth {
namespace {

constexpr int kMinModulusBits = 2048;
constexpr int kMaxModulusBits = 8192;
constexpr int kMaxExponentBits = 64;
constexpr size_t kCoordinateBytes = 32;

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::shared_ptr<EVP_PKEY> Shared(EVP_PKEY* key) {
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

// The public key of OpenSSL type `type` ("RSA", "EC") described by the builder's parameters.
absl::StatusOr<std::shared_ptr<EVP_PKEY>> FromData(const char* type, OSSL_PARAM_BLD* builder,
                                                   absl::string_view members) {
  const ParamsPtr params(OSSL_PARAM_BLD_to_param(builder));
  const PkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (params == nullptr || context == nullptr || EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(absl::StrCat(members, ": not a valid ", type, " public key"));
  }
  return Shared(key);
}

}  // namespace

absl::StatusOr<std::shared_ptr<EVP_PKEY>> RsaPublicKey(absl::string_view n, absl::string_view e) {
  const BignumPtr modulus(BN_bin2bn(Bytes(n), static_cast<int>(n.size()), nullptr));
  const BignumPtr exponent(BN_bin2bn(Bytes(e), static_cast<int>(e.size()), nullptr));
  const ParamBuilderPtr builder(OSSL_PARAM_BLD_new());
  if (modulus == nullptr || exponent == nullptr || builder == nullptr) {
    return absl::ResourceExhaustedError("OpenSSL cannot allocate an RSA key");
  }
  const int bits = BN_num_bits(modulus.get());
  if (bits < kMinModulusBits || bits > kMaxModulusBits) {
    return absl::InvalidArgumentError(absl::StrCat("member 'n': the modulus has ", bits, " bits (",
                                                   kMinModulusBits, " to ", kMaxModulusBits,
                                                   " accepted)"));
  }
  if (!BN_is_odd(modulus.get())) {
    return absl::InvalidArgumentError("member 'n': the modulus is even");
  }
  if (BN_num_bits(exponent.get()) > kMaxExponentBits || !BN_is_odd(exponent.get()) ||
      BN_is_one(exponent.get())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "member 'e': the exponent must be odd, from 3 to ", kMaxExponentBits, " bits"));
  }
  if (OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
    return absl::ResourceExhaustedError("OpenSSL cannot allocate an RSA key");
  }
  return FromData("RSA", builder.get(), "members 'n' and 'e'");
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> P256PublicKey(absl::string_view x, absl::string_view y) {
  if (x.size() != kCoordinateBytes) {
    return absl::InvalidArgumentError("member 'x': a P-256 coordinate has 32 bytes");
  }
  if (y.size() != kCoordinateBytes) {
    return absl::InvalidArgumentError("member 'y': a P-256 coordinate has 32 bytes");
  }
  const std::string point = absl::StrCat("\x04", x, y);  // SEC 1 uncompressed form
  const ParamBuilderPtr builder(OSSL_PARAM_BLD_new());
  if (builder == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                      SN_X9_62_prime256v1, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return absl::ResourceExhaustedError("OpenSSL cannot allocate an EC key");
  }
  // Decoding the point refuses one off the curve (P-256 has cofactor 1: on it is in the group).
  return FromData("EC", builder.get(), "members 'x' and 'y'");
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> Ed25519PublicKey(absl::string_view x) {
  if (x.size() != kCoordinateBytes) {
    return absl::InvalidArgumentError("member 'x': an Ed25519 public key has 32 bytes");
  }
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, Bytes(x), x.size());
  if (key == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError("member 'x': not a valid Ed25519 public key");
  }
  return Shared(key);
}

}  // namespace gardefou::auth
