// The public keys of a school's identity provider, as a JSON Web Key Set (RFC 7517), and the
// JWKS file the service reads them from and re-reads when an administrator replaces it.
#pragma once

#include <openssl/evp.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace gardefou::auth {

struct VerificationKey {
  std::string kid;
  std::string alg;  // "RS256", "ES256" or "EdDSA": the one algorithm this key verifies
  std::shared_ptr<EVP_PKEY> key;
};

// A JSON Web Key Set of public keys. Accepted: kty RSA (n, e; modulus of 2048 to 8192 bits) ->
// RS256, kty EC crv P-256 (x, y, 32 bytes each) -> ES256, kty OKP crv Ed25519 (x) -> EdDSA.
// Each key needs a kid, unique in the set; an "alg" member, when present, must match the key
// type; a key whose "use" is not "sig" is skipped; private members (d, p, q...) make the set
// refused, and so do symmetric keys (kty oct) and any other key type or curve.
class KeySet {
 public:
  // At most 64 keys and 1 MiB of input. INVALID_ARGUMENT naming the key's index and member on
  // any mistake.
  static absl::StatusOr<KeySet> Parse(absl::string_view json);

  // The key named `kid`, or nullptr.
  const VerificationKey* Find(absl::string_view kid) const;
  size_t size() const { return keys_.size(); }

 private:
  explicit KeySet(std::vector<VerificationKey> keys) : keys_(std::move(keys)) {}

  std::vector<VerificationKey> keys_;
};

// A JWKS file, re-read when its modification time or size changes (checked at most once a
// second). A file that becomes invalid keeps the last good set (and says so once on stderr);
// so does a file that disappears. Thread-safe.
class JwksFile {
 public:
  // NOT_FOUND when the file cannot be read; INVALID_ARGUMENT naming it when it is not a valid
  // key set.
  static absl::StatusOr<std::unique_ptr<JwksFile>> Open(std::string path);

  // The current key set (never null).
  std::shared_ptr<const KeySet> Current();

 private:
  using Clock = std::chrono::steady_clock;
  struct Stamp {
    std::filesystem::file_time_type modified;
    std::uintmax_t size = 0;
    bool operator==(const Stamp&) const = default;
  };

  JwksFile(std::string path, Stamp stamp, std::shared_ptr<const KeySet> keys);
  static absl::StatusOr<Stamp> StampOf(const std::string& path);
  static absl::StatusOr<KeySet> Read(const std::string& path, const Stamp& stamp);

  const std::string path_;
  absl::Mutex mutex_;
  Stamp stamp_ ABSL_GUARDED_BY(mutex_);
  Clock::time_point checked_ ABSL_GUARDED_BY(mutex_);
  std::shared_ptr<const KeySet> keys_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace gardefou::auth
