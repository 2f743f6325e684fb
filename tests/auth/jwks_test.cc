// Tests of JSON Web Key Sets: the three key types parse to the algorithm they verify, every
// mistake (private or symmetric key, repeated kid, short modulus, wrong alg or curve, bad
// encoding, size) is refused naming the key and the member, and a JWKS file is re-read when it
// changes while a broken one keeps the last good set.
#include "service/auth/jwks.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "service/auth/base64url.h"
#include "tests/support/test_server.h"
#include "tests/support/token_minter.h"

namespace gardefou::auth {
namespace {

using nlohmann::json;
using testing::TokenKey;
using testing::TokenKeyKind;

class JwksTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa_ = new TokenKey(TokenKeyKind::kRsa, "rsa-1");
    ec_ = new TokenKey(TokenKeyKind::kEc, "ec-1");
    ed_ = new TokenKey(TokenKeyKind::kEd25519, "ed-1");
  }
  static void TearDownTestSuite() {
    delete ed_;
    delete ec_;
    delete rsa_;
  }

  static std::string Set(const std::vector<json>& keys) {
    return json{{"keys", keys}}.dump();
  }

  // Refused as INVALID_ARGUMENT with a message containing each of `parts`.
  static void ExpectRefused(const std::string& jwks, const std::vector<std::string>& parts) {
    const absl::StatusOr<KeySet> keys = KeySet::Parse(jwks);
    ASSERT_FALSE(keys.ok()) << "accepted: " << jwks.substr(0, 200);
    EXPECT_EQ(keys.status().code(), absl::StatusCode::kInvalidArgument);
    for (const std::string& part : parts) {
      EXPECT_NE(keys.status().message().find(part), absl::string_view::npos)
          << keys.status().message() << " lacks " << part;
    }
  }

  static TokenKey* rsa_;
  static TokenKey* ec_;
  static TokenKey* ed_;
};

TokenKey* JwksTest::rsa_ = nullptr;
TokenKey* JwksTest::ec_ = nullptr;
TokenKey* JwksTest::ed_ = nullptr;

TEST_F(JwksTest, EachKeyTypeVerifiesItsOneAlgorithm) {
  const absl::StatusOr<KeySet> keys = KeySet::Parse(testing::JwksJson({rsa_, ec_, ed_}));
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->size(), 3u);
  for (const TokenKey* key : {rsa_, ec_, ed_}) {
    const VerificationKey* found = keys->Find(key->kid());
    ASSERT_NE(found, nullptr) << key->kid();
    EXPECT_EQ(found->kid, key->kid());
    EXPECT_EQ(found->alg, key->alg());
    EXPECT_NE(found->key, nullptr);
  }
  EXPECT_EQ(keys->Find("rsa-2"), nullptr);
  EXPECT_EQ(keys->Find(""), nullptr);
}

TEST_F(JwksTest, AlgAndUseAreOptionalAndKeysForOtherUsesAreSkipped) {
  json bare = rsa_->Jwk();
  bare.erase("alg");
  bare.erase("use");
  json encryption = ec_->Jwk();
  encryption["use"] = "enc";
  encryption.erase("alg");
  encryption["kid"] = "rsa-1";  // a skipped key's kid is not counted
  const absl::StatusOr<KeySet> keys = KeySet::Parse(Set({bare, encryption}));
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->size(), 1u);
  ASSERT_NE(keys->Find("rsa-1"), nullptr);
  EXPECT_EQ(keys->Find("rsa-1")->alg, "RS256");
  EXPECT_TRUE(KeySet::Parse(R"({"keys": []})").ok());
}

TEST_F(JwksTest, PrivateKeyMaterialIsRefused) {
  for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "oth"}) {
    json leaked = rsa_->Jwk();
    leaked[member] = "AQAB";
    ExpectRefused(Set({ed_->Jwk(), leaked}), {"key 1", std::string("'") + member + "'"});
  }
  json ec_private = ec_->Jwk();
  ec_private["d"] = testing::Base64Url(std::string(32, '\x07'));
  ExpectRefused(Set({ec_private}), {"key 0", "'d'"});
  json ed_private = ed_->Jwk();
  ed_private["d"] = testing::Base64Url(std::string(32, '\x07'));
  ed_private["use"] = "enc";  // refused even on a key that would be skipped
  ExpectRefused(Set({ed_private}), {"key 0", "'d'"});
}

