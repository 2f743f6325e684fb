// SHA-256 through OpenSSL's libcrypto (SHA-NI / AVX2 where the CPU has them: the offline
// verifier hashes every event twice); sodium_init() (signatures) runs once, thread-safely.
#include "service/common/hashing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace gardefou::common {
void EnsureSodium() {
  static const bool ready = [] { return sodium_init() >= 0; }();
  if (!ready) std::abort();  // libsodium cannot work on this machine: nothing is safe to do
}

Digest Sha256(absl::string_view data) {
  Digest out;
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
  return out;
}

Digest HmacSha256(absl::string_view key, absl::string_view message) {
  Digest out;
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(),
           &size) == nullptr ||
      size != out.size()) {
    std::abort();  // libcrypto cannot compute a MAC: nothing is safe to do
  }
  return out;
}

Digest Sha256Prefixed(uint8_t prefix, absl::string_view a, absl::string_view b) {
  // One digest context per thread, reset for each hash (no allocation per call).
  thread_local const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(),
                                                                               EVP_MD_CTX_free);
  Digest out;
  unsigned int size = 0;
  if (context == nullptr || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), &prefix, 1) != 1 ||
      EVP_DigestUpdate(context.get(), a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(context.get(), b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), out.data(), &size) != 1 || size != out.size()) {
    std::abort();  // libcrypto cannot hash: nothing is safe to do
  }
  return out;
}

std::string ToHex(absl::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

absl::string_view DigestBytes(const Digest& digest) {
  return absl::string_view(reinterpret_cast<const char*>(digest.data()), digest.size());
}

bool DigestFromBytes(absl::string_view bytes, Digest& out) {
  if (bytes.size() != out.size()) return false;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return true;
}

std::string Sha256Hex(absl::string_view data) { return ToHex(DigestBytes(Sha256(data))); }

}  // namespace gardefou::common
