// Starts, prepares and stops the throw-away PostgreSQL cluster with the tools of PostgreSQL 15,
// each run in a forked child that switches to the postgres user when the tests run as root.
#include "tests/support/postgres_cluster.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gardefou::testing {
namespace {

constexpr char kBinDir[] = "/usr/lib/postgresql/15/bin";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string RandomHex(int bytes) {
  std::random_device random;
  std::string out;
  for (int i = 0; i < bytes; ++i) absl::StrAppend(&out, absl::Hex(random() & 0xFF, absl::kZeroPad2));
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresCluster>> PostgresCluster::Start() {
  // Built before anything exists on disk, so that the destructor cleans up a half start.
  std::unique_ptr<PostgresCluster> cluster(new PostgresCluster());
  if (absl::Status st = cluster->InitAndStart(); !st.ok()) return st;
  if (absl::Status st = cluster->CreateServiceRole(); !st.ok()) return st;
  return cluster;
}

absl::StatusOr<std::unique_ptr<PostgresCluster>> PostgresCluster::StartDurable() {
  std::unique_ptr<PostgresCluster> cluster(new PostgresCluster());
  cluster->durable_ = true;
  if (absl::Status st = cluster->InitAndStart(); !st.ok()) return st;
  if (absl::Status st = cluster->CreateServiceRole(); !st.ok()) return st;
  return cluster;
}

absl::Status PostgresCluster::InitAndStart() {
  const std::string initdb = absl::StrCat(kBinDir, "/initdb");
  if (access(initdb.c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "PostgreSQL 15 is not installed: no ", initdb, " (scripts/install_deps.sh installs it)"));
  }
  if (geteuid() == 0) {
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr) {
      return absl::FailedPreconditionError(
          "running as root, which PostgreSQL refuses, and there is no postgres system user to "
          "run it as (the postgresql package creates it)");
    }
    switch_user_ = true;
    uid_ = pw->pw_uid;
    gid_ = pw->pw_gid;
  }
  // Under /tmp rather than $TMPDIR: the socket's path must stay within 107 bytes.
  std::string templ = "/tmp/gardefou-pg-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", std::strerror(errno)));
  }
  dir_ = templ;  // mode 0700
  if (switch_user_ && chown(dir_.c_str(), uid_, gid_) != 0) {
    return absl::InternalError(absl::StrCat("chown ", dir_, ": ", std::strerror(errno)));
  }
  // Only the socket's name carries the port (no TCP), in a directory of its own: any is free.
  std::random_device random;
  port_ = std::uniform_int_distribution<int>(20000, 59999)(random);
  service_password_ = RandomHex(16);
  owner_password_ = RandomHex(16);

  if (absl::Status st = RunTool({"initdb", "-D", DataDirectory(), "-U", kSuperuser, "-E", "UTF8",
                                 "--locale=C", "--no-sync", "--no-instructions"});
      !st.ok()) {
    return st;
  }
  // Files written by root keep their owner (postgres) and mode (0600).
  std::ofstream(DataDirectory() + "/pg_hba.conf", std::ios::trunc)
      << "local all " << kSuperuser << " trust\nlocal all all scram-sha-256\n";
  std::ofstream(DataDirectory() + "/postgresql.conf", std::ios::app)
      << "listen_addresses = ''\nunix_socket_directories = '" << dir_ << "'\nport = " << port_
      << (durable_ ? "\n" : "\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");

  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
    return absl::InternalError(absl::StrCat("PR_SET_CHILD_SUBREAPER: ", std::strerror(errno)));
  }
  started_ = true;  // from here on the destructor stops it, even after a timeout
  absl::Status st = RunTool({"pg_ctl", "-D", DataDirectory(), "-l", dir_ + "/server.log", "-w",
                             "-t", "60", "start"});
  // postmaster.pid's first line is the server's pid (also after a timeout, once it wrote it).
  std::ifstream(DataDirectory() + "/postmaster.pid") >> server_pid_;
  if (!st.ok()) {
    return absl::Status(st.code(), absl::StrCat(st.message(), "\nserver.log:\n",
                                                ReadFile(dir_ + "/server.log")));
  }
  return absl::OkStatus();
}

