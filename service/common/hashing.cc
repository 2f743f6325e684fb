// SHA-256 through libsodium; sodium_init() runs once, thread-safely.
#include "service/common/hashing.h"

#include <sodium.h>

#include <cstdlib>

namespace gardefou::common {
void EnsureSodium() {
  static const bool ready = [] { return sodium_init() >= 0; }();
  if (!ready) std::abort();  // libsodium cannot work on this machine: nothing is safe to do
}

Digest Sha256(absl::string_view data) {
  EnsureSodium();
  Digest out;
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
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

std::string Sha256Hex(absl::string_view data) {
  const Digest d = Sha256(data);
  return ToHex(absl::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

}  // namespace gardefou::common
