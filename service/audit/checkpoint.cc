// Writing and opening signed checkpoint notes.
#include "service/audit/checkpoint.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "service/common/hashing.h"

namespace gardefou::audit {
namespace {

constexpr char kDash[] = "\xE2\x80\x94 ";  // "— "

std::string KeyHashBytes(uint32_t h) {
  return {static_cast<char>(h >> 24), static_cast<char>(h >> 16), static_cast<char>(h >> 8),
          static_cast<char>(h)};
}

absl::Status Bad(absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat("checkpoint rejected: ", why));
}

}  // namespace

std::string SignCheckpoint(uint64_t size, const Hash& root, const SigningKey& key) {
  const std::string text = absl::StrCat(
      key.verifier.name, "\n", size, "\n",
      absl::Base64Escape(common::DigestBytes(root)),
      "\n");
  const std::array<uint8_t, 64> signature = Sign(key, text);
  const std::string blob = KeyHashBytes(key.verifier.key_hash) +
                           std::string(reinterpret_cast<const char*>(signature.data()), 64);
  return absl::StrCat(text, "\n", kDash, key.verifier.name, " ", absl::Base64Escape(blob), "\n");
}

absl::StatusOr<Checkpoint> OpenCheckpoint(absl::string_view note, const VerifierKey& key) {
  const size_t split = note.find("\n\n");
  if (split == absl::string_view::npos) return Bad("no blank line before the signatures");
  const absl::string_view text = note.substr(0, split + 1);
  const std::vector<absl::string_view> lines = absl::StrSplit(text.substr(0, text.size() - 1), '\n');
  if (lines.size() < 3) return Bad("the note needs an origin, a size and a root hash");
  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);
  if (checkpoint.origin != key.name) {
    return Bad(absl::StrCat("the origin is \"", lines[0], "\", not this log's \"", key.name, "\""));
  }
  if (lines[1].empty() || lines[1].find_first_not_of("0123456789") != absl::string_view::npos ||
      !absl::SimpleAtoi(lines[1], &checkpoint.size)) {
    return Bad("the tree size is not a decimal number");
  }
  std::string root;
  if (!absl::Base64Unescape(lines[2], &root) || !common::DigestFromBytes(root, checkpoint.root)) {
    return Bad("the root hash is not 32 bytes of base64");
  }
  // Signature lines: "— <name> <base64>"; one of them must be this key's and valid.
  const absl::string_view signatures = note.substr(split + 2);
  if (signatures.empty() || signatures.back() != '\n') return Bad("the note does not end with a newline");
  bool found = false;
  for (absl::string_view line : absl::StrSplit(signatures.substr(0, signatures.size() - 1), '\n')) {
    if (!absl::ConsumePrefix(&line, kDash)) return Bad("a signature line does not start with \"— \"");
    const size_t space = line.rfind(' ');
    if (space == absl::string_view::npos || line.substr(0, space) != key.name) continue;
    std::string blob;
    if (!absl::Base64Unescape(line.substr(space + 1), &blob) || blob.size() != 68) {
      return Bad("a signature is not base64 of 4 + 64 bytes");
    }
    if (blob.substr(0, 4) != KeyHashBytes(key.key_hash)) continue;
    found = true;
    if (!VerifySignature(key, text, absl::string_view(blob).substr(4))) {
      return Bad("the signature does not match the note (changed, or another key)");
    }
  }
  if (!found) return Bad(absl::StrCat("no signature by the key ", FormatVerifierKey(key)));
  return checkpoint;
}

}  // namespace gardefou::audit
