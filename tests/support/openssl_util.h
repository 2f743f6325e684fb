// Test support: owning handles for OpenSSL objects, a fail-fast check and BIO-to-string,
// shared by the in-memory PKI and the JWT minter (tests only: failures abort the test).
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace gardefou::testing {

struct OpenSslFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_NAME* p) const { X509_NAME_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslFree>;
using X509Ptr = std::unique_ptr<X509, OpenSslFree>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslFree>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslFree>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpenSslFree>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslFree>;
using BioPtr = std::unique_ptr<BIO, OpenSslFree>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslFree>;

// Aborts the test binary with `what` and OpenSSL's error queue when `ok` is false.
inline void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "test support: OpenSSL failed: %s\n", what);
  ERR_print_errors_fp(stderr);
  std::abort();
}

// Everything written so far to a memory BIO.
inline std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  Check(size >= 0, "BIO_get_mem_data");
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace gardefou::testing
