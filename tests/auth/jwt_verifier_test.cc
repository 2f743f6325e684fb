// Tests of JWT verification against tokens minted in memory: a valid token of each algorithm
// passes, and each forgery or mistake (expiry, audience, issuer, alg none, HS256 with the public
// key, unknown or mismatched key, tampered signature, crit, size, malformed parts) is refused
// with a reason that never quotes the token.
#include "service/auth/jwt_verifier.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "service/auth/base64url.h"
#include "service/common/hashing.h"
#include "tests/support/token_minter.h"

namespace gardefou::auth {
namespace {

using nlohmann::json;
using testing::TokenKey;
using testing::TokenKeyKind;

constexpr int64_t kNow = 1'700'000'000;
constexpr char kIssuer[] = "https://idp.hdf.example/realms/ent";
constexpr char kSubject[] = "teacher-4f2a";

class JwtVerifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa_ = new TokenKey(TokenKeyKind::kRsa, "rsa-1");
    ec_ = new TokenKey(TokenKeyKind::kEc, "ec-1");
    ed_ = new TokenKey(TokenKeyKind::kEd25519, "ed-1");
    absl::StatusOr<KeySet> keys = KeySet::Parse(testing::JwksJson({rsa_, ec_, ed_}));
    ASSERT_TRUE(keys.ok()) << keys.status();
    keys_ = new KeySet(*std::move(keys));
  }
  static void TearDownTestSuite() {
    delete keys_;
    delete ed_;
    delete ec_;
    delete rsa_;
  }

  static json Claims() {
    return {{"iss", kIssuer}, {"aud", "gardefou"}, {"sub", kSubject}, {"exp", kNow + 300},
            {"iat", kNow - 10}, {"jti", "7c1e"}, {"gardefou_role", "teacher"}};
  }

  absl::StatusOr<VerifiedToken> Verify(const std::string& token, int64_t leeway = 60) const {
    return VerifyJwt(token, settings_, *keys_, kNow, leeway);
  }

  // Refused as UNAUTHENTICATED with `reason`, quoting nothing from the token.
  void ExpectRefused(const std::string& token, const std::string& reason) const {
    const absl::StatusOr<VerifiedToken> verified = Verify(token);
    ASSERT_FALSE(verified.ok()) << "accepted: expected " << reason;
    EXPECT_EQ(verified.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(verified.status().message(), reason);
  }

  static TokenKey* rsa_;
  static TokenKey* ec_;
  static TokenKey* ed_;
  static KeySet* keys_;
  IssuerSettings settings_{"idp-hdf", kIssuer, "gardefou", {"RS256", "ES256", "EdDSA"}};
};

TokenKey* JwtVerifierTest::rsa_ = nullptr;
TokenKey* JwtVerifierTest::ec_ = nullptr;
TokenKey* JwtVerifierTest::ed_ = nullptr;
KeySet* JwtVerifierTest::keys_ = nullptr;

// The token with one byte of its decoded signature flipped.
std::string WithFlippedSignatureByte(const std::string& token) {
  const size_t dot = token.rfind('.');
  std::string signature = *DecodeBase64Url(token.substr(dot + 1));
  signature[signature.size() / 2] ^= 0x01;
  return token.substr(0, dot + 1) + testing::Base64Url(signature);
}

TEST_F(JwtVerifierTest, AValidTokenOfEachAlgorithmIsAccepted) {
  for (const TokenKey* key : {rsa_, ec_, ed_}) {
    SCOPED_TRACE(key->alg());
    const std::string token = key->Sign(Claims());
    const absl::StatusOr<VerifiedToken> verified = Verify(token);
    ASSERT_TRUE(verified.ok()) << verified.status();
    EXPECT_EQ(verified->issuer, kIssuer);
    EXPECT_EQ(verified->subject, kSubject);
    EXPECT_EQ(verified->jti, "7c1e");
    EXPECT_EQ(verified->expires_at, kNow + 300);
    EXPECT_EQ(verified->claims.at("gardefou_role"), "teacher");
    EXPECT_EQ(verified->token_sha256, common::Sha256Hex(token));
    EXPECT_EQ(verified->token_sha256.size(), 64u);
  }
}

TEST_F(JwtVerifierTest, TheAudienceMayBeAnArrayAndTheJtiAbsent) {
  json claims = Claims();
  claims["aud"] = json::array({"ent-hdf", "gardefou"});
  claims.erase("jti");
  const absl::StatusOr<VerifiedToken> verified = Verify(ec_->Sign(claims));
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->jti, "");
}

