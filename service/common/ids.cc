// Random ids from libsodium's CSPRNG, so they reveal neither order nor volume.
#include "service/common/ids.h"

#include <sodium.h>

#include <array>
#include <chrono>

#include "service/common/hashing.h"

namespace gardefou::common {

std::string NewId(absl::string_view prefix) {
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
  EnsureSodium();
  std::array<unsigned char, 26> raw;
  randombytes_buf(raw.data(), raw.size());
  std::string out(prefix);
  out.push_back('-');
  for (unsigned char b : raw) out.push_back(kAlphabet[b & 31]);
  return out;
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace gardefou::common
