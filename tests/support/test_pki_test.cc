// The in-memory PKI and the JWT minter, checked against OpenSSL used independently
// (X509_verify_cert, EVP_DigestVerify on the PEM forms, HMAC).
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "tests/support/test_pki.h"
#include "tests/support/token_minter.h"

namespace gardefou::testing {
namespace {

X509Ptr ParseCert(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

PkeyPtr ParsePrivateKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

PkeyPtr ParsePublicKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
}

// X509_V_OK when `leaf_pem` chains to `ca_pem` for `purpose`, else OpenSSL's error code.
int VerifyChain(const std::string& ca_pem, const std::string& leaf_pem, int purpose) {
  X509StorePtr store(X509_STORE_new());
  X509Ptr ca = ParseCert(ca_pem);
  X509Ptr leaf = ParseCert(leaf_pem);
  if (store == nullptr || ca == nullptr || leaf == nullptr) return -1;
  if (X509_STORE_add_cert(store.get(), ca.get()) != 1) return -1;
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (ctx == nullptr || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr) != 1) {
    return -1;
  }
  X509_STORE_CTX_set_purpose(ctx.get(), purpose);
  return X509_verify_cert(ctx.get()) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx.get());
}

// The subjectAltName entries as "DNS:x", "URI:x", "IP:a.b.c.d".
std::vector<std::string> AltNames(const std::string& cert_pem) {
  X509Ptr cert = ParseCert(cert_pem);
  std::vector<std::string> out;
  if (cert == nullptr) return out;
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    int type = 0;
    const auto* value = static_cast<const ASN1_STRING*>(GENERAL_NAME_get0_value(name, &type));
    const std::string bytes(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                            static_cast<size_t>(ASN1_STRING_length(value)));
    if (type == GEN_DNS) out.push_back("DNS:" + bytes);
    if (type == GEN_URI) out.push_back("URI:" + bytes);
    if (type == GEN_IPADD && bytes.size() == 4) {
      std::ostringstream ip;
      for (size_t b = 0; b < 4; ++b) {
        ip << (b ? "." : "") << static_cast<int>(static_cast<unsigned char>(bytes[b]));
      }
      out.push_back("IP:" + ip.str());
    }
  }
  return out;
}

std::string CommonName(const std::string& cert_pem) {
  X509Ptr cert = ParseCert(cert_pem);
  char buffer[256] = {};
  if (cert == nullptr ||
      X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, buffer,
                                sizeof buffer) < 0) {
    return "";
  }
  return buffer;
}

bool KeyMatchesCert(const PemPair& pair) {
  X509Ptr cert = ParseCert(pair.cert_pem);
  PkeyPtr key = ParsePrivateKey(pair.key_pem);
  return cert != nullptr && key != nullptr && X509_check_private_key(cert.get(), key.get()) == 1;
}

std::string Decode(const std::string& base64url) {
  std::string out;
  EXPECT_TRUE(absl::WebSafeBase64Unescape(base64url, &out)) << base64url;
  return out;
}

struct Jws {
  nlohmann::json header;
  nlohmann::json claims;
  std::string signing_input;
  std::string signature;  // decoded
};

Jws SplitToken(const std::string& token) {
  const std::vector<std::string> parts = absl::StrSplit(token, '.');
  EXPECT_EQ(parts.size(), 3u) << token;
  if (parts.size() != 3) return {};
  return Jws{nlohmann::json::parse(Decode(parts[0])), nlohmann::json::parse(Decode(parts[1])),
             parts[0] + "." + parts[1], Decode(parts[2])};
}

// RFC 7518 §3.4 raw r||s back to the DER ECDSA-Sig-Value EVP_DigestVerify expects.
std::string RawToDer(const std::string& raw) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(bytes, 32, nullptr);
  BIGNUM* s = BN_bin2bn(bytes + 32, 32, nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return "";
  }
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig.get(), &der);
  if (size <= 0) return "";
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  return out;
}