TEST_F(JwksTest, SymmetricKeysAreRefused) {
  const json secret = {{"kty", "oct"}, {"kid", "hmac"}, {"k", testing::Base64Url("secret")}};
  ExpectRefused(Set({rsa_->Jwk(), secret}), {"key 1", "oct"});
  json for_encryption = secret;
  for_encryption["use"] = "enc";
  ExpectRefused(Set({for_encryption}), {"key 0", "oct"});
}

TEST_F(JwksTest, ARepeatedOrMissingKidIsRefused) {
  json twin = ec_->Jwk();
  twin["kid"] = rsa_->kid();
  ExpectRefused(Set({rsa_->Jwk(), twin}), {"key 1", "'kid'"});
  json anonymous = ed_->Jwk();
  anonymous.erase("kid");
  ExpectRefused(Set({anonymous}), {"key 0", "'kid'"});
  anonymous["kid"] = "";
  ExpectRefused(Set({anonymous}), {"key 0", "'kid'"});
  anonymous["kid"] = 3;
  ExpectRefused(Set({anonymous}), {"key 0", "'kid'"});
}

TEST_F(JwksTest, AnRsaModulusUnder2048BitsOrABadExponentIsRefused) {
  const json jwk = rsa_->Jwk();
  const std::string modulus = *DecodeBase64Url(jwk["n"].get<std::string>());
  json short_modulus = jwk;
  short_modulus["n"] = testing::Base64Url(modulus.substr(0, 128));  // 1024 bits
  ExpectRefused(Set({short_modulus}), {"key 0", "'n'", "1024 bits"});
  json even_modulus = jwk;
  even_modulus["n"] = testing::Base64Url(modulus.substr(0, modulus.size() - 1) + '\x02');
  ExpectRefused(Set({even_modulus}), {"key 0", "'n'", "even"});
  json even_exponent = jwk;
  even_exponent["e"] = testing::Base64Url(std::string("\x01\x00", 2));
  ExpectRefused(Set({even_exponent}), {"key 0", "'e'"});
  json exponent_one = jwk;
  exponent_one["e"] = testing::Base64Url("\x01");
  ExpectRefused(Set({exponent_one}), {"key 0", "'e'"});
}

TEST_F(JwksTest, AnAlgThatDoesNotMatchTheKeyTypeIsRefused) {
  const std::vector<std::pair<const TokenKey*, std::string>> mismatches = {
      {rsa_, "RS384"}, {rsa_, "PS256"}, {rsa_, "HS256"}, {rsa_, "ES256"},
      {ec_, "ES384"},  {ec_, "RS256"},  {ed_, "ES256"},  {ed_, "none"}};
  for (const auto& [key, alg] : mismatches) {
    json jwk = key->Jwk();
    jwk["alg"] = alg;
    ExpectRefused(Set({jwk}), {"key 0", "'alg'"});
  }
}

TEST_F(JwksTest, UnsupportedKeyTypesAndCurvesAndBadPointsAreRefused) {
  json p384 = ec_->Jwk();
  p384["crv"] = "P-384";
  ExpectRefused(Set({p384}), {"key 0", "'crv'"});
  json x25519 = ed_->Jwk();
  x25519["crv"] = "X25519";
  ExpectRefused(Set({x25519}), {"key 0", "'crv'"});
  json unknown = ed_->Jwk();
  unknown["kty"] = "DSA";
  ExpectRefused(Set({unknown}), {"key 0", "'kty'"});
  json no_kty = ed_->Jwk();
  no_kty.erase("kty");
  ExpectRefused(Set({no_kty}), {"key 0", "'kty'"});

  const json ec = ec_->Jwk();
  json short_x = ec;
  short_x["x"] = testing::Base64Url(DecodeBase64Url(ec["x"].get<std::string>())->substr(1));
  ExpectRefused(Set({short_x}), {"key 0", "'x'"});
  json off_curve = ec;
  std::string y = *DecodeBase64Url(ec["y"].get<std::string>());
  y[31] ^= 0x01;
  off_curve["y"] = testing::Base64Url(y);
  ExpectRefused(Set({off_curve}), {"key 0", "'y'"});
  json no_y = ec;
  no_y.erase("y");
  ExpectRefused(Set({no_y}), {"key 0", "'y'"});
  json short_ed = ed_->Jwk();
  short_ed["x"] = testing::Base64Url(std::string(31, '\x01'));
  ExpectRefused(Set({short_ed}), {"key 0", "'x'"});
}

