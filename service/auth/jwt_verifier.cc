// JWT checks in the order that spends the least on forged tokens: shape, header, key, signature,
// then claims. Refusals are UNAUTHENTICATED with fixed reasons: nothing from the token is echoed.
#include "service/auth/jwt_verifier.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "service/auth/base64url.h"
#include "service/auth/jws_signature.h"
#include "service/common/hashing.h"
#include "service/common/status_macros.h"

namespace gardefou::auth {
namespace {

using nlohmann::json;

constexpr size_t kMaxTokenBytes = 8192;
constexpr size_t kMaxSubjectBytes = 256;
constexpr int64_t kMaxLeewaySeconds = 60;
constexpr absl::string_view kSupportedAlgorithms[] = {"RS256", "ES256", "EdDSA"};

absl::Status Refused(absl::string_view reason) { return absl::UnauthenticatedError(reason); }

struct CompactParts {
  absl::string_view header, payload, signature;  // still base64url
};

absl::StatusOr<CompactParts> Split(absl::string_view token) {
  if (token.size() > kMaxTokenBytes) return Refused("token too long");
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return Refused("malformed token");
  return CompactParts{parts[0], parts[1], parts[2]};
}

// The JSON object a base64url part encodes, or nullopt.
std::optional<json> DecodeObject(absl::string_view part) {
  const std::optional<std::string> bytes = DecodeBase64Url(part);
  if (!bytes.has_value()) return std::nullopt;
  json value = json::parse(*bytes, nullptr, false);
  if (!value.is_object()) return std::nullopt;  // a parse error gives a discarded value
  return value;
}

// String member `name` of `object`, or null when absent or not a string.
const std::string* StringMember(const json& object, const char* name) {
  const auto it = object.find(name);
  return it == object.end() ? nullptr : it->get_ptr<const std::string*>();
}

bool Allowed(absl::string_view alg, const IssuerSettings& settings) {
  return std::find(std::begin(kSupportedAlgorithms), std::end(kSupportedAlgorithms), alg) !=
             std::end(kSupportedAlgorithms) &&
         std::find(settings.algorithms.begin(), settings.algorithms.end(), alg) !=
             settings.algorithms.end();
}

// The key that may check this header's token: alg allowed, kid known, key made for that alg.
absl::StatusOr<const VerificationKey*> ChooseKey(const json& header, const IssuerSettings& settings,
                                                 const KeySet& keys) {
  if (header.contains("crit")) return Refused("critical header parameters not supported");
  const std::string* alg = StringMember(header, "alg");
  if (alg == nullptr || !Allowed(*alg, settings)) return Refused("algorithm not allowed");
  const std::string* kid = StringMember(header, "kid");
  if (kid == nullptr || kid->empty()) return Refused("missing key id");
  const VerificationKey* key = keys.Find(*kid);
  if (key == nullptr) return Refused("unknown key id");
  if (key->alg != *alg) return Refused("key not made for this algorithm");
  return key;
}

// NumericDate claim `name` (RFC 7519 §2) in whole seconds, nullopt when absent.
absl::StatusOr<std::optional<int64_t>> TimeClaim(const json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  if (it->is_number_unsigned()) {
    const uint64_t value = it->get<uint64_t>();
    if (value <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return static_cast<int64_t>(value);
    }
  } else if (it->is_number_integer()) {
    return it->get<int64_t>();
  } else if (it->is_number_float()) {
    const double value = it->get<double>();
    constexpr double kLimit = 9.0e18;  // below 2^63
    if (std::isfinite(value) && std::fabs(value) < kLimit) {
      return static_cast<int64_t>(std::floor(value));
    }
  }
  return Refused(absl::StrCat("malformed ", name, " claim"));
}

bool HasAudience(const json& claims, const std::string& audience) {
  const auto aud = claims.find("aud");
  if (aud == claims.end()) return false;
  if (aud->is_string()) return aud->get_ref<const std::string&>() == audience;
  return aud->is_array() && std::all_of(aud->begin(), aud->end(),
                                        [](const json& entry) { return entry.is_string(); }) &&
         std::any_of(aud->begin(), aud->end(), [&](const json& entry) {
           return entry.get_ref<const std::string&>() == audience;
         });
}

// Fills `out` from verified claims that pass the issuer's checks.
absl::Status CheckClaims(const json& claims, const IssuerSettings& settings, int64_t now,
                         int64_t leeway, VerifiedToken& out) {
  const std::string* iss = StringMember(claims, "iss");
  if (iss == nullptr || *iss != settings.issuer) return Refused("wrong issuer");
  if (!HasAudience(claims, settings.audience)) return Refused("wrong audience");
  ASSIGN_OR_RETURN(const std::optional<int64_t> exp, TimeClaim(claims, "exp"));
  ASSIGN_OR_RETURN(const std::optional<int64_t> nbf, TimeClaim(claims, "nbf"));
  RETURN_IF_ERROR(TimeClaim(claims, "iat").status());  // only its type is checked
  if (!exp.has_value()) return Refused("missing expiry");
  if (now - leeway > *exp) return Refused("token expired");
  if (nbf.has_value() && now + leeway < *nbf) return Refused("token not yet valid");
  const std::string* sub = StringMember(claims, "sub");
  if (sub == nullptr || sub->empty() || sub->size() > kMaxSubjectBytes) {
    return Refused("missing or oversized subject");
  }
  const std::string* jti = StringMember(claims, "jti");
  if (jti == nullptr && claims.contains("jti")) return Refused("malformed jti claim");
  out.issuer = *iss;
  out.subject = *sub;
  out.jti = jti == nullptr ? "" : *jti;
  out.expires_at = *exp;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> UnverifiedIssuer(absl::string_view token) {
  ASSIGN_OR_RETURN(const CompactParts parts, Split(token));
  const std::optional<json> claims = DecodeObject(parts.payload);
  const std::string* iss = claims.has_value() ? StringMember(*claims, "iss") : nullptr;
  if (iss == nullptr || iss->empty()) return Refused("malformed token");
  return *iss;
}

absl::StatusOr<VerifiedToken> VerifyJwt(absl::string_view token, const IssuerSettings& settings,
                                        const KeySet& keys, int64_t now_seconds,
                                        int64_t leeway_seconds) {
  const int64_t leeway = std::clamp<int64_t>(leeway_seconds, 0, kMaxLeewaySeconds);
  ASSIGN_OR_RETURN(const CompactParts parts, Split(token));
  const std::optional<json> header = DecodeObject(parts.header);
  if (!header.has_value()) return Refused("malformed token header");
  ASSIGN_OR_RETURN(const VerificationKey* key, ChooseKey(*header, settings, keys));
  const std::optional<std::string> signature = DecodeBase64Url(parts.signature);
  if (!signature.has_value() || signature->empty()) return Refused("malformed signature");
  const absl::string_view signing_input =
      token.substr(0, parts.header.size() + 1 + parts.payload.size());
  if (!VerifySignature(key->alg, key->key.get(), signing_input, *signature)) {
    return Refused("bad signature");
  }
  std::optional<json> claims = DecodeObject(parts.payload);
  if (!claims.has_value()) return Refused("malformed token payload");
  VerifiedToken verified;
  RETURN_IF_ERROR(CheckClaims(*claims, settings, now_seconds, leeway, verified));
  verified.token_sha256 = common::Sha256Hex(token);
  verified.claims = *std::move(claims);
  return verified;
}

}  // namespace gardefou::auth
