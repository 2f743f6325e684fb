// EVP_DigestVerify for each algorithm; ES256's fixed-size r||s is re-encoded as the DER
// ECDSA-Sig-Value that OpenSSL verifies.
#include "service/auth/jws_signature.h"

#include <openssl/err.h>

#include <optional>
#include <string>

#include "service/auth/openssl_handles.h"

namespace gardefou::auth {
namespace {

constexpr size_t kEs256Bytes = 64;    // r and s, 32 bytes each (RFC 7518 §3.4)
constexpr size_t kEd25519Bytes = 64;  // RFC 8032 §5.1.6

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The DER SEQUENCE { r INTEGER, s INTEGER } of a raw ES256 signature.
std::optional<std::string> Es256ToDer(absl::string_view raw) {
  if (raw.size() != kEs256Bytes) return std::nullopt;
  const size_t half = kEs256Bytes / 2;
  BignumPtr r(BN_bin2bn(Bytes(raw), half, nullptr));
  BignumPtr s(BN_bin2bn(Bytes(raw.substr(half)), half, nullptr));
  const EcdsaSigPtr sig(ECDSA_SIG_new());
  if (r == nullptr || s == nullptr || sig == nullptr ||
      ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return std::nullopt;
  }
  (void)r.release();  // now owned by sig
  (void)s.release();
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig.get(), &der);
  const OpenSslBytesPtr owned(der);
  if (size <= 0) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(der), static_cast<size_t>(size));
}

// One-shot verification; `digest` is null for Ed25519, which hashes internally.
bool DigestVerify(EVP_PKEY* key, const EVP_MD* digest, absl::string_view data,
                  absl::string_view signature) {
  const MdCtxPtr context(EVP_MD_CTX_new());
  return context != nullptr &&
         EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key) == 1 &&
         EVP_DigestVerify(context.get(), Bytes(signature), signature.size(), Bytes(data),
                          data.size()) == 1;
}

bool Verify(absl::string_view alg, EVP_PKEY* key, absl::string_view signing_input,
            absl::string_view signature) {
  if (alg == "RS256") {
    // RFC 7518 §3.3: the signature is exactly as long as the modulus.
    return EVP_PKEY_is_a(key, "RSA") &&
           signature.size() == static_cast<size_t>(EVP_PKEY_get_size(key)) &&
           DigestVerify(key, EVP_sha256(), signing_input, signature);
  }
  if (alg == "ES256") {
    const std::optional<std::string> der = Es256ToDer(signature);
    return EVP_PKEY_is_a(key, "EC") && der.has_value() &&
           DigestVerify(key, EVP_sha256(), signing_input, *der);
  }
  if (alg == "EdDSA") {
    return EVP_PKEY_is_a(key, "ED25519") && signature.size() == kEd25519Bytes &&
           DigestVerify(key, nullptr, signing_input, signature);
  }
  return false;
}

}  // namespace

bool VerifySignature(absl::string_view alg, EVP_PKEY* key, absl::string_view signing_input,
                     absl::string_view signature) {
  const bool valid = key != nullptr && Verify(alg, key, signing_input, signature);
  ERR_clear_error();  // a refused signature leaves its reasons on this thread's queue
  return valid;
}

}  // namespace gardefou::auth
