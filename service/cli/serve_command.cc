// `gardefou serve`: runs the server until SIGINT or SIGTERM, then shuts down cleanly.
#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "policy/policy.h"
#include "service/auth/auth_config.h"
#include "service/cli/commands.h"
#include "service/common/files.h"
#include "service/server/server.h"
#include "service/store/store.h"

namespace gardefou::cli {

const CommandSpec& ServeCommand() {
  static const CommandSpec* spec = new CommandSpec{
      .path = "serve",
      .summary = "run the gRPC server until SIGINT or SIGTERM",
      .options = {
          {"db", "FILE", "the SQLite database (default ./gardefou.db, created if missing)"},
          {"store", "SPEC",
           "the store: sqlite:FILE (the same as --db FILE) or postgresql://USER@HOST/DB "
           "(password from PGPASSWORD or ~/.pgpass, never on the command line)"},
          {"listen", "ADDR", "address to listen on (default 127.0.0.1:50051; TLS needed beyond loopback)"},
          {"tls-cert", "FILE", "the server's certificate chain (PEM)"},
          {"tls-key", "FILE", "the server's private key (PEM)"},
          {"client-ca", "FILE", "CA certificates (PEM) every client certificate must verify against"},
          {"auth", "FILE", "integrations and token issuers (docs/security.md); needs --client-ca"},
          {"dev-headers", "", "development only, on loopback: trust x-gardefou-* headers as sent"},
          {"workers", "N", "threads running calls, 1 to 256 (default 8)"},
          {"providers", "FILE", "AI providers file (default: the offline provider only)"},
          {"data-dir", "DIR", "the word lists (default: installed location, then beside the binary)"},
          {"policy", "FILE",
           "the policy (docs/policy.md; default: the shipped one); SIGHUP reloads it"},
          {"signing-key", "FILE",
           "the audit log's Ed25519 key (default FILE.signing-key of --db; required with "
           "PostgreSQL: every instance the same key)"},
          {"log-origin", "NAME", "the log's name in checkpoints (default gardefou.local/audit)"},
          {"checkpoint-events", "N", "sign a checkpoint every N events, 0 never (default 100)"},
          {"checkpoint-seconds", "T", "sign a checkpoint every T seconds, 0 never (default 60)"},
      },
      .notes = "Either --auth FILE (callers proven by certificates and tokens) or --dev-headers\n"
               "(trusted headers, loopback only) must be given.\n"
               "Exit 0 after a clean stop, 1 when the server cannot start, 2 on a mistake in the\n"
               "command line, the providers file or the auth file, or an unsafe transport.\n"};
  return *spec;
}

namespace {

// Reads the numeric option `name` into `target` when given; false (after saying why) when
// it is not a number from `low` to `high`.
template <typename Int>
bool NumberOption(const Args& args, const std::string& name, Int low, Int high, Int* target) {
  auto it = args.options.find(name);
  if (it == args.options.end()) return true;
  if (absl::SimpleAtoi(it->second, target) && *target >= low && *target <= high) return true;
  UsageError(ServeCommand(), "--" + name + " must be a number from " + std::to_string(low) +
                                 " to " + std::to_string(high));
  return false;
}

// Reads the file of option `name` with `load` into `out` when given; false (after saying why,
// with the file's line and field) when it cannot be read or is wrong.
template <typename Config, typename Load>
bool ConfigOption(const Args& args, const std::string& name, Load load, Config& out) {
  auto it = args.options.find(name);
  if (it == args.options.end()) return true;
  absl::StatusOr<Config> config = load(it->second);
  if (!config.ok()) {
    std::cerr << "gardefou serve: " << config.status().message() << "\n";
    return false;
  }
  out = *std::move(config);
  return true;
}

// SIGHUP: the --policy file read again and put in force; a file with a mistake, or a change
// that cannot be recorded, leaves the policy in force as it was.
void ReloadPolicy(const Args& args, server::Server& server) {
  auto it = args.options.find("policy");
  if (it == args.options.end()) {
    std::cerr << "gardefou: SIGHUP: no --policy file, nothing to reload" << std::endl;
    return;
  }
  absl::StatusOr<policy::Policy> next = policy::LoadPolicyFile(it->second);
  absl::Status changed = next.ok() ? server.ChangePolicy(*next) : next.status();
  if (!changed.ok()) {
    std::cerr << "gardefou: policy not reloaded, the one in force stays: " << changed.message()
              << std::endl;
    return;
  }
  std::cerr << "gardefou: policy " << next->name() << " (" << next->hash() << ") in force"
            << std::endl;
}

}  // namespace

int RunServe(const Args& args) {
  server::ServerOptions options;
  if (auto it = args.options.find("db"); it != args.options.end()) options.db_path = it->second;
  if (auto it = args.options.find("store"); it != args.options.end()) {
    if (args.options.contains("db")) return UsageError(ServeCommand(), "--db or --store, not both");
    if (store::IsPostgresStore(it->second)) {
      options.db_path = it->second;
    } else if (absl::StartsWith(it->second, "sqlite:") && it->second.size() > 7) {
      options.db_path = it->second.substr(7);
    } else {
      return UsageError(ServeCommand(), "--store must be sqlite:FILE or postgresql://...");
    }
  }
  if (auto it = args.options.find("listen"); it != args.options.end()) options.listen = it->second;
  options.data_dir = OptionOr(args, "data-dir");
  options.signing_key_path = OptionOr(args, "signing-key");
  if (store::IsPostgresStore(options.db_path) && options.signing_key_path.empty()) {
    return UsageError(ServeCommand(),
                      "a PostgreSQL store needs --signing-key FILE, the same for every instance");
  }
  if (auto it = args.options.find("log-origin"); it != args.options.end()) {
    options.log_origin = it->second;
  }
  if (!NumberOption(args, "workers", 1, 256, &options.workers) ||
      !NumberOption<int64_t>(args, "checkpoint-events", 0, 100000000,
                             &options.checkpoints.every_events) ||
      !NumberOption<int64_t>(args, "checkpoint-seconds", 0, 100000000,
                             &options.checkpoints.every_seconds)) {
    return 2;
  }
  if (!ConfigOption(args, "providers", plugins::LoadProvidersConfig, options.providers)) return 2;
  for (const auto& p : options.providers.providers) {
    if (!p.api_key_env.empty() && std::getenv(p.api_key_env.c_str()) == nullptr) {
      std::cerr << "gardefou serve: warning: provider '" << p.name << "' reads its key from $"
                << p.api_key_env << ", which is not set\n";
    }
  }

  for (const auto& [flag, target] :
       {std::pair<const char*, std::string*>{"tls-cert", &options.tls_cert_pem},
        {"tls-key", &options.tls_key_pem},
        {"client-ca", &options.client_ca_pem}}) {
    if (auto it = args.options.find(flag); it != args.options.end()) {
      absl::StatusOr<std::string> pem = common::ReadFileToString(it->second);
      if (!pem.ok() || pem->empty()) {
        std::cerr << "gardefou serve: --" << flag << ": cannot read " << it->second << "\n";
        return 2;
      }
      *target = *std::move(pem);
    }
  }
  if (auto it = args.options.find("policy"); it != args.options.end()) {
    absl::StatusOr<policy::Policy> policy = policy::LoadPolicyFile(it->second);
    if (!policy.ok()) {
      std::cerr << "gardefou serve: " << policy.status().message() << "\n";
      return 2;
    }
    options.policy = *std::move(policy);
  }
  if (args.options.contains("auth")) {
    auth::AuthConfig auth;
    if (!ConfigOption(args, "auth", auth::LoadAuthConfig, auth)) return 2;
    options.auth = std::move(auth);
  }
  options.dev_headers = args.options.contains("dev-headers");
  if (absl::Status st = server::CheckTransport(options); !st.ok()) {
    std::cerr << "gardefou serve: " << st.message() << "\n";
    return 2;
  }

  // Block the signals before any thread starts, so only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  absl::StatusOr<std::unique_ptr<server::Server>> server = server::Server::Start(options);
  if (!server.ok()) {
    std::cerr << "gardefou serve: " << server.status().message() << "\n";
    return 1;
  }
  std::cout << "gardefou listening on port " << (*server)->port() << " (" << options.listen
            << "), store " << store::DescribeStore(options.db_path) << ", "
            << (options.tls_cert_pem.empty() ? "plaintext" : "TLS") << ", "
            << (options.dev_headers
                    ? "DEVELOPMENT identities: x-gardefou-* headers trusted as sent, recorded "
                      "as identity_mode dev-headers"
                    : "verified identities")
            << std::endl;
  if (rlimit files{}; getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < 8192) {
    std::cerr << "gardefou serve: warning: at most " << files.rlim_cur
              << " open files: a burst of that many connections stops gRPC from accepting; "
                 "raise the hard limit (LimitNOFILE=65536)\n";
  }
  int signal = 0;
  while (sigwait(&signals, &signal) == 0 && signal == SIGHUP) {
    ReloadPolicy(args, **server);
  }
  std::cout << "gardefou: signal " << signal << " received, shutting down" << std::endl;
  (*server)->Shutdown();
  std::cout << "gardefou: stopped" << std::endl;
  return 0;
}

}  // namespace gardefou::cli
