// Test support: a certificate authority made in memory for one test, and its server and
// client leaf certificates as PEM (EC P-256 keys), for the TLS and mTLS tests.
#pragma once

#include <filesystem>
#include <string>

#include "tests/support/openssl_util.h"

namespace gardefou::testing {

struct PemPair {
  std::string cert_pem;
  std::string key_pem;  // PKCS#8 "PRIVATE KEY", unencrypted
};

// Every certificate has a random serial and is signed with ECDSA SHA-256. OpenSSL failures
// abort the test binary with a message.
class TestPki {
 public:
  // Self-signed CA: CN=ca_common_name, basicConstraints CA:TRUE, keyUsage keyCertSign,
  // valid from 1 h ago for 1 day.
  explicit TestPki(const std::string& ca_common_name);

  const std::string& ca_pem() const { return ca_pem_; }

  // Server leaf: CN=localhost, SAN DNS:localhost and IP:127.0.0.1, extendedKeyUsage serverAuth.
  PemPair Server() const;

  // Client leaf: CN=common_name, SAN URI:uri (and DNS:dns when not empty), extendedKeyUsage
  // clientAuth. expired=true: notBefore 2 days ago, notAfter 1 day ago.
  PemPair Client(const std::string& common_name, const std::string& uri, bool expired = false,
                 const std::string& dns = "") const;

 private:
  PkeyPtr ca_key_;
  X509Ptr ca_cert_;
  std::string ca_pem_;
};

// Writes `content` to `path` with mode 0600 (for tests that start `gardefou serve` with files).
void WriteSecretFile(const std::filesystem::path& path, const std::string& content);

}  // namespace gardefou::testing
