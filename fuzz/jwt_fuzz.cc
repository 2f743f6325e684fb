// Fuzz target: a bearer token verified against the fixed key set of an identity provider (one
// RS256, one ES256 and one EdDSA key) at a fixed time, so that the seed tokens signed by those
// keys stay valid; the token's issuer is also read unverified, as the server does first.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "service/auth/jwt_verifier.h"

namespace {

constexpr int64_t kNow = 1741000000;  // 2025-03-03: the seeds expire at kNow + 300

constexpr char kKeySet[] =
    R"({"keys": [{"kty": "RSA", "kid": "idp-hdf-rs-2025", "use": "sig", "alg": "RS256",
                 "e": "AQAB", "n": ")"
    "3PPsjDPPkFF_Tacqr1x9sWcJz5rYHFP7VlGDn1R44a5x-rSMkcDW1W2ZL5mUWLo0DZY5T9oghwlacqmqbS28fWJo"
    "BWU40D49Gq_kQmj8MZsJIFaURZRA83FpOBMbLIAIop1OTep3Hm6fUr95-kG3OPBcND9Z5OA4cA2EshFKipwf8zrg"
    "YFwu9togv7JPvE-UACpA-Tnj5ZbgFDcCpjRoRD34KSANLIeqwb_Lyw21_PZ9RKS27ONNrfh5g2uv64tLP1GM9cvi"
    "0VnbwVnzLp_nJWAOKoDG78---z2DZ2Z-eJu3Yzs4qBzBBS1MaxKQtlH84AHfe9AWoJ-Li0oLdtub5Q"
    R"("},
               {"kty": "EC", "kid": "idp-hdf-es-2025", "use": "sig", "crv": "P-256",
                "x": "-XWIEP5RbVzMS8rVnY1pyHhJqsi51PVVRGWahG5TeBM",
                "y": "OjMrowkZswHAwlyvty2Dri6mI23YS6dhK5Nj4_4Sre4"},
               {"kty": "OKP", "kid": "idp-hdf-ed-2025", "crv": "Ed25519",
                "x": "FAtgLDo0UvcYqXSEcyfKgTxGv7fbdP_TowgzyjS2cMw"}]})";

const gardefou::auth::KeySet& Keys() {
  static const gardefou::auth::KeySet keys = [] {
    absl::StatusOr<gardefou::auth::KeySet> parsed = gardefou::auth::KeySet::Parse(kKeySet);
    if (!parsed.ok()) std::abort();
    return *std::move(parsed);
  }();
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gardefou::auth::IssuerSettings settings = {
      "idp-hdf", "https://idp.hdf.example/realms/ent", "gardefou", {"RS256", "ES256", "EdDSA"}};
  const absl::string_view token(reinterpret_cast<const char*>(data), size);
  (void)gardefou::auth::UnverifiedIssuer(token);
  (void)gardefou::auth::VerifyJwt(token, settings, Keys(), kNow);
  return 0;
}
