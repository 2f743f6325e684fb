// Chooses the store's engine from its name: "sqlite:PATH", a plain path, or a PostgreSQL URI.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "service/store/postgresql/connection.h"
#include "service/store/postgresql/pg_store.h"
#include "service/store/sqlite/sqlite_store.h"
#include "service/store/store.h"

namespace gardefou::store {
namespace {

// The SQLite path of `spec`, or INVALID_ARGUMENT for another engine (the message never quotes
// what follows the scheme: it may hold a password).
absl::StatusOr<std::string> SqlitePath(absl::string_view spec) {
  if (absl::ConsumePrefix(&spec, "sqlite:")) return std::string(spec);
  // libpq's "host=... password=..." form is not a file name: refused without repeating it.
  if (absl::StrContains(spec, "=") &&
      (absl::StrContains(spec, " ") || absl::StrContains(spec, "password"))) {
    return absl::InvalidArgumentError(
        "the store looks like a libpq key=value string: give postgresql://USER@HOST/DB (the "
        "password from PGPASSWORD or ~/.pgpass), or sqlite:FILE for such a file name");
  }
  if (spec.find("://") != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown store engine in '", spec.substr(0, spec.find("://")),
                     "://...': this build has sqlite:PATH and postgresql://..."));
  }
  return std::string(spec);
}

// An engine's store as a Store.
template <typename Engine>
absl::StatusOr<std::unique_ptr<Store>> AsStore(absl::StatusOr<std::unique_ptr<Engine>> store) {
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(*std::move(store));
}

}  // namespace

bool IsPostgresStore(absl::string_view spec) {
  return absl::StartsWith(spec, "postgresql://") || absl::StartsWith(spec, "postgres://");
}

std::string DescribeStore(const std::string& spec) {
  return IsPostgresStore(spec) ? PgDescribe(spec) : spec;
}

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& spec) {
  if (IsPostgresStore(spec)) return AsStore(PgStore::Open(spec, PgStore::Role::kService));
  absl::StatusOr<std::string> path = SqlitePath(spec);
  if (!path.ok()) return path.status();
  return AsStore(SqliteStore::Open(*path));
}

absl::StatusOr<std::unique_ptr<Store>> OpenStoreAsOwner(const std::string& spec) {
  if (IsPostgresStore(spec)) return AsStore(PgStore::Open(spec, PgStore::Role::kOwner));
  absl::StatusOr<std::string> path = SqlitePath(spec);
  if (!path.ok()) return path.status();
  return AsStore(SqliteStore::Open(*path));
}

absl::StatusOr<std::unique_ptr<Store>> OpenStoreForReading(const std::string& spec) {
  if (IsPostgresStore(spec)) return AsStore(PgStore::OpenForReading(spec));
  absl::StatusOr<std::string> path = SqlitePath(spec);
  if (!path.ok()) return path.status();
  return AsStore(SqliteStore::OpenForReading(*path));
}

}  // namespace gardefou::store