TEST_F(JwtVerifierTest, TimeClaimsMayBeFractional) {
  json claims = Claims();
  claims["exp"] = kNow + 300.5;
  claims["nbf"] = kNow - 0.25;
  const absl::StatusOr<VerifiedToken> verified = Verify(ed_->Sign(claims));
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->expires_at, kNow + 300);
}

TEST_F(JwtVerifierTest, AnExpiredTokenIsRefused) {
  json claims = Claims();
  claims["exp"] = kNow - 61;
  ExpectRefused(rsa_->Sign(claims), "token expired");
}

TEST_F(JwtVerifierTest, ATokenNotYetValidIsRefused) {
  json claims = Claims();
  claims["nbf"] = kNow + 61;
  ExpectRefused(rsa_->Sign(claims), "token not yet valid");
}

TEST_F(JwtVerifierTest, ClockSkewWithinTheLeewayIsAcceptedAndTheLeewayIsCappedAt60s) {
  json late = Claims();
  late["exp"] = kNow - 60;
  EXPECT_TRUE(Verify(ec_->Sign(late)).ok());
  json early = Claims();
  early["nbf"] = kNow + 60;
  early["iat"] = kNow + 60;
  EXPECT_TRUE(Verify(ec_->Sign(early)).ok());

  json expired = Claims();
  expired["exp"] = kNow - 61;
  const absl::StatusOr<VerifiedToken> generous = Verify(ec_->Sign(expired), 3600);
  ASSERT_FALSE(generous.ok()) << "a leeway above 60 s was honoured";
  EXPECT_EQ(generous.status().message(), "token expired");

  json just_expired = Claims();
  just_expired["exp"] = kNow - 1;
  EXPECT_FALSE(Verify(ec_->Sign(just_expired), 0).ok());
  json expiring_now = Claims();
  expiring_now["exp"] = kNow;
  EXPECT_TRUE(Verify(ec_->Sign(expiring_now), 0).ok());
}

TEST_F(JwtVerifierTest, AWrongOrMissingAudienceIsRefused) {
  json claims = Claims();
  claims["aud"] = "another-service";
  ExpectRefused(rsa_->Sign(claims), "wrong audience");
  claims["aud"] = json::array({"another-service", "yet-another"});
  ExpectRefused(rsa_->Sign(claims), "wrong audience");
  claims["aud"] = json::array({"gardefou", 7});
  ExpectRefused(rsa_->Sign(claims), "wrong audience");
  claims.erase("aud");
  ExpectRefused(rsa_->Sign(claims), "wrong audience");
}

TEST_F(JwtVerifierTest, AWrongOrMissingIssuerIsRefused) {
  json claims = Claims();
  claims["iss"] = "https://idp.other.example/realms/ent";
  ExpectRefused(ed_->Sign(claims), "wrong issuer");
  claims["iss"] = std::string(kIssuer) + "/";
  ExpectRefused(ed_->Sign(claims), "wrong issuer");
  claims.erase("iss");
  ExpectRefused(ed_->Sign(claims), "wrong issuer");
}

TEST_F(JwtVerifierTest, ExpiryIsRequiredAndTimeClaimsAreNumbers) {
  json claims = Claims();
  claims.erase("exp");
  ExpectRefused(rsa_->Sign(claims), "missing expiry");
  claims["exp"] = "2030-01-01";
  ExpectRefused(rsa_->Sign(claims), "malformed exp claim");
  claims = Claims();
  claims["nbf"] = true;
  ExpectRefused(rsa_->Sign(claims), "malformed nbf claim");
  claims = Claims();
  claims["iat"] = json::array({kNow});
  ExpectRefused(rsa_->Sign(claims), "malformed iat claim");
  claims = Claims();
  claims["exp"] = 1e300;
  ExpectRefused(rsa_->Sign(claims), "malformed exp claim");
}

TEST_F(JwtVerifierTest, TheSubjectIsANonEmptyStringOfAtMost256Bytes) {
  json claims = Claims();
  claims["sub"] = std::string(256, 's');
  EXPECT_TRUE(Verify(ec_->Sign(claims)).ok());
  for (const json& bad : {json(std::string(257, 's')), json(""), json(42)}) {
    claims["sub"] = bad;
    ExpectRefused(ec_->Sign(claims), "missing or oversized subject");
  }
  claims.erase("sub");
  ExpectRefused(ec_->Sign(claims), "missing or oversized subject");
  claims = Claims();
  claims["jti"] = 12;
  ExpectRefused(ec_->Sign(claims), "malformed jti claim");
}

