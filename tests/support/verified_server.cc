// The verified test deployment: files written like an operator would, then a real server
// started in-process from them.
#include "tests/support/verified_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "service/auth/auth_config.h"
#include "service/common/files.h"

namespace gardefou::testing {
namespace {

constexpr char kAuthConf[] = R"(# The test deployment's integrations and token issuer.
[integration ent-a]
certificate_uri = spiffe://ent-a.test/gardefou
tenants = 0999001A
roles = lms teacher inspector dpo admin head_of_school
issuers = idp
rate_per_second = 100000

[integration ent-b]
certificate_uri = spiffe://ent-b.test/gardefou
tenants = 0999002B
roles = lms teacher
issuers = idp
rate_per_second = 1
burst = 40

[issuer idp]
issuer = https://idp.test.example/realms/ent
audience = gardefou
algorithms = EdDSA
jwks_file = idp.jwks.json
)";

std::string ReadOrFail(const std::filesystem::path& path) {
  absl::StatusOr<std::string> text = common::ReadFileToString(path.string());
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *text : "";
}

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Credentials::Credentials(const std::filesystem::path& dir)
    : dir_(dir),
      pki_("gardefou test CA"),
      stranger_("someone else's CA"),
      key_(TokenKeyKind::kEd25519, "idp-key-1") {
  const PemPair server = pki_.Server();
  WriteSecretFile(dir / "ca.pem", pki_.ca_pem());
  WriteSecretFile(dir / "server.pem", server.cert_pem);
  WriteSecretFile(dir / "server.key", server.key_pem);
  const std::pair<const char*, PemPair> clients[] = {
      {"ent-a", pki_.Client("ent-a", "spiffe://ent-a.test/gardefou")},
      {"ent-b", pki_.Client("ent-b", "spiffe://ent-b.test/gardefou")},
      {"expired", pki_.Client("ent-a", "spiffe://ent-a.test/gardefou", true)},
      {"stranger", stranger_.Client("ent-a", "spiffe://ent-a.test/gardefou")},
  };
  for (const auto& [name, pair] : clients) {
    WriteSecretFile(dir / (std::string(name) + ".pem"), pair.cert_pem);
    WriteSecretFile(dir / (std::string(name) + ".key"), pair.key_pem);
  }
  WriteSecretFile(dir / "auth.conf", kAuthConf);
  WriteSecretFile(dir / "idp.jwks.json", JwksJson({&key_}));
}

nlohmann::json Credentials::Claims(const std::string& subject, const std::string& role,
                                   const nlohmann::json& tenants) const {
  static int serial = 0;
  const int64_t now = Now();
  return {{"iss", kIssuer},
          {"aud", kAudience},
          {"sub", subject},
          {"gardefou_role", role},
          {"gardefou_tenants", tenants},
          {"iat", now},
          {"nbf", now - 5},
          {"exp", now + 3600},
          {"jti", "jti-" + std::to_string(++serial)}};
}

std::string Credentials::Token(const std::string& subject, const std::string& role,
                               const nlohmann::json& tenants) const {
  return key_.Sign(Claims(subject, role, tenants));
}

std::shared_ptr<grpc::ChannelCredentials> Credentials::ChannelCredentials(
    ClientCert client) const {
  if (client == ClientCert::kPlaintext) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadOrFail(dir_ / "ca.pem");
  const char* name = client == ClientCert::kEntA      ? "ent-a"
                     : client == ClientCert::kEntB    ? "ent-b"
                     : client == ClientCert::kExpired ? "expired"
                     : client == ClientCert::kUnknownCa ? "stranger"
                                                        : nullptr;
  if (name != nullptr) {
    ssl.pem_cert_chain = ReadOrFail(dir_ / (std::string(name) + ".pem"));
    ssl.pem_private_key = ReadOrFail(dir_ / (std::string(name) + ".key"));
  }
  return grpc::SslCredentials(ssl);
}

VerifiedServer::VerifiedServer()
    : credentials_(dir_.path()), db_path_(dir_.path() / "gardefou.db") {
  server::ServerOptions options;
  options.db_path = db_path_.string();
  options.listen = "127.0.0.1:0";
  options.workers = 4;
  options.checkpoints = {0, 0};
  options.tls_cert_pem = ReadOrFail(dir_.path() / "server.pem");
  options.tls_key_pem = ReadOrFail(dir_.path() / "server.key");
  options.client_ca_pem = ReadOrFail(dir_.path() / "ca.pem");
  absl::StatusOr<auth::AuthConfig> auth =
      auth::LoadAuthConfig((dir_.path() / "auth.conf").string());
  if (!auth.ok()) {
    ADD_FAILURE() << auth.status();
    return;
  }
  options.auth = *std::move(auth);
  auto started = server::Server::Start(options);
  if (!started.ok()) {
    ADD_FAILURE() << "server did not start: " << started.status();
    return;
  }
  server_ = std::move(started).value();
  const std::shared_ptr<grpc::Channel> channel = Channel(ClientCert::kEntA);
  grading_ = v1::GradingAssist::NewStub(channel);
  trail_ = v1::AuditTrail::NewStub(channel);
}

VerifiedServer::~VerifiedServer() {
  if (server_) server_->Shutdown();
}

std::shared_ptr<grpc::Channel> VerifiedServer::Channel(ClientCert client) const {
  // A channel of its own per call: gRPC would otherwise share one connection (and its
  // certificate) between channels with equal arguments.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel("localhost:" + std::to_string(server_ ? server_->port() : 0),
                                   credentials_.ChannelCredentials(client), args);
}

std::unique_ptr<grpc::ClientContext> VerifiedServer::WithToken(const std::string& tenant,
                                                               const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!tenant.empty()) context->AddMetadata("x-gardefou-tenant", tenant);
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

std::unique_ptr<grpc::ClientContext> VerifiedServer::Context(const Caller& caller) const {
  if (caller.role == "lms") return WithToken(caller.tenant, "");
  return WithToken(caller.tenant,
                   credentials_.Token(caller.actor, caller.role, {caller.tenant}));
}

}  // namespace gardefou::testing
