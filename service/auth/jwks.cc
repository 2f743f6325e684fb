// JWKS parsing, key by key, with each refusal naming the key's index and member; and the file
// watcher that swaps in a new set only when it parses.
#include "service/auth/jwks.h"

#include <iostream>
#include <optional>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "service/auth/base64url.h"
#include "service/auth/public_keys.h"
#include "service/common/files.h"
#include "service/common/status_macros.h"

namespace gardefou::auth {
namespace {

using nlohmann::json;

constexpr size_t kMaxJwksBytes = 1 << 20;
constexpr size_t kMaxKeys = 64;
// Private and symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).
constexpr const char* kPrivateMembers[] = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};

// String member `name`: null when absent, an error when it is not a string.
absl::StatusOr<const std::string*> OptionalString(const json& jwk, const char* name) {
  const auto it = jwk.find(name);
  if (it == jwk.end()) return nullptr;
  const std::string* value = it->get_ptr<const std::string*>();
  if (value == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("member '", name, "' must be a string"));
  }
  return value;
}

absl::StatusOr<std::string> RequiredString(const json& jwk, const char* name) {
  ASSIGN_OR_RETURN(const std::string* value, OptionalString(jwk, name));
  if (value == nullptr || value->empty()) {
    return absl::InvalidArgumentError(absl::StrCat("member '", name, "' is required"));
  }
  return *value;
}

// The bytes of base64url member `name`.
absl::StatusOr<std::string> RequiredBytes(const json& jwk, const char* name) {
  ASSIGN_OR_RETURN(const std::string text, RequiredString(jwk, name));
  std::optional<std::string> bytes = DecodeBase64Url(text);
  if (!bytes.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat("member '", name, "' is not base64url"));
  }
  return *std::move(bytes);
}

// The public key of `jwk` and the algorithm it is for; kid left to the caller.
absl::StatusOr<VerificationKey> PublicKey(const json& jwk, absl::string_view kty) {
  if (kty == "RSA") {
    ASSIGN_OR_RETURN(const std::string n, RequiredBytes(jwk, "n"));
    ASSIGN_OR_RETURN(const std::string e, RequiredBytes(jwk, "e"));
    ASSIGN_OR_RETURN(std::shared_ptr<EVP_PKEY> key, RsaPublicKey(n, e));
    return VerificationKey{"", "RS256", std::move(key)};
  }
  if (kty != "EC" && kty != "OKP") {
    return absl::InvalidArgumentError("member 'kty' must be RSA, EC or OKP");
  }
  ASSIGN_OR_RETURN(const std::string crv, RequiredString(jwk, "crv"));
  ASSIGN_OR_RETURN(const std::string x, RequiredBytes(jwk, "x"));
  if (kty == "OKP") {
    if (crv != "Ed25519") return absl::InvalidArgumentError("member 'crv' must be Ed25519");
    ASSIGN_OR_RETURN(std::shared_ptr<EVP_PKEY> key, Ed25519PublicKey(x));
    return VerificationKey{"", "EdDSA", std::move(key)};
  }
  if (crv != "P-256") return absl::InvalidArgumentError("member 'crv' must be P-256");
  ASSIGN_OR_RETURN(const std::string y, RequiredBytes(jwk, "y"));
  ASSIGN_OR_RETURN(std::shared_ptr<EVP_PKEY> key, P256PublicKey(x, y));
  return VerificationKey{"", "ES256", std::move(key)};
}

// The signature key `jwk` describes, or nullopt when it is for another use.
absl::StatusOr<std::optional<VerificationKey>> ParseKey(const json& jwk) {
  if (!jwk.is_object()) return absl::InvalidArgumentError("not a JSON object");
  ASSIGN_OR_RETURN(const std::string kty, RequiredString(jwk, "kty"));
  if (kty == "oct") {
    return absl::InvalidArgumentError(
        "member 'kty': symmetric keys (oct) are refused, tokens must be signed with a public key");
  }
  for (const char* name : kPrivateMembers) {
    if (jwk.contains(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("member '", name, "' is private key material: publish public keys only"));
    }
  }
  ASSIGN_OR_RETURN(const std::string* use, OptionalString(jwk, "use"));
  if (use != nullptr && *use != "sig") return std::nullopt;
  ASSIGN_OR_RETURN(VerificationKey key, PublicKey(jwk, kty));
  ASSIGN_OR_RETURN(const std::string* alg, OptionalString(jwk, "alg"));
  if (alg != nullptr && *alg != key.alg) {
    return absl::InvalidArgumentError(
        absl::StrCat("member 'alg' does not match the key (", kty, " keys are for ", key.alg, ")"));
  }
  ASSIGN_OR_RETURN(key.kid, RequiredString(jwk, "kid"));
  return key;
}

}  // namespace