TEST_F(JwtVerifierTest, AlgNoneIsRefusedEvenWhenAllowListed) {
  ExpectRefused(testing::UnsignedToken(Claims(), rsa_->kid()), "algorithm not allowed");
  ExpectRefused(testing::UnsignedToken(Claims(), ""), "algorithm not allowed");
  settings_.algorithms.push_back("none");
  ExpectRefused(testing::UnsignedToken(Claims(), rsa_->kid()), "algorithm not allowed");
  // Signed but claiming "none": the header decides nothing outside the allow-list.
  ExpectRefused(rsa_->Sign(Claims(), {{"alg", "none"}}), "algorithm not allowed");
}

TEST_F(JwtVerifierTest, Hs256KeyedWithThePublicKeyPemIsRefused) {
  for (const TokenKey* key : {rsa_, ec_, ed_}) {
    SCOPED_TRACE(key->alg());
    const std::string forged = testing::Hs256Token(Claims(), key->PublicPem(), key->kid());
    ExpectRefused(forged, "algorithm not allowed");
  }
  // Even a misconfigured allow-list never lets an asymmetric key check an HMAC.
  settings_.algorithms.push_back("HS256");
  ExpectRefused(testing::Hs256Token(Claims(), rsa_->PublicPem(), rsa_->kid()),
                "algorithm not allowed");
}

TEST_F(JwtVerifierTest, AnUnknownOrMissingKeyIdIsRefused) {
  ExpectRefused(rsa_->Sign(Claims(), {{"kid", "rsa-2"}}), "unknown key id");
  ExpectRefused(rsa_->Sign(Claims(), {{"kid", nullptr}}), "missing key id");
  ExpectRefused(rsa_->Sign(Claims(), {{"kid", 1}}), "missing key id");
  // A key of the same kid that the set does not hold.
  const TokenKey impostor(TokenKeyKind::kEd25519, "ed-1");
  ExpectRefused(impostor.Sign(Claims()), "bad signature");
}

TEST_F(JwtVerifierTest, AFlippedSignatureByteOrATamperedPayloadIsRefused) {
  for (const TokenKey* key : {rsa_, ec_, ed_}) {
    SCOPED_TRACE(key->alg());
    const std::string token = key->Sign(Claims());
    ExpectRefused(WithFlippedSignatureByte(token), "bad signature");
    // The payload of another token (another subject) under this token's signature.
    json other = Claims();
    other["sub"] = "inspector-1";
    const std::string other_token = key->Sign(other);
    const size_t first = token.find('.');
    const size_t last = token.rfind('.');
    const size_t other_first = other_token.find('.');
    const size_t other_last = other_token.rfind('.');
    ExpectRefused(token.substr(0, first) +
                      other_token.substr(other_first, other_last - other_first) +
                      token.substr(last),
                  "bad signature");
    // A signature cut short.
    ExpectRefused(token.substr(0, last + 1) + testing::Base64Url(
                      DecodeBase64Url(token.substr(last + 1))->substr(1)),
                  "bad signature");
  }
}

TEST_F(JwtVerifierTest, AnAlgorithmOutsideTheIssuersAllowListIsRefused) {
  settings_.algorithms = {"RS256"};
  EXPECT_TRUE(Verify(rsa_->Sign(Claims())).ok());
  ExpectRefused(ec_->Sign(Claims()), "algorithm not allowed");
  ExpectRefused(ed_->Sign(Claims()), "algorithm not allowed");
  settings_.algorithms = {};
  ExpectRefused(rsa_->Sign(Claims()), "algorithm not allowed");
}

TEST_F(JwtVerifierTest, AHeaderAlgOtherThanTheKeysIsRefused) {
  // An EC key's token claiming RS256, and the reverse: each key verifies one algorithm only.
  ExpectRefused(ec_->Sign(Claims(), {{"alg", "RS256"}}), "key not made for this algorithm");
  ExpectRefused(rsa_->Sign(Claims(), {{"alg", "ES256"}}), "key not made for this algorithm");
  ExpectRefused(ed_->Sign(Claims(), {{"alg", "RS256"}}), "key not made for this algorithm");
  // A valid ES256 token relabelled with the RSA key's kid.
  ExpectRefused(ec_->Sign(Claims(), {{"kid", "rsa-1"}}), "key not made for this algorithm");
}

