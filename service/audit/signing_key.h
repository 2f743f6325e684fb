// The log's Ed25519 key, in the formats of Go's signed-note package (golang.org/x/mod/sumdb/note)
// that transparency-dev tools read: a private key file "PRIVATE+KEY+<name>+<hash>+<key>" and a
// verifier key "<name>+<hash>+<key>", where hash is the first 4 bytes of
// SHA-256(name || "\n" || 0x01 || public key), in hex, and key is base64(0x01 || key bytes).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gardefou::audit {

struct VerifierKey {
  std::string name;  // the log's origin, e.g. "ent.example.fr/gardefou"
  uint32_t key_hash = 0;
  std::array<uint8_t, 32> public_key{};
};

struct SigningKey {
  VerifierKey verifier;
  std::array<uint8_t, 64> secret{};  // libsodium's seed || public key
};

// Reads the key file at `path`; when there is none, creates one for `name` with mode 0600
// whatever the umask (never overwriting a file nor following a symlink). FAILED_PRECONDITION when the file is readable by group or
// others, or malformed; UNAVAILABLE when it cannot be read or written.
absl::StatusOr<SigningKey> LoadOrCreateSigningKey(const std::string& path,
                                                  const std::string& name);
// Reads an existing key file (same checks).
absl::StatusOr<SigningKey> LoadSigningKey(const std::string& path);

// "<name>+<8 hex>+<base64(0x01 || public key)>", and back. INVALID_ARGUMENT when malformed or
// when the hash does not match the name and key.
std::string FormatVerifierKey(const VerifierKey& key);
absl::StatusOr<VerifierKey> ParseVerifierKey(absl::string_view text);

// Ed25519 over `message`.
std::array<uint8_t, 64> Sign(const SigningKey& key, absl::string_view message);
bool VerifySignature(const VerifierKey& key, absl::string_view message,
                     absl::string_view signature);

}  // namespace gardefou::audit
