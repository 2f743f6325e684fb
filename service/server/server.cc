// Server assembly. Members are declared in dependency order so they are destroyed safely.
#include "service/server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/resource.h>

#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "plugins/provider.h"
#include "policy/policy.h"
#include "service/common/data_dir.h"
#include "service/common/hashing.h"
#include "service/common/status_macros.h"
#include "service/server/audit_service.h"
#include "service/server/caller_identity.h"
#include "service/server/decode_error_interceptor.h"
#include "service/server/grading_service.h"
#include "service/server/worker_pool.h"
#include "service/store/store.h"
#include "service/workflow/workflow.h"

namespace gardefou::server {

namespace {

// The overall status ("") and each service's by its full name, as load balancers and
// Kubernetes probes ask for them (grpc.health.v1).
void SetHealth(grpc::Server& server, bool serving) {
  grpc::HealthCheckServiceInterface* health = server.GetHealthCheckService();
  health->SetServingStatus(serving);
  for (const char* service : {"gardefou.v1.GradingAssist", "gardefou.v1.AuditTrail"}) {
    health->SetServingStatus(service, serving);
  }
}

// Idle, slow-handshake and long-lived connections are closed so that a burst of them cannot
// hold the file descriptors the server needs to accept again.
constexpr int kMaxConnectionIdleMs = 5 * 60 * 1000;
constexpr int kMaxConnectionAgeMs = 60 * 60 * 1000;
constexpr int kMaxConnectionAgeGraceMs = 30 * 1000;
constexpr int kHandshakeTimeoutMs = 10 * 1000;
constexpr int kMaxConcurrentStreams = 100;

bool IsLoopback(absl::string_view listen) {
  absl::string_view host = listen.substr(0, listen.rfind(':'));
  if (absl::ConsumePrefix(&host, "[")) host = absl::StripSuffix(host, "]");
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

// Lets the process open as many files as its hard limit allows (systemd's LimitNOFILE).
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

std::shared_ptr<grpc::ServerCredentials> Credentials(const ServerOptions& options) {
  if (options.tls_cert_pem.empty()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions ssl(
      options.client_ca_pem.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = options.client_ca_pem;
  ssl.pem_key_cert_pairs.push_back({options.tls_key_pem, options.tls_cert_pem});
  return grpc::SslServerCredentials(ssl);
}

// The page-token key, derived from the log's signing key: kept as safely, and stable across
// restarts.
std::string PageTokenKey(const audit::SigningKey& key) {
  return std::string(common::DigestBytes(common::HmacSha256(
      absl::string_view(reinterpret_cast<const char*>(key.secret.data()), 32),
      "gardefou page tokens v1")));
}

// The server's certificate and key parse and belong together, and the client CA holds a
// certificate: checked before anything is created (gRPC would only fail at listening).
absl::Status CheckTlsMaterial(const ServerOptions& options) {
  auto bio = [](const std::string& pem) {
    return std::unique_ptr<BIO, decltype(&BIO_free)>(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  };
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(bio(options.tls_cert_pem).get(), nullptr, nullptr, nullptr), &X509_free);
  if (cert == nullptr) return absl::InvalidArgumentError("--tls-cert holds no PEM certificate");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio(options.tls_key_pem).get(), nullptr, nullptr, nullptr),
      &EVP_PKEY_free);
  if (key == nullptr) {
    return absl::InvalidArgumentError("--tls-key holds no unencrypted PEM private key");
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return absl::InvalidArgumentError("--tls-key is not the key of --tls-cert");
  }
  if (!options.client_ca_pem.empty()) {
    std::unique_ptr<X509, decltype(&X509_free)> ca(
        PEM_read_bio_X509(bio(options.client_ca_pem).get(), nullptr, nullptr, nullptr),
        &X509_free);
    if (ca == nullptr) return absl::InvalidArgumentError("--client-ca holds no PEM certificate");
  }
  ERR_clear_error();
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckTransport(const ServerOptions& options) {
  const bool tls = !options.tls_cert_pem.empty();
  if (tls != !options.tls_key_pem.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  if (!tls && !options.client_ca_pem.empty()) {
    return absl::InvalidArgumentError("--client-ca needs --tls-cert and --tls-key");
  }
  if (!tls && !IsLoopback(options.listen)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "refusing to listen on ", options.listen,
        " without TLS: give --tls-cert, --tls-key and --client-ca, or listen on 127.0.0.1"));
  }
  if (tls) RETURN_IF_ERROR(CheckTlsMaterial(options));
  if (options.auth.has_value() == options.dev_headers) {
    return absl::InvalidArgumentError(
        "say who may call: --auth FILE (verified certificates and tokens), or --dev-headers "
        "(x-gardefou-* headers trusted as sent, for development on loopback)");
  }
  if (options.dev_headers && !IsLoopback(options.listen)) {
    return absl::InvalidArgumentError(
        "--dev-headers trusts anyone who can connect: it is refused on a non-loopback address");
  }
  if (options.auth && options.client_ca_pem.empty()) {
    return absl::InvalidArgumentError(
        "--auth identifies integrations by their client certificate: give --tls-cert, "
        "--tls-key and --client-ca");
  }
  return absl::OkStatus();
}

namespace {

// FAILED_PRECONDITION unless the policy's default provider is registered.
absl::Status CheckDefaultProvider(const plugins::ProviderRegistry& providers,
                                  const policy::Policy& policy) {
  if (providers.Find(policy.default_provider()).ok()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("policy ", policy.name(), " names default_provider '",
                   policy.default_provider(), "', which is not configured"));
}

}  // namespace

struct Server::Parts {
  std::unique_ptr<CallerIdentity> identity;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<workflow::Checkpointer> checkpointer;
  std::unique_ptr<policy::PolicyHolder> policy;
  std::unique_ptr<workflow::AuditLog> audit_log;
  plugins::ProviderRegistry providers;
  std::unique_ptr<workflow::Workflow> workflow;
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<WorkerPool> provider_pool;
  std::unique_ptr<WorkerPool> trail_pool;
  std::unique_ptr<GradingService> grading;
  std::unique_ptr<AuditService> audit;
  std::unique_ptr<grpc::Server> grpc_server;
  bool default_provider_set = false;  // by the providers file, over the policy's
  int port = 0;
  bool stopped = false;
};

Server::Server(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Server::~Server() { Shutdown(); }

int Server::port() const { return parts_->port; }

absl::Status Server::ChangePolicy(policy::Policy next) {
  if (!parts_->default_provider_set) {
    RETURN_IF_ERROR(CheckDefaultProvider(parts_->providers, next));
  }
  workflow::CallContext operator_context;
  operator_context.actor_id = "gardefou-serve";
  operator_context.role = "operator";
  operator_context.identity_mode = "signal";
  return parts_->workflow->ChangePolicy(operator_context, std::move(next));
}

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  // The transport, the identities and the word lists first: a server that cannot prove its
  // callers or pseudonymise creates nothing.
  RETURN_IF_ERROR(CheckTransport(options));
  auto parts = std::make_unique<Parts>();
  if (options.auth) {
    ASSIGN_OR_RETURN(parts->identity, VerifiedIdentity(*options.auth));
  } else {
    parts->identity = DevHeaderIdentity();
  }
  ASSIGN_OR_RETURN(const std::string data_dir, common::FindDataDir(options.data_dir));
  ASSIGN_OR_RETURN(const pseudonym::Lexicon* lexicon, pseudonym::Lexicon::Shared(data_dir));
  RaiseFileLimit();
  if (store::IsPostgresStore(options.db_path) && options.signing_key_path.empty()) {
    return absl::InvalidArgumentError(
        "a PostgreSQL store needs a signing key file, the same for every instance");
  }
  ASSIGN_OR_RETURN(parts->store, store::OpenStore(options.db_path));
  // On a shared database every instance must sign with the one key: it is created with the
  // schema (`store migrate --signing-key`), never by an instance that does not find it.
  ASSIGN_OR_RETURN(audit::SigningKey key,
                   store::IsPostgresStore(options.db_path)
                       ? audit::LoadSigningKey(options.signing_key_path)
                       : audit::LoadOrCreateSigningKey(options.signing_key_path.empty()
                                                           ? options.db_path + ".signing-key"
                                                           : options.signing_key_path,
                                                       options.log_origin));
  std::string page_token_key = PageTokenKey(key);
  parts->checkpointer =
      std::make_unique<workflow::Checkpointer>(*parts->store, std::move(key), options.checkpoints);
  parts->policy = std::make_unique<policy::PolicyHolder>(
      options.policy ? *options.policy : policy::Policy::Default());
  parts->audit_log =
      std::make_unique<workflow::AuditLog>(*parts->store, *parts->policy, *parts->checkpointer);
  RETURN_IF_ERROR(plugins::RegisterBuiltinProviders(parts->providers));
  RETURN_IF_ERROR(plugins::RegisterConfiguredProviders(parts->providers, options.providers));
  if (options.register_providers) RETURN_IF_ERROR(options.register_providers(parts->providers));
  parts->default_provider_set = !options.providers.default_provider.empty();
  if (!parts->default_provider_set) {
    RETURN_IF_ERROR(CheckDefaultProvider(parts->providers, *parts->policy->Current()));
  }
  parts->workflow = std::make_unique<workflow::Workflow>(
      *parts->store, parts->providers, *parts->policy, *lexicon,
      options.providers.default_provider, std::move(page_token_key));
  parts->pool = std::make_unique<WorkerPool>(options.workers, options.max_queue);
  parts->provider_pool = std::make_unique<WorkerPool>(options.provider_workers, options.max_queue);
  parts->trail_pool = std::make_unique<WorkerPool>(options.trail_workers, options.max_queue);
  parts->grading = std::make_unique<GradingService>(*parts->identity, *parts->workflow,
                                                    *parts->pool, *parts->provider_pool);
  parts->audit = std::make_unique<AuditService>(*parts->identity, *parts->workflow,
                                                *parts->audit_log, *parts->pool,
                                                *parts->trail_pool);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, Credentials(options), &parts->port);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, kMaxConnectionIdleMs);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, kMaxConnectionAgeMs);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, kMaxConnectionAgeGraceMs);
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS, kHandshakeTimeoutMs);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams);
  builder.RegisterService(parts->grading.get());
  builder.RegisterService(parts->audit.get());
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<DecodeErrorInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  parts->grpc_server = builder.BuildAndStart();
  if (parts->grpc_server == nullptr || parts->port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, ": is the address in use?"));
  }
  SetHealth(*parts->grpc_server, true);
  parts->checkpointer->Start();
  return std::unique_ptr<Server>(new Server(std::move(parts)));
}

void Server::Shutdown() {
  if (parts_->stopped) return;
  parts_->stopped = true;
  SetHealth(*parts_->grpc_server, false);
  parts_->grpc_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  parts_->grpc_server->Wait();
}

}  // namespace gardefou::server
