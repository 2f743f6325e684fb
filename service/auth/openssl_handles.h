// Owning handles for the OpenSSL objects the auth library creates, so that every path frees them.
#pragma once

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>

namespace gardefou::auth {

struct OpenSslFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
  void operator()(unsigned char* p) const { OPENSSL_free(p); }
};

using BignumPtr = std::unique_ptr<BIGNUM, OpenSslFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslFree>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, OpenSslFree>;
using ParamBuilderPtr = std::unique_ptr<OSSL_PARAM_BLD, OpenSslFree>;
using OpenSslBytesPtr = std::unique_ptr<unsigned char, OpenSslFree>;

}  // namespace gardefou::auth
