// The gardefou server: store, providers, workflow and gRPC services wired together.
// Used by `gardefou serve`, the integration tests and the benchmarks.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "plugins/provider.h"
#include "plugins/provider_config.h"
#include "service/auth/auth_config.h"
#include "policy/policy.h"
#include "service/workflow/checkpointer.h"

namespace gardefou::server {

struct ServerOptions {
  std::string db_path = "./gardefou.db";
  std::string listen = "127.0.0.1:50051";  // port 0 picks a free port (see Server::port)
  int workers = 8;                          // threads running handler bodies
  size_t max_queue = 1024;                  // waiting calls beyond this get RESOURCE_EXHAUSTED
  int provider_workers = 64;                // threads running RequestSuggestion (provider waits)
  plugins::ProvidersConfig providers;       // from `serve --providers FILE`
  std::optional<policy::Policy> policy;     // from `serve --policy FILE`; none: the default
  std::string data_dir;                     // word lists; empty: common::FindDataDir's search
  // The audit log's Ed25519 key, created (mode 0600) at first start with `log_origin` as its
  // name; empty: db_path + ".signing-key".
  std::string signing_key_path;
  std::string log_origin = "gardefou.local/audit";
  workflow::CheckpointPolicy checkpoints;
  // Transport: PEM contents (not paths). With a client CA, every connection must present a
  // certificate it signed (REQUIRE_AND_VERIFY). Without a certificate the server is plaintext,
  // which CheckTransport allows on loopback only.
  std::string tls_cert_pem;
  std::string tls_key_pem;
  std::string client_ca_pem;
  // Who is calling: verified by `auth` (needs TLS with a client CA), or, when `dev_headers`,
  // read from x-gardefou-* headers as sent (loopback only; every audit event says so).
  std::optional<auth::AuthConfig> auth;
  bool dev_headers = false;
  int trail_workers = 2;  // threads running ListEvents and VerifyTrail
  // Registers providers beside the built-in ones (configured or, in tests, stand-ins).
  std::function<absl::Status(plugins::ProviderRegistry&)> register_providers;
};

// INVALID_ARGUMENT, with what to do, unless the options make a safe server: TLS on any
// address but loopback; exactly one identity (auth file or development headers); an auth file
// only with TLS and a client CA; development headers only on loopback.
absl::Status CheckTransport(const ServerOptions& options);

class Server {
 public:
  // Checks the transport (CheckTransport), opens the database, loads the pseudonymiser's word
  // lists and the token issuers' keys, registers the providers and starts listening, with the
  // health service (serving) and server reflection. UNAVAILABLE when the address cannot be
  // bound, the database opened or a word list read.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Shuts down if still running.
  ~Server();

  // The port actually bound.
  int port() const;

  // Stops accepting calls, lets in-flight calls finish (up to 5 s), then returns.
  void Shutdown();

  // Puts `next` in force (SIGHUP), recorded as POLICY_CHANGED by the operator; the policy in
  // force stays when the change cannot be recorded.
  absl::Status ChangePolicy(policy::Policy next);

 private:
  struct Parts;
  explicit Server(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace gardefou::server