TEST_F(JwtVerifierTest, ACriticalHeaderIsRefused) {
  ExpectRefused(rsa_->Sign(Claims(), {{"crit", json::array({"b64"})}, {"b64", false}}),
                "critical header parameters not supported");
  ExpectRefused(ed_->Sign(Claims(), {{"crit", json::array()}}),
                "critical header parameters not supported");
}

TEST_F(JwtVerifierTest, ATokenOver8192BytesIsRefused) {
  json claims = Claims();
  claims["padding"] = std::string(6000, 'p');
  ExpectRefused(ed_->Sign(claims), "token too long");
  claims["padding"] = std::string(5000, 'p');
  EXPECT_TRUE(Verify(ed_->Sign(claims)).ok());
}

TEST_F(JwtVerifierTest, MalformedTokensAreRefused) {
  const std::string token = rsa_->Sign(Claims());
  const size_t first = token.find('.');
  const size_t last = token.rfind('.');
  const std::string header = token.substr(0, first);
  const std::string payload = token.substr(first + 1, last - first - 1);
  const std::string signature = token.substr(last + 1);
  const std::string not_json = testing::Base64Url("{\"alg\":\"RS256\",");
  const std::string array = testing::Base64Url("[\"RS256\"]");
  const std::vector<std::string> malformed = {
      "",
      header,
      header + "." + payload,
      token + ".",
      token + "." + signature,
      header + "=." + payload + "." + signature,         // padding
      header + "." + payload + "." + signature + "==",  // padding
      header + "." + payload + "." + signature.substr(0, signature.size() - 1) + "+",
      header + "." + payload + "." + signature.substr(0, signature.size() - 1) + "/",
      " " + token,
      header + ".\n" + payload + "." + signature,
      "!" + header.substr(1) + "." + payload + "." + signature,
      not_json + "." + payload + "." + signature,
      array + "." + payload + "." + signature,
      "." + payload + "." + signature,
      header + ".." + signature,
      header + "." + payload + ".",
      header + "." + not_json + "." + signature,
      header + "." + payload + "." + header,  // not the signature
  };
  for (const std::string& bad : malformed) {
    const absl::StatusOr<VerifiedToken> verified = Verify(bad);
    ASSERT_FALSE(verified.ok()) << "accepted: " << bad;
    EXPECT_EQ(verified.status().code(), absl::StatusCode::kUnauthenticated) << bad;
    EXPECT_EQ(verified.status().message().find(kSubject), absl::string_view::npos);
    EXPECT_EQ(verified.status().message().find("RS256"), absl::string_view::npos);
  }
  EXPECT_TRUE(Verify(token).ok()) << "the parts reassembled are a valid token";
}

TEST_F(JwtVerifierTest, Base64UrlIsStrict) {
  EXPECT_EQ(DecodeBase64Url(""), "");
  EXPECT_EQ(DecodeBase64Url("QQ"), "A");
  EXPECT_EQ(DecodeBase64Url("-_8"), "\xfb\xff");
  EXPECT_EQ(DecodeBase64Url("QR"), std::nullopt) << "unused bits set: a second spelling of \"A\"";
  EXPECT_EQ(DecodeBase64Url("QQ=="), std::nullopt);
  EXPECT_EQ(DecodeBase64Url("+/8"), std::nullopt);
  EXPECT_EQ(DecodeBase64Url("QUJD\n"), std::nullopt);
  EXPECT_EQ(DecodeBase64Url("Q"), std::nullopt);
}

TEST_F(JwtVerifierTest, TheUnverifiedIssuerChoosesSettingsAndNothingMore) {
  const absl::StatusOr<std::string> issuer = UnverifiedIssuer(ec_->Sign(Claims()));
  ASSERT_TRUE(issuer.ok()) << issuer.status();
  EXPECT_EQ(*issuer, kIssuer);
  // Read, not verified: an unsigned token names an issuer too, and still fails verification.
  const std::string unsigned_token = testing::UnsignedToken(Claims(), "ec-1");
  EXPECT_EQ(UnverifiedIssuer(unsigned_token).value_or(""), kIssuer);
  json no_issuer = Claims();
  no_issuer.erase("iss");
  for (const std::string& bad : {std::string("a.b"), std::string("x.y.z"),
                                 ec_->Sign(no_issuer), std::string(9000, 'a') + ".." }) {
    EXPECT_EQ(UnverifiedIssuer(bad).status().code(), absl::StatusCode::kUnauthenticated);
  }
}

}  // namespace
}  // namespace gardefou::auth
