// Key files and verifier keys of the log, with libsodium's Ed25519.
#include "service/audit/signing_key.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "service/common/files.h"
#include "service/common/hashing.h"
#include "service/common/private_files.h"

namespace gardefou::audit {
namespace {

constexpr char kPrivatePrefix[] = "PRIVATE+KEY+";
constexpr uint8_t kEd25519 = 0x01;

uint32_t KeyHash(const std::string& name, const std::array<uint8_t, 32>& public_key) {
  std::string input = name + "\n";
  input.push_back(static_cast<char>(kEd25519));
  input.append(reinterpret_cast<const char*>(public_key.data()), public_key.size());
  const common::Digest d = common::Sha256(input);
  return (uint32_t{d[0]} << 24) | (uint32_t{d[1]} << 16) | (uint32_t{d[2]} << 8) | d[3];
}

std::string TypedKey(const uint8_t* bytes, size_t n) {
  std::string raw(1, static_cast<char>(kEd25519));
  raw.append(reinterpret_cast<const char*>(bytes), n);
  return absl::Base64Escape(raw);
}

// "<name>+<hash>+<base64 typed key>" -> parts; the name may not contain '+'.
absl::StatusOr<std::pair<VerifierKey, std::string>> ParseKeyParts(absl::string_view text,
                                                                  size_t key_size) {
  // The base64 key may itself hold '+': only the first two separate fields.
  const std::vector<std::string> parts = absl::StrSplit(text, absl::MaxSplits('+', 2));
  if (parts.size() != 3 || parts[0].empty() || parts[1].size() != 8) {
    return absl::InvalidArgumentError("expected <name>+<8 hex digits>+<base64 key>");
  }
  VerifierKey key;
  key.name = parts[0];
  const std::string hash_bytes = absl::HexStringToBytes(parts[1]);
  if (absl::BytesToHexString(hash_bytes) != absl::AsciiStrToLower(parts[1])) {
    return absl::InvalidArgumentError("the key hash is not hexadecimal");
  }
  key.key_hash = (uint32_t{static_cast<uint8_t>(hash_bytes[0])} << 24) |
                 (uint32_t{static_cast<uint8_t>(hash_bytes[1])} << 16) |
                 (uint32_t{static_cast<uint8_t>(hash_bytes[2])} << 8) |
                 static_cast<uint8_t>(hash_bytes[3]);
  std::string raw;
  if (!absl::Base64Unescape(parts[2], &raw) || raw.size() != key_size + 1 ||
      static_cast<uint8_t>(raw[0]) != kEd25519) {
    return absl::InvalidArgumentError("the key is not a base64 Ed25519 key");
  }
  return std::make_pair(key, raw.substr(1));
}

absl::StatusOr<SigningKey> ParseSigningKey(absl::string_view text) {
  common::EnsureSodium();
  text = absl::StripAsciiWhitespace(text);
  if (!absl::ConsumePrefix(&text, kPrivatePrefix)) {
    return absl::FailedPreconditionError("the key file does not start with PRIVATE+KEY+");
  }
  auto parts = ParseKeyParts(text, crypto_sign_SEEDBYTES);
  if (!parts.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the key file is malformed: ", parts.status().message()));
  }
  SigningKey key;
  key.verifier = parts->first;
  crypto_sign_seed_keypair(key.verifier.public_key.data(), key.secret.data(),
                           reinterpret_cast<const unsigned char*>(parts->second.data()));
  if (KeyHash(key.verifier.name, key.verifier.public_key) != key.verifier.key_hash) {
    return absl::FailedPreconditionError("the key file's hash does not match its key");
  }
  return key;
}

}  // namespace

absl::StatusOr<SigningKey> LoadSigningKey(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot read the signing key ", path, ": ", std::strerror(errno)));
  }
  if (st.st_mode & 077) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "the signing key %s is readable by others (mode %o): run chmod 600 on it", path,
        st.st_mode & 0777));
  }
  absl::StatusOr<std::string> text = common::ReadFileToString(path);
  if (!text.ok()) {
    return absl::UnavailableError(absl::StrCat("cannot read the signing key ", path));
  }
  absl::StatusOr<SigningKey> key = ParseSigningKey(*text);
  if (!key.ok()) return absl::FailedPreconditionError(absl::StrCat(path, ": ", key.status().message()));
  return key;
}

absl::StatusOr<SigningKey> LoadOrCreateSigningKey(const std::string& path,
                                                  const std::string& name) {
  if (::access(path.c_str(), F_OK) == 0) return LoadSigningKey(path);
  if (name.empty() || name.find_first_of("+ \n\t") != std::string::npos) {
    return absl::InvalidArgumentError("the log origin must be non-empty, without '+' or spaces");
  }
  common::EnsureSodium();
  unsigned char seed[crypto_sign_SEEDBYTES];
  randombytes_buf(seed, sizeof seed);
  SigningKey key;
  key.verifier.name = name;
  crypto_sign_seed_keypair(key.verifier.public_key.data(), key.secret.data(), seed);
  key.verifier.key_hash = KeyHash(name, key.verifier.public_key);
  const std::string line = absl::StrCat(kPrivatePrefix, name, "+",
                                        absl::StrFormat("%08x", key.verifier.key_hash), "+",
                                        TypedKey(seed, sizeof seed), "\n");
  sodium_memzero(seed, sizeof seed);
  if (absl::Status written = common::WriteNewPrivateFile(path, line); !written.ok()) {
    return absl::UnavailableError(absl::StrCat("the signing key: ", written.message()));
  }
  return key;
}

std::string FormatVerifierKey(const VerifierKey& key) {
  return absl::StrCat(key.name, "+", absl::StrFormat("%08x", key.key_hash), "+",
                      TypedKey(key.public_key.data(), key.public_key.size()));
}

absl::StatusOr<VerifierKey> ParseVerifierKey(absl::string_view text) {
  auto parts = ParseKeyParts(absl::StripAsciiWhitespace(text), crypto_sign_PUBLICKEYBYTES);
  if (!parts.ok()) return parts.status();
  VerifierKey key = parts->first;
  std::memcpy(key.public_key.data(), parts->second.data(), key.public_key.size());
  if (KeyHash(key.name, key.public_key) != key.key_hash) {
    return absl::InvalidArgumentError("the verifier key's hash does not match its name and key");
  }
  return key;
}

std::array<uint8_t, 64> Sign(const SigningKey& key, absl::string_view message) {
  std::array<uint8_t, 64> signature;
  crypto_sign_detached(signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       key.secret.data());
  return signature;
}

bool VerifySignature(const VerifierKey& key, absl::string_view message,
                     absl::string_view signature) {
  common::EnsureSodium();
  return signature.size() == crypto_sign_BYTES &&
         crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key.public_key.data()) == 0;
}

}  // namespace gardefou::audit
