// `gardefou serve`: runs the server until SIGINT or SIGTERM, then shuts down cleanly.
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "absl/strings/numbers.h"
#include "service/cli/args.h"
#include "service/cli/commands.h"
#include "service/server/server.h"

namespace gardefou::cli {
namespace {

constexpr char kServeUsage[] =
    "gardefou serve [--db FILE] [--listen ADDR] [--workers N] [--providers FILE]\n"
    "               [--signing-key FILE] [--log-origin NAME] [--checkpoint-events N]\n"
    "               [--checkpoint-seconds T]\n";

}  // namespace

int RunServe(int argc, char** argv) {
  absl::StatusOr<Args> args =
      ParseArgs(argc, argv, 2,
                {"db", "listen", "workers", "providers", "signing-key", "log-origin",
                 "checkpoint-events", "checkpoint-seconds"});
  if (!args.ok()) {
    std::cerr << "gardefou serve: " << args.status().message() << "\nusage: " << kServeUsage;
    return 2;
  }
  server::ServerOptions options;
  if (auto it = args->options.find("db"); it != args->options.end()) options.db_path = it->second;
  if (auto it = args->options.find("listen"); it != args->options.end()) options.listen = it->second;
  if (auto it = args->options.find("workers"); it != args->options.end()) {
    if (!absl::SimpleAtoi(it->second, &options.workers) || options.workers < 1 ||
        options.workers > 256) {
      std::cerr << "gardefou serve: --workers must be a number from 1 to 256\n";
      return 2;
    }
  }
  if (auto it = args->options.find("signing-key"); it != args->options.end()) {
    options.signing_key_path = it->second;
  }
  if (auto it = args->options.find("log-origin"); it != args->options.end()) {
    options.log_origin = it->second;
  }
  for (const auto& [flag, target] :
       {std::pair{"checkpoint-events", &options.checkpoints.every_events},
        std::pair{"checkpoint-seconds", &options.checkpoints.every_seconds}}) {
    auto it = args->options.find(flag);
    if (it != args->options.end() &&
        (!absl::SimpleAtoi(it->second, target) || *target < 0 || *target > 100000000)) {
      std::cerr << "gardefou serve: --" << flag << " must be a number from 0 (never) up\n";
      return 2;
    }
  }
  if (auto it = args->options.find("providers"); it != args->options.end()) {
    absl::StatusOr<plugins::ProvidersConfig> providers = plugins::LoadProvidersConfig(it->second);
    if (!providers.ok()) {
      std::cerr << "gardefou serve: " << providers.status().message() << "\n";
      return 2;
    }
    options.providers = *std::move(providers);
    for (const auto& p : options.providers.providers) {
      if (!p.api_key_env.empty() && std::getenv(p.api_key_env.c_str()) == nullptr) {
        std::cerr << "gardefou serve: warning: provider '" << p.name << "' reads its key from $"
                  << p.api_key_env << ", which is not set\n";
      }
    }
  }

  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  absl::StatusOr<std::unique_ptr<server::Server>> server = server::Server::Start(options);
  if (!server.ok()) {
    std::cerr << "gardefou serve: " << server.status().message() << "\n";
    return 1;
  }
  std::cout << "gardefou listening on port " << (*server)->port() << " (" << options.listen
            << "), database " << options.db_path << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cout << "gardefou: signal " << signal << " received, shutting down" << std::endl;
  (*server)->Shutdown();
  std::cout << "gardefou: stopped" << std::endl;
  return 0;
}

}  // namespace gardefou::cli
