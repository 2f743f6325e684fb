// Test support: a real server over mutual TLS with an auth file, and everything it needs made
// by the test in a temporary directory: a CA and a server certificate, client certificates
// for two integrations (ent-a serves kTenant with every role, ent-b serves kOtherTenant with
// lms and teacher), an expired one and one from an unknown CA, and a token issuer whose EdDSA
// key signs the people's tokens.
#pragma once

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/test_pki.h"
#include "tests/support/test_server.h"
#include "tests/support/token_minter.h"

namespace gardefou::testing {

inline constexpr char kIssuer[] = "https://idp.test.example/realms/ent";
inline constexpr char kAudience[] = "gardefou";

enum class ClientCert { kEntA, kEntB, kExpired, kUnknownCa, kNone, kPlaintext };

// The files of a verified deployment in `dir`: ca.pem, server.pem, server.key, auth.conf,
// idp.jwks.json, and ent-a.pem/.key, ent-b.pem/.key, expired.pem/.key, stranger.pem/.key.
// Returns the issuer's signing key.
class Credentials {
 public:
  explicit Credentials(const std::filesystem::path& dir);
  const std::filesystem::path& dir() const { return dir_; }
  const TokenKey& key() const { return key_; }
  const TestPki& pki() const { return pki_; }
  // The claims of a valid token for 1 h: iss, aud, sub, role, tenants, exp, nbf, iat, jti.
  nlohmann::json Claims(const std::string& subject, const std::string& role,
                        const nlohmann::json& tenants) const;
  std::string Token(const std::string& subject, const std::string& role,
                    const nlohmann::json& tenants) const;
  std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(ClientCert client) const;

 private:
  std::filesystem::path dir_;
  TestPki pki_;
  TestPki stranger_;
  TokenKey key_;
};

class VerifiedServer {
 public:
  VerifiedServer();
  ~VerifiedServer();

  const Credentials& credentials() const { return credentials_; }
  std::shared_ptr<grpc::Channel> Channel(ClientCert client) const;
  // Over ent-a's certificate unless said otherwise.
  v1::GradingAssist::Stub& grading() { return *grading_; }
  v1::AuditTrail::Stub& trail() { return *trail_; }
  // The tenant header, and for any role but lms a bearer token with subject caller.actor, that
  // role and the caller's tenant.
  std::unique_ptr<grpc::ClientContext> Context(const Caller& caller) const;
  // The tenant header and `authorization: Bearer token` (none when token is empty).
  static std::unique_ptr<grpc::ClientContext> WithToken(const std::string& tenant,
                                                        const std::string& token);
  TableCounts Counts() const { return CountRows(db_path_); }
  const std::filesystem::path& db_path() const { return db_path_; }

 private:
  TempDir dir_;
  Credentials credentials_;
  std::filesystem::path db_path_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<v1::GradingAssist::Stub> grading_;
  std::unique_ptr<v1::AuditTrail::Stub> trail_;
};

}  // namespace gardefou::testing
