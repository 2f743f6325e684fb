// Chooses the store's engine from its name: "sqlite:PATH" or a plain path.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "service/store/sqlite/sqlite_store.h"
#include "service/store/store.h"

namespace gardefou::store {
namespace {

// The SQLite path of `spec`, or INVALID_ARGUMENT for another engine.
absl::StatusOr<std::string> SqlitePath(absl::string_view spec) {
  if (absl::ConsumePrefix(&spec, "sqlite:")) return std::string(spec);
  if (spec.find("://") != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown store engine in '", spec.substr(0, spec.find("://")),
                     "://...': this build has sqlite:PATH only"));
  }
  return std::string(spec);
}

// Opens the SQLite store of `spec` with `open`.
template <typename Open>
absl::StatusOr<std::unique_ptr<Store>> OpenSqlite(absl::string_view spec, Open open) {
  absl::StatusOr<std::string> path = SqlitePath(spec);
  if (!path.ok()) return path.status();
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = open(*path);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(*std::move(store));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& spec) {
  return OpenSqlite(spec, [](const std::string& path) { return SqliteStore::Open(path); });
}

absl::StatusOr<std::unique_ptr<Store>> OpenStoreForReading(const std::string& spec) {
  return OpenSqlite(spec, SqliteStore::OpenForReading);
}

}  // namespace gardefou::store
