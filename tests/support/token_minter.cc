// JWT and JWK minting with OpenSSL 3 EVP keys (EVP_DigestSign, EVP_Q_mac) and nlohmann::json.
#include "tests/support/token_minter.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace gardefou::testing {
namespace {

// Compact JSON; invalid UTF-8 is replaced rather than thrown on.
std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string AsString(const unsigned char* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

PkeyPtr Generate(TokenKeyKind kind) {
  EVP_PKEY* key = nullptr;
  switch (kind) {
    case TokenKeyKind::kRsa:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
      break;
    case TokenKeyKind::kEc:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case TokenKeyKind::kEd25519:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  Check(key != nullptr, "EVP_PKEY_Q_keygen");
  return PkeyPtr(key);
}

// The big-endian bytes of a key's BIGNUM parameter, left-padded to `width` when non-zero.
std::string BnParam(const EVP_PKEY* key, const char* name, int width = 0) {
  BIGNUM* raw = nullptr;
  Check(EVP_PKEY_get_bn_param(key, name, &raw) == 1, name);
  BignumPtr bn(raw);
  const int size = width > 0 ? width : BN_num_bytes(bn.get());
  std::string bytes(static_cast<size_t>(size), '\0');
  Check(BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()), size) == size,
        "BN_bn2binpad");
  return bytes;
}

// EVP_DigestSign over `data`; `md` is null for Ed25519 (one-shot, no pre-hash).
std::string DigestSign(EVP_PKEY* key, const EVP_MD* md, std::string_view data) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  Check(ctx != nullptr, "EVP_MD_CTX_new");
  Check(EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key) == 1, "EVP_DigestSignInit");
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  size_t size = 0;
  Check(EVP_DigestSign(ctx.get(), nullptr, &size, in, data.size()) == 1, "EVP_DigestSign size");
  std::string signature(size, '\0');
  Check(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, in,
                       data.size()) == 1,
        "EVP_DigestSign");
  signature.resize(size);
  return signature;
}

// DER ECDSA-Sig-Value -> the JWS form: r and s as 32 big-endian bytes each (RFC 7518 §3.4).
std::string DerToRawP256(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  Check(sig != nullptr, "d2i_ECDSA_SIG");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  unsigned char raw[64];
  Check(BN_bn2binpad(r, raw, 32) == 32 && BN_bn2binpad(s, raw + 32, 32) == 32,
        "BN_bn2binpad r||s");
  return AsString(raw, sizeof raw);
}

nlohmann::json BaseHeader(const std::string& alg, const std::string& kid) {
  nlohmann::json header = {{"alg", alg}, {"typ", "JWT"}};
  if (!kid.empty()) header["kid"] = kid;
  return header;
}

std::string SigningInput(const nlohmann::json& header, const nlohmann::json& claims) {
  return Base64Url(Dump(header)) + "." + Base64Url(Dump(claims));
}

}  // namespace

TokenKey::TokenKey(TokenKeyKind kind, std::string kid)
    : kind_(kind), kid_(std::move(kid)), key_(Generate(kind)) {}

std::string TokenKey::alg() const {
  switch (kind_) {
    case TokenKeyKind::kRsa:
      return "RS256";
    case TokenKeyKind::kEc:
      return "ES256";
    case TokenKeyKind::kEd25519:
      return "EdDSA";
  }
  return "";
}

nlohmann::json TokenKey::Jwk() const {
  nlohmann::json jwk = {{"kid", kid_}, {"alg", alg()}, {"use", "sig"}};
  switch (kind_) {
    case TokenKeyKind::kRsa:
      jwk["kty"] = "RSA";
      jwk["n"] = Base64Url(BnParam(key_.get(), OSSL_PKEY_PARAM_RSA_N));
      jwk["e"] = Base64Url(BnParam(key_.get(), OSSL_PKEY_PARAM_RSA_E));
      break;
    case TokenKeyKind::kEc:
      jwk["kty"] = "EC";
      jwk["crv"] = "P-256";
      jwk["x"] = Base64Url(BnParam(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32));
      jwk["y"] = Base64Url(BnParam(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32));
      break;
    case TokenKeyKind::kEd25519: {
      unsigned char raw[32];
      size_t size = sizeof raw;
      Check(EVP_PKEY_get_raw_public_key(key_.get(), raw, &size) == 1 && size == sizeof raw,
            "EVP_PKEY_get_raw_public_key");
      jwk["kty"] = "OKP";
      jwk["crv"] = "Ed25519";
      jwk["x"] = Base64Url(AsString(raw, size));
      break;
    }
  }
  return jwk;
}

std::string TokenKey::PublicPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  Check(bio != nullptr, "BIO_new");
  Check(PEM_write_bio_PUBKEY(bio.get(), key_.get()) == 1, "PEM_write_bio_PUBKEY");
  return BioContents(bio.get());
}

std::string TokenKey::Sign(const nlohmann::json& claims,
                           const nlohmann::json& header_overrides) const {
  Check(header_overrides.is_object(), "header_overrides must be a JSON object");
  nlohmann::json header = {{"alg", alg()}, {"typ", "JWT"}, {"kid", kid_}};
  for (const auto& [name, value] : header_overrides.items()) {
    if (value.is_null()) {
      header.erase(name);
    } else {
      header[name] = value;
    }
  }
  const std::string input = SigningInput(header, claims);
  std::string signature;
  switch (kind_) {
    case TokenKeyKind::kRsa:
      signature = DigestSign(key_.get(), EVP_sha256(), input);
      break;
    case TokenKeyKind::kEc:
      signature = DerToRawP256(DigestSign(key_.get(), EVP_sha256(), input));
      break;
    case TokenKeyKind::kEd25519:
      signature = DigestSign(key_.get(), nullptr, input);
      break;
  }
  return input + "." + Base64Url(signature);
}

std::string JwksJson(const std::vector<const TokenKey*>& keys) {
  nlohmann::json list = nlohmann::json::array();
  for (const TokenKey* key : keys) list.push_back(key->Jwk());
  return Dump(nlohmann::json{{"keys", list}});
}

std::string UnsignedToken(const nlohmann::json& claims, const std::string& kid) {
  return SigningInput(BaseHeader("none", kid), claims) + ".";
}

std::string Hs256Token(const nlohmann::json& claims, const std::string& secret,
                       const std::string& kid) {
  const std::string input = SigningInput(BaseHeader("HS256", kid), claims);
  unsigned char mac[32];
  size_t size = 0;
  Check(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                  reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
                  sizeof mac, &size) != nullptr &&
            size == sizeof mac,
        "EVP_Q_mac HMAC-SHA256");
  return input + "." + Base64Url(AsString(mac, size));
}

std::string Base64Url(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16) |
                       (static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) v |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    if (rest == 2) out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

}  // namespace gardefou::testing
