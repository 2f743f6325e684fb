// The gardefou server: store, providers, workflow and gRPC services wired together.
// Used by `gardefou serve`, the integration tests and the benchmarks.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "plugins/provider.h"
#include "plugins/provider_config.h"
#include "service/workflow/checkpointer.h"

namespace gardefou::server {

struct ServerOptions {
  std::string db_path = "./gardefou.db";
  std::string listen = "127.0.0.1:50051";  // port 0 picks a free port (see Server::port)
  int workers = 8;                          // threads running handler bodies
  size_t max_queue = 1024;                  // waiting calls beyond this get RESOURCE_EXHAUSTED
  int provider_workers = 64;                // threads running RequestSuggestion (provider waits)
  plugins::ProvidersConfig providers;       // from `serve --providers FILE`
  std::string data_dir;                     // word lists; empty: common::FindDataDir's search
  // The audit log's Ed25519 key, created (mode 0600) at first start with `log_origin` as its
  // name; empty: db_path + ".signing-key".
  std::string signing_key_path;
  std::string log_origin = "gardefou.local/audit";
  workflow::CheckpointPolicy checkpoints;
  // Registers providers beside the built-in ones (configured or, in tests, stand-ins).
  std::function<absl::Status(plugins::ProviderRegistry&)> register_providers;
};

class Server {
 public:
  // Opens the database, loads the pseudonymiser's word lists, registers the providers and
  // starts listening, with the health service (serving) and server reflection. UNAVAILABLE
  // when the address cannot be bound, the database opened or a word list read.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Shuts down if still running.
  ~Server();

  // The port actually bound.
  int port() const;

  // Stops accepting calls, lets in-flight calls finish (up to 5 s), then returns.
  void Shutdown();

 private:
  struct Parts;
  explicit Server(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace gardefou::server
