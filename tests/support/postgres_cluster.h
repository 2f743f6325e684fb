// Test support: a throw-away PostgreSQL 15 cluster in a fresh temporary directory, reachable
// only on a Unix socket in that directory, stopped and removed at destruction.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gardefou::testing {

// The cluster runs as the `postgres` system user when the tests run as root (PostgreSQL refuses
// root), as the current user otherwise. Its directory (mode 0700) holds data/, server.log and
// the socket. The superuser `postgres` connects without a password (only the directory's owner
// and root can reach the socket); the role `gardefou` logs in with ServicePassword() and may
// connect to the database `gardefou`, owned by the superuser, with no other privilege.
// Start() makes the calling process a child subreaper, so that the server, which pg_ctl leaves
// behind, is its child: the destructor reaps it rather than leave a zombie to PID 1.
class PostgresCluster {
 public:
  static constexpr char kSuperuser[] = "postgres";
  static constexpr char kServiceRole[] = "gardefou";
  static constexpr char kOwnerRole[] = "gardefou_owner";
  static constexpr char kServiceDatabase[] = "gardefou";

  // Initializes and starts the cluster, then creates the role and the database; the status
  // says why when it cannot (missing binaries or user, initdb or pg_ctl output, server log).
  static absl::StatusOr<std::unique_ptr<PostgresCluster>> Start();
  // The same, but durable: Start() turns fsync, synchronous_commit and full_page_writes off (the
  // tests need no more); this one keeps PostgreSQL's defaults, for benchmarks of durable writes.
  static absl::StatusOr<std::unique_ptr<PostgresCluster>> StartDurable();

  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;
  // pg_ctl -m immediate stop (a SIGKILL when that fails), reaps the server, removes the directory.
  ~PostgresCluster();

  // libpq conninfo of the superuser: host=<socket dir> port=<port> dbname=<database> user=postgres.
  std::string ConnInfo(const std::string& database = "postgres") const;
  // libpq conninfo of any role with a password.
  std::string ConnInfoAs(const std::string& user, const std::string& password,
                         const std::string& database) const;
  // Creates another empty database owned by gardefou_owner (one per test keeps tests apart).
  absl::Status CreateDatabase(const std::string& name) const;
  // Runs pgbench with `args` as the superuser on `database` (`pgbench ARGS... -h DIR -p PORT -U
  // postgres DATABASE`, as the cluster's user) and returns what it printed (stdout + stderr);
  // the status holds that output when it does not exit with 0.
  absl::StatusOr<std::string> RunPgbench(const std::vector<std::string>& args,
                                         const std::string& database) const;
  // A store URI (`--store`) for `database` as `user`.
  std::string StoreUri(const std::string& user, const std::string& password,
                       const std::string& database = kServiceDatabase) const;
  std::string OwnerUri(const std::string& database = kServiceDatabase) const {
    return StoreUri(kOwnerRole, owner_password_, database);
  }
  std::string ServiceUri(const std::string& database = kServiceDatabase) const {
    return StoreUri(kServiceRole, service_password_, database);
  }
  // The roles' passwords, random for each cluster.
  const std::string& ServicePassword() const { return service_password_; }
  const std::string& OwnerPassword() const { return owner_password_; }
  const std::string& Directory() const { return dir_; }

 private:
  PostgresCluster() = default;
  absl::Status InitAndStart();
  absl::Status CreateServiceRole();
  // Runs a tool of the PostgreSQL bin directory as the cluster's user, in the directory; fails
  // with its output when it does not exit with 0. `output`, when given, receives that output.
  absl::Status RunTool(const std::vector<std::string>& args, std::string* output = nullptr) const;
  std::string DataDirectory() const { return dir_ + "/data"; }

  std::string dir_;
  int port_ = 0;
  std::string service_password_;
  std::string owner_password_;
  bool switch_user_ = false;  // true when running as root: tools run as uid_/gid_
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  bool durable_ = false;  // StartDurable(): fsync, synchronous_commit, full_page_writes left on
  bool started_ = false;
  pid_t server_pid_ = 0;  // the postmaster, once started
};

}  // namespace gardefou::testing