TEST_F(JwksTest, MembersMustBeStrictBase64Url) {
  const json jwk = rsa_->Jwk();
  const std::string n = jwk["n"].get<std::string>();
  for (const std::string& bad : {n + "=", n.substr(0, 10) + "+" + n.substr(11), n + " "}) {
    json broken = jwk;
    broken["n"] = bad;
    ExpectRefused(Set({broken}), {"key 0", "'n'"});
  }
  json number = jwk;
  number["e"] = 65537;
  ExpectRefused(Set({number}), {"key 0", "'e'"});
}

TEST_F(JwksTest, TheDocumentMustBeAKeysArrayOfObjectsWithinTheLimits) {
  ExpectRefused("", {"JSON"});
  ExpectRefused("{\"keys\": [", {"JSON"});
  ExpectRefused("[]", {"JSON object"});
  ExpectRefused("{}", {"'keys'"});
  ExpectRefused(R"({"keys": {}})", {"'keys'"});
  ExpectRefused(R"({"keys": ["rsa-1"]})", {"key 0", "object"});

  std::vector<json> many;
  for (int i = 0; i < 65; ++i) {
    json jwk = ed_->Jwk();
    jwk["kid"] = "ed-" + std::to_string(i);
    many.push_back(jwk);
  }
  ExpectRefused(Set(many), {"64"});
  many.pop_back();
  const absl::StatusOr<KeySet> sixty_four = KeySet::Parse(Set(many));
  ASSERT_TRUE(sixty_four.ok()) << sixty_four.status();
  EXPECT_EQ(sixty_four->size(), 64u);

  json padded = ed_->Jwk();
  padded["x5c"] = std::string(1 << 20, 'A');
  ExpectRefused(Set({padded}), {"1 MiB"});
}

// A JWKS file in a fresh directory, rewritten in place by the tests.
class JwksFileTest : public JwksTest {
 protected:
  void Write(const std::string& text) const {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << text;
  }
  // Past the once-a-second throttle, so that the next Current() looks at the file.
  static void WaitForNextCheck() { std::this_thread::sleep_for(std::chrono::milliseconds(1100)); }

  testing::TempDir dir_;
  const std::string path_ = (dir_.path() / "idp.jwks.json").string();
};

TEST_F(JwksFileTest, OpeningAMissingOrInvalidFileFails) {
  const auto missing = JwksFile::Open(path_);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  Write(R"({"keys": [{"kty": "oct", "kid": "h", "k": "c2VjcmV0"}]})");
  const auto invalid = JwksFile::Open(path_);
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(invalid.status().message().find(path_), absl::string_view::npos);
  EXPECT_NE(invalid.status().message().find("key 0"), absl::string_view::npos);
}

TEST_F(JwksFileTest, AChangedFileIsReReadAndABrokenOneKeepsTheLastGoodSet) {
  Write(testing::JwksJson({rsa_}));
  absl::StatusOr<std::unique_ptr<JwksFile>> file = JwksFile::Open(path_);
  ASSERT_TRUE(file.ok()) << file.status();
  const std::shared_ptr<const KeySet> first = (*file)->Current();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_NE(first->Find("rsa-1"), nullptr);

  // Key rotation: a second key is published.
  Write(testing::JwksJson({rsa_, ec_}));
  WaitForNextCheck();
  const std::shared_ptr<const KeySet> rotated = (*file)->Current();
  EXPECT_EQ(rotated->size(), 2u);
  EXPECT_NE(rotated->Find("ec-1"), nullptr);
  EXPECT_EQ(first->size(), 1u) << "a set already handed out stays as it was";

  // A half-written file: the last good set stays.
  Write(R"({"keys": [)");
  WaitForNextCheck();
  EXPECT_EQ((*file)->Current(), rotated);

  // A removed file keeps the set too; a good file again replaces it.
  std::filesystem::remove(path_);
  WaitForNextCheck();
  EXPECT_EQ((*file)->Current(), rotated);
  Write(testing::JwksJson({ed_}));
  WaitForNextCheck();
  const std::shared_ptr<const KeySet> replaced = (*file)->Current();
  EXPECT_EQ(replaced->size(), 1u);
  EXPECT_NE(replaced->Find("ed-1"), nullptr);
  EXPECT_EQ(replaced->Find("rsa-1"), nullptr);
}

}  // namespace
}  // namespace gardefou::auth
