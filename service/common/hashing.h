// SHA-256 helpers (OpenSSL libcrypto) used for content hashes, the audit chain and request fingerprints.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

namespace gardefou::common {

using Digest = std::array<uint8_t, 32>;

// Initialises libsodium once; safe to call from any thread, aborts if it cannot work.
void EnsureSodium();

// SHA-256 of `data`.
Digest Sha256(absl::string_view data);

// SHA-256(prefix || a || b) without copying a and b (RFC 6962 leaf and node hashes).
Digest Sha256Prefixed(uint8_t prefix, absl::string_view a, absl::string_view b = {});

// The digest as 32 bytes, and back (false unless `bytes` holds exactly 32 bytes).
absl::string_view DigestBytes(const Digest& digest);
bool DigestFromBytes(absl::string_view bytes, Digest& out);

// Lower-case hex of SHA-256 of `data` (64 chars).
std::string Sha256Hex(absl::string_view data);

// HMAC-SHA-256 of `message` under `key`.
Digest HmacSha256(absl::string_view key, absl::string_view message);

// Lower-case hex of arbitrary bytes.
std::string ToHex(absl::string_view bytes);

}  // namespace gardefou::common