absl::Status PostgresCluster::CreateServiceRole() {
  return RunTool({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", dir_, "-p",
                  absl::StrCat(port_), "-U", kSuperuser, "-d", "postgres", "-c",
                  absl::StrCat("CREATE ROLE ", kOwnerRole, " LOGIN PASSWORD '", owner_password_,
                               "'"),
                  "-c", "CREATE ROLE gardefou_service NOLOGIN", "-c",
                  absl::StrCat("CREATE ROLE ", kServiceRole, " LOGIN PASSWORD '",
                               service_password_, "' IN ROLE gardefou_service"),
                  "-c",
                  absl::StrCat("CREATE DATABASE ", kServiceDatabase, " OWNER ", kOwnerRole)});
}

absl::Status PostgresCluster::RunTool(const std::vector<std::string>& args,
                                      std::string* output_text) const {
  // Everything the child needs is built before fork(): after it, only async-signal-safe calls.
  const std::string path = absl::StrCat(kBinDir, "/", args[0]);
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv[0] = const_cast<char*>(path.c_str());
  argv.push_back(nullptr);
  std::array<std::string, 4> env_text = {"PATH=/usr/bin:/bin", "LC_ALL=C", "HOME=" + dir_,
                                         "PGTZ=UTC"};
  std::vector<char*> envp;
  for (std::string& var : env_text) envp.push_back(var.data());
  envp.push_back(nullptr);
  const std::string exec_failed = absl::StrCat("cannot switch user or run ", path, "\n");

  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return absl::InternalError("pipe2 failed");
  const pid_t pid = fork();
  if (pid < 0) {
    close(out[0]);
    close(out[1]);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0 ||
        chdir(dir_.c_str()) != 0 ||
        (switch_user_ && (setgroups(0, nullptr) != 0 || setgid(gid_) != 0 || setuid(uid_) != 0))) {
      _exit(126);
    }
    execve(path.c_str(), argv.data(), envp.data());
    [[maybe_unused]] ssize_t n = write(2, exec_failed.data(), exec_failed.size());
    _exit(127);
  }
  close(out[1]);
  std::string output;
  std::array<char, 4096> buffer;
  for (ssize_t n; (n = read(out[0], buffer.data(), buffer.size())) != 0;) {
    if (n > 0) {
      output.append(buffer.data(), n);
    } else if (errno != EINTR) {
      break;
    }
  }
  close(out[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (output_text != nullptr) *output_text = output;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(
      absl::StrJoin(args, " "), switch_user_ ? " (as postgres)" : "", " failed with ",
      WIFEXITED(status) ? absl::StrCat("exit code ", WEXITSTATUS(status))
                        : absl::StrCat("signal ", WTERMSIG(status)),
      ":\n", output));
}

PostgresCluster::~PostgresCluster() {
  if (started_) {
    const absl::Status stopped =
        RunTool({"pg_ctl", "-D", DataDirectory(), "-m", "immediate", "-w", "-t", "60", "stop"});
    if (server_pid_ > 0) {
      if (!stopped.ok()) kill(server_pid_, SIGKILL);
      while (waitpid(server_pid_, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

std::string PostgresCluster::ConnInfo(const std::string& database) const {
  return absl::StrCat("host=", dir_, " port=", port_, " dbname=", database, " user=", kSuperuser);
}

std::string PostgresCluster::ConnInfoAs(const std::string& user, const std::string& password,
                                        const std::string& database) const {
  return absl::StrCat("host=", dir_, " port=", port_, " dbname=", database, " user=", user,
                      " password=", password);
}

absl::Status PostgresCluster::CreateDatabase(const std::string& name) const {
  return RunTool({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", dir_, "-p",
                  absl::StrCat(port_), "-U", kSuperuser, "-d", "postgres", "-c",
                  absl::StrCat("CREATE DATABASE ", name, " OWNER ", kOwnerRole)});
}

absl::StatusOr<std::string> PostgresCluster::RunPgbench(const std::vector<std::string>& args,
                                                        const std::string& database) const {
  std::vector<std::string> words = {"pgbench"};
  words.insert(words.end(), args.begin(), args.end());
  words.insert(words.end(), {"-h", dir_, "-p", absl::StrCat(port_), "-U", kSuperuser, database});
  std::string output;
  if (absl::Status st = RunTool(words, &output); !st.ok()) return st;
  return output;
}

std::string PostgresCluster::StoreUri(const std::string& user, const std::string& password,
                                      const std::string& database) const {
  // The socket directory goes as a query parameter, percent-encoded ("/" is %2F).
  std::string host;
  for (char c : dir_) host += c == '/' ? std::string("%2F") : std::string(1, c);
  return absl::StrCat("postgresql://", user, ":", password, "@/", database,
                      "?host=", host, "&port=", port_);
}

}  // namespace gardefou::testing
