// In-memory CA and leaf certificates with the OpenSSL 3 X509 API; secret files for `serve`.
#include "tests/support/test_pki.h"

#include <fcntl.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace gardefou::testing {
namespace {

constexpr long kHour = 60 * 60;
constexpr long kDay = 24 * kHour;

PkeyPtr NewEcKey() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  Check(key != nullptr, "EVP_PKEY_Q_keygen EC P-256");
  return key;
}

// A positive random serial of 120 bits (RFC 5280 allows up to 20 octets).
void SetRandomSerial(X509* cert) {
  BignumPtr serial(BN_new());
  Check(serial != nullptr, "BN_new");
  Check(BN_rand(serial.get(), 120, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) == 1, "BN_rand");
  Check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) != nullptr,
        "BN_to_ASN1_INTEGER");
}

void SetCommonName(X509* cert, const std::string& common_name) {
  X509_NAME* name = X509_get_subject_name(cert);
  Check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()),
                                   -1, -1, 0) == 1,
        "X509_NAME_add_entry_by_txt CN");
}

// Adds one extension written in openssl.cnf syntax ("critical,CA:TRUE"); `issuer` may be
// `cert` itself for a self-signed certificate.
void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509V3_set_ctx_nodb(&ctx);
  X509ExtensionPtr extension(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value));
  Check(extension != nullptr, value);
  Check(X509_add_ext(cert, extension.get(), -1) == 1, "X509_add_ext");
}

// Appends a DNS or URI name (both IA5String) to `names`.
void PushIa5Name(GENERAL_NAMES* names, int type, const std::string& value) {
  ASN1_IA5STRING* text = ASN1_IA5STRING_new();
  Check(text != nullptr, "ASN1_IA5STRING_new");
  Check(ASN1_STRING_set(text, value.data(), static_cast<int>(value.size())) == 1,
        "ASN1_STRING_set");
  GENERAL_NAME* name = GENERAL_NAME_new();
  Check(name != nullptr, "GENERAL_NAME_new");
  GENERAL_NAME_set0_value(name, type, text);
  Check(sk_GENERAL_NAME_push(names, name) > 0, "sk_GENERAL_NAME_push");
}

void PushIpName(GENERAL_NAMES* names, const char* ip) {
  ASN1_OCTET_STRING* address = a2i_IPADDRESS(ip);
  Check(address != nullptr, "a2i_IPADDRESS");
  GENERAL_NAME* name = GENERAL_NAME_new();
  Check(name != nullptr, "GENERAL_NAME_new");
  GENERAL_NAME_set0_value(name, GEN_IPADD, address);
  Check(sk_GENERAL_NAME_push(names, name) > 0, "sk_GENERAL_NAME_push");
}

void AddSubjectAltNames(X509* cert, GENERAL_NAMES* names) {
  Check(X509_add1_ext_i2d(cert, NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT) == 1,
        "X509_add1_ext_i2d subjectAltName");
}

// A v3 certificate for `key`, valid from now+not_before to now+not_after (seconds), not yet
// carrying extensions nor a signature.
X509Ptr NewCertificate(EVP_PKEY* key, const std::string& common_name, X509* issuer,
                       long not_before, long not_after) {
  X509Ptr cert(X509_new());
  Check(cert != nullptr, "X509_new");
  Check(X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_set_version");
  SetRandomSerial(cert.get());
  Check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), not_before) != nullptr, "notBefore");
  Check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), not_after) != nullptr, "notAfter");
  Check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
  SetCommonName(cert.get(), common_name);
  X509_NAME* issuer_name = X509_get_subject_name(issuer != nullptr ? issuer : cert.get());
  Check(X509_set_issuer_name(cert.get(), issuer_name) == 1, "X509_set_issuer_name");
  return cert;
}

std::string CertPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  Check(bio != nullptr, "BIO_new");
  Check(PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
  return BioContents(bio.get());
}

std::string PrivateKeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  Check(bio != nullptr, "BIO_new");
  Check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_bio_PrivateKey");
  return BioContents(bio.get());
}

}  // namespace

TestPki::TestPki(const std::string& ca_common_name) : ca_key_(NewEcKey()) {
  ca_cert_ = NewCertificate(ca_key_.get(), ca_common_name, nullptr, -kHour, kDay - kHour);
  X509* cert = ca_cert_.get();
  AddExtension(cert, cert, NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExtension(cert, cert, NID_subject_key_identifier, "hash");
  Check(X509_sign(cert, ca_key_.get(), EVP_sha256()) > 0, "X509_sign CA");
  ca_pem_ = CertPem(cert);
}

PemPair TestPki::Server() const {
  PkeyPtr key = NewEcKey();
  X509* ca = ca_cert_.get();
  X509Ptr cert = NewCertificate(key.get(), "localhost", ca, -kHour, kDay - kHour);
  AddExtension(cert.get(), ca, NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert.get(), ca, NID_key_usage, "critical,digitalSignature");
  AddExtension(cert.get(), ca, NID_ext_key_usage, "serverAuth");
  AddExtension(cert.get(), ca, NID_subject_key_identifier, "hash");
  AddExtension(cert.get(), ca, NID_authority_key_identifier, "keyid:always");
  GeneralNamesPtr names(GENERAL_NAMES_new());
  Check(names != nullptr, "GENERAL_NAMES_new");
  PushIa5Name(names.get(), GEN_DNS, "localhost");
  PushIpName(names.get(), "127.0.0.1");
  AddSubjectAltNames(cert.get(), names.get());
  Check(X509_sign(cert.get(), ca_key_.get(), EVP_sha256()) > 0, "X509_sign server");
  return PemPair{CertPem(cert.get()), PrivateKeyPem(key.get())};
}

PemPair TestPki::Client(const std::string& common_name, const std::string& uri, bool expired,
                        const std::string& dns) const {
  PkeyPtr key = NewEcKey();
  X509* ca = ca_cert_.get();
  const long not_before = expired ? -2 * kDay : -kHour;
  const long not_after = expired ? -kDay : kDay - kHour;
  X509Ptr cert = NewCertificate(key.get(), common_name, ca, not_before, not_after);
  AddExtension(cert.get(), ca, NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert.get(), ca, NID_key_usage, "critical,digitalSignature");
  AddExtension(cert.get(), ca, NID_ext_key_usage, "clientAuth");
  AddExtension(cert.get(), ca, NID_subject_key_identifier, "hash");
  AddExtension(cert.get(), ca, NID_authority_key_identifier, "keyid:always");
  GeneralNamesPtr names(GENERAL_NAMES_new());
  Check(names != nullptr, "GENERAL_NAMES_new");
  PushIa5Name(names.get(), GEN_URI, uri);
  if (!dns.empty()) PushIa5Name(names.get(), GEN_DNS, dns);
  AddSubjectAltNames(cert.get(), names.get());
  Check(X509_sign(cert.get(), ca_key_.get(), EVP_sha256()) > 0, "X509_sign client");
  return PemPair{CertPem(cert.get()), PrivateKeyPem(key.get())};
}

void WriteSecretFile(const std::filesystem::path& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = fd >= 0 && ::fchmod(fd, 0600) == 0;  // an existing file keeps its mode otherwise
  for (size_t done = 0; ok && done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  if (fd >= 0 && ::close(fd) != 0) ok = false;
  if (!ok) {
    std::fprintf(stderr, "test support: cannot write %s: %s\n", path.c_str(),
                 std::strerror(errno));
    std::abort();
  }
}

}  // namespace gardefou::testing
