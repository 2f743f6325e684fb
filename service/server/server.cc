// Server assembly. Members are declared in dependency order so they are destroyed safely.
#include "service/server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "plugins/provider.h"
#include "policy/policy.h"
#include "service/common/data_dir.h"
#include "service/common/status_macros.h"
#include "service/server/audit_service.h"
#include "service/server/decode_error_interceptor.h"
#include "service/server/grading_service.h"
#include "service/server/worker_pool.h"
#include "service/store/store.h"
#include "service/workflow/workflow.h"

namespace gardefou::server {

struct Server::Parts {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<workflow::Checkpointer> checkpointer;
  std::unique_ptr<workflow::AuditLog> audit_log;
  plugins::ProviderRegistry providers;
  std::unique_ptr<workflow::Workflow> workflow;
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<WorkerPool> provider_pool;
  std::unique_ptr<GradingService> grading;
  std::unique_ptr<AuditService> audit;
  std::unique_ptr<grpc::Server> grpc_server;
  int port = 0;
  bool stopped = false;
};

Server::Server(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Server::~Server() { Shutdown(); }

int Server::port() const { return parts_->port; }

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  // The word lists first: a server that cannot pseudonymise creates nothing.
  ASSIGN_OR_RETURN(const std::string data_dir, common::FindDataDir(options.data_dir));
  ASSIGN_OR_RETURN(const pseudonym::Lexicon* lexicon, pseudonym::Lexicon::Shared(data_dir));
  auto parts = std::make_unique<Parts>();
  ASSIGN_OR_RETURN(parts->store, store::Store::Open(options.db_path));
  ASSIGN_OR_RETURN(audit::SigningKey key,
                   audit::LoadOrCreateSigningKey(options.signing_key_path.empty()
                                                     ? options.db_path + ".signing-key"
                                                     : options.signing_key_path,
                                                 options.log_origin));
  parts->checkpointer =
      std::make_unique<workflow::Checkpointer>(*parts->store, std::move(key), options.checkpoints);
  parts->audit_log = std::make_unique<workflow::AuditLog>(
      *parts->store, policy::Policy::Default(), *parts->checkpointer);
  RETURN_IF_ERROR(plugins::RegisterBuiltinProviders(parts->providers));
  RETURN_IF_ERROR(plugins::RegisterConfiguredProviders(parts->providers, options.providers));
  if (options.register_providers) RETURN_IF_ERROR(options.register_providers(parts->providers));
  parts->workflow = std::make_unique<workflow::Workflow>(
      *parts->store, parts->providers, policy::Policy::Default(), *lexicon,
      options.providers.default_provider);
  parts->pool = std::make_unique<WorkerPool>(options.workers, options.max_queue);
  parts->provider_pool = std::make_unique<WorkerPool>(options.provider_workers, options.max_queue);
  parts->grading =
      std::make_unique<GradingService>(*parts->workflow, *parts->pool, *parts->provider_pool);
  parts->audit = std::make_unique<AuditService>(*parts->workflow, *parts->audit_log, *parts->pool);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(), &parts->port);
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
  parts->grpc_server->GetHealthCheckService()->SetServingStatus(true);
  parts->checkpointer->Start();
  return std::unique_ptr<Server>(new Server(std::move(parts)));
}

void Server::Shutdown() {
  if (parts_->stopped) return;
  parts_->stopped = true;
  parts_->grpc_server->GetHealthCheckService()->SetServingStatus(false);
  parts_->grpc_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  parts_->grpc_server->Wait();
}

}  // namespace gardefou::server
