// Checkpoints of the audit log in the signed-note format of transparency-dev
// (github.com/transparency-dev/formats, log/README.md):
//
//   <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key hash || signature)>\n
//
// The Ed25519 signature covers the first three lines (the note's text, newlines included).
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/audit/merkle.h"
#include "service/audit/signing_key.h"

namespace gardefou::audit {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
};

// The signed note of `checkpoint`; its origin is the key's name.
std::string SignCheckpoint(uint64_t size, const Hash& root, const SigningKey& key);

// Parses `note` and checks that `key` signed it. FAILED_PRECONDITION saying what is wrong
// (malformed, origin not the key's, no signature by this key, bad signature).
absl::StatusOr<Checkpoint> OpenCheckpoint(absl::string_view note, const VerifierKey& key);

}  // namespace gardefou::audit