bool VerifyJws(const std::string& alg, const std::string& public_pem, const Jws& jws) {
  PkeyPtr key = ParsePublicKey(public_pem);
  if (key == nullptr) return false;
  const EVP_MD* md = alg == "EdDSA" ? nullptr : EVP_sha256();
  std::string signature = jws.signature;
  if (alg == "ES256") {
    if (signature.size() != 64) return false;
    signature = RawToDer(signature);
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(jws.signing_input.data()),
                          jws.signing_input.size()) == 1;
}

std::string BnParamOf(const std::string& public_pem, const char* name) {
  PkeyPtr key = ParsePublicKey(public_pem);
  BIGNUM* raw = nullptr;
  if (key == nullptr || EVP_PKEY_get_bn_param(key.get(), name, &raw) != 1) return "";
  BignumPtr bn(raw);
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
  return bytes;
}

// Leading zero bytes dropped, to compare a padded coordinate with BN_bn2bin's output.
std::string TrimZeros(std::string bytes) {
  bytes.erase(0, bytes.find_first_not_of('\0'));
  return bytes;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(TestPkiTest, CaIsASelfSignedAuthority) {
  TestPki pki("gardefou test CA");
  X509Ptr ca = ParseCert(pki.ca_pem());
  ASSERT_NE(ca, nullptr);
  EXPECT_GE(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(X509_check_issued(ca.get(), ca.get()), X509_V_OK);
  EXPECT_EQ(CommonName(pki.ca_pem()), "gardefou test CA");
}

TEST(TestPkiTest, ServerLeafVerifiesForLocalhost) {
  TestPki pki("ca");
  const PemPair server = pki.Server();
  EXPECT_EQ(VerifyChain(pki.ca_pem(), server.cert_pem, X509_PURPOSE_SSL_SERVER), X509_V_OK);
  EXPECT_TRUE(KeyMatchesCert(server));
  EXPECT_EQ(CommonName(server.cert_pem), "localhost");
  EXPECT_EQ(AltNames(server.cert_pem),
            (std::vector<std::string>{"DNS:localhost", "IP:127.0.0.1"}));
  X509Ptr cert = ParseCert(server.cert_pem);
  EXPECT_EQ(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  // serverAuth only: not usable as a client certificate.
  EXPECT_EQ(VerifyChain(pki.ca_pem(), server.cert_pem, X509_PURPOSE_SSL_CLIENT),
            X509_V_ERR_INVALID_PURPOSE);
}

TEST(TestPkiTest, ClientLeafVerifiesAndCarriesItsUri) {
  TestPki pki("ca");
  const PemPair client = pki.Client("ent-lyon", "spiffe://gardefou/integration/ent-lyon");
  EXPECT_EQ(VerifyChain(pki.ca_pem(), client.cert_pem, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
  EXPECT_TRUE(KeyMatchesCert(client));
  EXPECT_EQ(CommonName(client.cert_pem), "ent-lyon");
  EXPECT_EQ(AltNames(client.cert_pem),
            (std::vector<std::string>{"URI:spiffe://gardefou/integration/ent-lyon"}));
  EXPECT_EQ(VerifyChain(pki.ca_pem(), client.cert_pem, X509_PURPOSE_SSL_SERVER),
            X509_V_ERR_INVALID_PURPOSE);

  const PemPair with_dns = pki.Client("x", "urn:x,with,commas", false, "ent.example");
  EXPECT_EQ(AltNames(with_dns.cert_pem),
            (std::vector<std::string>{"URI:urn:x,with,commas", "DNS:ent.example"}));
}

TEST(TestPkiTest, ExpiredClientIsRefusedAsExpired) {
  TestPki pki("ca");
  const PemPair client = pki.Client("old", "spiffe://gardefou/old", /*expired=*/true);
  EXPECT_EQ(VerifyChain(pki.ca_pem(), client.cert_pem, X509_PURPOSE_SSL_CLIENT),
            X509_V_ERR_CERT_HAS_EXPIRED);
}

TEST(TestPkiTest, AnotherCaDoesNotVouchForTheLeaf) {
  TestPki pki("ca");
  TestPki other("other ca");
  EXPECT_EQ(VerifyChain(other.ca_pem(), pki.Client("c", "urn:c").cert_pem,
                        X509_PURPOSE_SSL_CLIENT),
            X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

TEST(TestPkiTest, SerialsAreRandomAndAMovedPkiStillSigns) {
  TestPki original("ca");
  const std::string ca_pem = original.ca_pem();
  TestPki pki = std::move(original);
  const PemPair a = pki.Client("a", "urn:a");
  const PemPair b = pki.Client("a", "urn:a");
  X509Ptr cert_a = ParseCert(a.cert_pem);
  X509Ptr cert_b = ParseCert(b.cert_pem);
  ASSERT_NE(cert_a, nullptr);
  ASSERT_NE(cert_b, nullptr);
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(cert_a.get()),
                             X509_get0_serialNumber(cert_b.get())),
            0);
  EXPECT_EQ(VerifyChain(ca_pem, a.cert_pem, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
}

TEST(TestPkiTest, WriteSecretFileIsOwnerOnly) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                    ("gardefou_secret_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path path = dir / "key.pem";
  { std::ofstream(path) << "old, world-readable"; }
  std::filesystem::permissions(path, std::filesystem::perms(0644));
  WriteSecretFile(path, "secret");
  struct stat info{};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(ReadFile(path), "secret");
  std::filesystem::remove_all(dir);
}

TEST(TokenMinterTest, Base64UrlKnownVectors) {
  EXPECT_EQ(Base64Url(""), "");
  EXPECT_EQ(Base64Url("f"), "Zg");
  EXPECT_EQ(Base64Url("fo"), "Zm8");
  EXPECT_EQ(Base64Url("foo"), "Zm9v");
  EXPECT_EQ(Base64Url("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Url("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64Url(std::string_view("\0\0\0", 3)), "AAAA");
}

class TokenKeyTest : public ::testing::TestWithParam<TokenKeyKind> {};

TEST_P(TokenKeyTest, SignatureVerifiesAgainstThePublicPem) {
  const TokenKey key(GetParam(), "k1");
  const nlohmann::json claims = {{"iss", "https://idp.example"}, {"sub", "teacher-7"},
                                 {"exp", 4102444800}};
  const std::string token = key.Sign(claims);
  const Jws jws = SplitToken(token);
  EXPECT_EQ(jws.header, (nlohmann::json{{"alg", key.alg()}, {"typ", "JWT"}, {"kid", "k1"}}));
  EXPECT_EQ(jws.claims, claims);
  EXPECT_TRUE(VerifyJws(key.alg(), key.PublicPem(), jws));
  if (key.alg() == "ES256") {
    EXPECT_EQ(jws.signature.size(), 64u);
  }

  Jws tampered = jws;
  tampered.signing_input += "x";
  EXPECT_FALSE(VerifyJws(key.alg(), key.PublicPem(), tampered));
  const TokenKey other(GetParam(), "k2");
  EXPECT_FALSE(VerifyJws(key.alg(), other.PublicPem(), jws));
}

TEST_P(TokenKeyTest, JwkDescribesThePublicPem) {
  const TokenKey key(GetParam(), "k1");
  const nlohmann::json jwk = key.Jwk();
  EXPECT_EQ(jwk["kid"], "k1");
  EXPECT_EQ(jwk["alg"], key.alg());
  EXPECT_EQ(jwk["use"], "sig");
  const std::string pem = key.PublicPem();
  switch (GetParam()) {
    case TokenKeyKind::kRsa:
      EXPECT_EQ(key.alg(), "RS256");
      EXPECT_EQ(jwk["kty"], "RSA");
      EXPECT_EQ(Decode(jwk["n"].get<std::string>()), BnParamOf(pem, "n"));
      EXPECT_EQ(Decode(jwk["n"].get<std::string>()).size(), 256u);
      EXPECT_EQ(jwk["e"], "AQAB");
      break;
    case TokenKeyKind::kEc: {
      EXPECT_EQ(key.alg(), "ES256");
      EXPECT_EQ(jwk["kty"], "EC");
      EXPECT_EQ(jwk["crv"], "P-256");
      const std::string x = Decode(jwk["x"].get<std::string>());
      const std::string y = Decode(jwk["y"].get<std::string>());
      EXPECT_EQ(x.size(), 32u);
      EXPECT_EQ(y.size(), 32u);
      EXPECT_EQ(TrimZeros(x), BnParamOf(pem, "qx"));
      EXPECT_EQ(TrimZeros(y), BnParamOf(pem, "qy"));
      break;
    }
    case TokenKeyKind::kEd25519: {
      EXPECT_EQ(key.alg(), "EdDSA");
      EXPECT_EQ(jwk["kty"], "OKP");
      EXPECT_EQ(jwk["crv"], "Ed25519");
      PkeyPtr parsed = ParsePublicKey(pem);
      ASSERT_NE(parsed, nullptr);
      unsigned char raw[32];
      size_t size = sizeof raw;
      ASSERT_EQ(EVP_PKEY_get_raw_public_key(parsed.get(), raw, &size), 1);
      EXPECT_EQ(Decode(jwk["x"].get<std::string>()),
                std::string(reinterpret_cast<const char*>(raw), size));
      break;
    }
  }
}

TEST_P(TokenKeyTest, HeaderOverridesReplaceAndRemove) {
  const TokenKey key(GetParam(), "k1");
  const Jws jws = SplitToken(
      key.Sign({{"sub", "s"}}, {{"typ", nullptr}, {"kid", "elsewhere"}, {"jku", "https://x"}}));
  EXPECT_EQ(jws.header, (nlohmann::json{{"alg", key.alg()}, {"kid", "elsewhere"},
                                        {"jku", "https://x"}}));
  EXPECT_TRUE(VerifyJws(key.alg(), key.PublicPem(), jws));
}

INSTANTIATE_TEST_SUITE_P(AllKinds, TokenKeyTest,
                         ::testing::Values(TokenKeyKind::kRsa, TokenKeyKind::kEc,
                                           TokenKeyKind::kEd25519));

TEST(TokenMinterTest, JwksListsEveryKey) {
  const TokenKey rsa(TokenKeyKind::kRsa, "r");
  const TokenKey ed(TokenKeyKind::kEd25519, "e");
  const nlohmann::json jwks = nlohmann::json::parse(JwksJson({&rsa, &ed}));
  ASSERT_EQ(jwks["keys"].size(), 2u);
  EXPECT_EQ(jwks["keys"][0], rsa.Jwk());
  EXPECT_EQ(jwks["keys"][1], ed.Jwk());
  EXPECT_EQ(JwksJson({}), R"({"keys":[]})");
}

TEST(TokenMinterTest, UnsignedTokenHasAnEmptySignature) {
  const std::string token = UnsignedToken({{"sub", "s"}}, "k1");
  ASSERT_EQ(token.back(), '.');
  const Jws jws = SplitToken(token);
  EXPECT_EQ(jws.header, (nlohmann::json{{"alg", "none"}, {"typ", "JWT"}, {"kid", "k1"}}));
  EXPECT_EQ(jws.claims, (nlohmann::json{{"sub", "s"}}));
  EXPECT_EQ(jws.signature, "");
}

TEST(TokenMinterTest, Hs256IsAnHmacKeyedWithTheSecret) {
  const TokenKey key(TokenKeyKind::kRsa, "k1");
  const std::string secret = key.PublicPem();
  const Jws jws = SplitToken(Hs256Token({{"sub", "s"}}, secret, "k1"));
  EXPECT_EQ(jws.header, (nlohmann::json{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "k1"}}));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  ASSERT_NE(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
                 reinterpret_cast<const unsigned char*>(jws.signing_input.data()),
                 jws.signing_input.size(), mac, &size),
            nullptr);
  EXPECT_EQ(jws.signature, std::string(reinterpret_cast<const char*>(mac), size));
}

}  // namespace
}  // namespace gardefou::testing