absl::StatusOr<KeySet> KeySet::Parse(absl::string_view text) {
  if (text.size() > kMaxJwksBytes) {
    return absl::InvalidArgumentError("JWKS larger than 1 MiB");
  }
  const json document = json::parse(text.begin(), text.end(), nullptr, false);
  if (!document.is_object()) return absl::InvalidArgumentError("JWKS is not a JSON object");
  const auto keys = document.find("keys");
  if (keys == document.end() || !keys->is_array()) {
    return absl::InvalidArgumentError("JWKS member 'keys' must be an array");
  }
  if (keys->size() > kMaxKeys) {
    return absl::InvalidArgumentError(absl::StrCat("JWKS with more than ", kMaxKeys, " keys"));
  }
  std::vector<VerificationKey> parsed;
  for (size_t index = 0; index < keys->size(); ++index) {
    absl::StatusOr<std::optional<VerificationKey>> key = ParseKey((*keys)[index]);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWKS key ", index, ": ", key.status().message()));
    }
    if (!key->has_value()) continue;
    for (const VerificationKey& earlier : parsed) {
      if (earlier.kid == (*key)->kid) {
        return absl::InvalidArgumentError(
            absl::StrCat("JWKS key ", index, ": member 'kid' repeats an earlier key's"));
      }
    }
    parsed.push_back(**std::move(key));
  }
  return KeySet(std::move(parsed));
}

const VerificationKey* KeySet::Find(absl::string_view kid) const {
  for (const VerificationKey& key : keys_) {
    if (key.kid == kid) return &key;
  }
  return nullptr;
}

JwksFile::JwksFile(std::string path, Stamp stamp, std::shared_ptr<const KeySet> keys)
    : path_(std::move(path)), stamp_(stamp), checked_(Clock::now()), keys_(std::move(keys)) {}

absl::StatusOr<JwksFile::Stamp> JwksFile::StampOf(const std::string& path) {
  std::error_code error;
  Stamp stamp;
  stamp.modified = std::filesystem::last_write_time(path, error);
  if (!error) stamp.size = std::filesystem::file_size(path, error);
  if (error) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return stamp;
}

absl::StatusOr<KeySet> JwksFile::Read(const std::string& path, const Stamp& stamp) {
  if (stamp.size > kMaxJwksBytes) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": JWKS larger than 1 MiB"));
  }
  ASSIGN_OR_RETURN(const std::string text, common::ReadFileToString(path));
  absl::StatusOr<KeySet> keys = KeySet::Parse(text);
  if (!keys.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", keys.status().message()));
  }
  return keys;
}

absl::StatusOr<std::unique_ptr<JwksFile>> JwksFile::Open(std::string path) {
  ASSIGN_OR_RETURN(const Stamp stamp, StampOf(path));
  ASSIGN_OR_RETURN(KeySet keys, Read(path, stamp));
  return std::unique_ptr<JwksFile>(
      new JwksFile(std::move(path), stamp, std::make_shared<const KeySet>(std::move(keys))));
}

std::shared_ptr<const KeySet> JwksFile::Current() {
  absl::MutexLock lock(&mutex_);
  const Clock::time_point now = Clock::now();
  if (now - checked_ < std::chrono::seconds(1)) return keys_;
  checked_ = now;
  // The stamp is taken before reading: a change made during the read shows at the next check.
  const absl::StatusOr<Stamp> stamp = StampOf(path_);
  if (!stamp.ok() || *stamp == stamp_) return keys_;
  stamp_ = *stamp;
  absl::StatusOr<KeySet> keys = Read(path_, stamp_);
  if (keys.ok()) {
    keys_ = std::make_shared<const KeySet>(*std::move(keys));
  } else {
    std::cerr << "gardefou: keeping the previous keys: " << keys.status().message() << std::endl;
  }
  return keys_;
}

}  // namespace gardefou::auth
