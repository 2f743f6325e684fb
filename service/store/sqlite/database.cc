// Implementation of the SQLite RAII layer and its statement cache.
#include "service/store/sqlite/database.h"

#include <string>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "service/common/private_files.h"

namespace gardefou::store {

struct Database::Cache {
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements;
};

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  const std::string msg =
      absl::StrCat(what, ": ", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), " (", rc, ")");
  // A key that is already taken reads as PostgreSQL's engine reports it: ALREADY_EXISTS.
  const int extended = db ? sqlite3_extended_errcode(db) : rc;
  if (extended == SQLITE_CONSTRAINT_PRIMARYKEY || extended == SQLITE_CONSTRAINT_UNIQUE) {
    return absl::AlreadyExistsError(msg);
  }
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return absl::UnavailableError(msg);
    default:
      return absl::InternalError(msg);
  }
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                       bool query_only) {
  // SQLite would create a missing file with the umask's mode and give that mode to the -wal
  // and -shm files: created here with 0600, all three are 0600.
  if (absl::StatusOr<common::UniqueFd> created = common::CreatePrivateFile(path);
      !created.ok() && !absl::IsAlreadyExists(created.status())) {
    return created.status();
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    absl::Status st = SqliteError(raw, rc, absl::StrCat("cannot open database ", path));
    sqlite3_close(raw);
    return absl::UnavailableError(st.message());
  }
  std::unique_ptr<Database> db(new Database(raw));
  sqlite3_busy_timeout(raw, 5000);
  // Readers leave the journal mode alone: WAL is a property of the file, set by the writer,
  // and asking for it again can fail with SQLITE_BUSY while another process writes.
  if (absl::Status st = db->Exec(query_only ? "PRAGMA foreign_keys=ON; PRAGMA query_only=ON;"
                                            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                                              "PRAGMA foreign_keys=ON;");
      !st.ok()) {
    return st;
  }
  return db;
}

Database::Database(sqlite3* db) : db_(db), cache_(std::make_unique<Cache>()) {}

Database::~Database() {
  cache_.reset();  // statements must be finalized before the connection closes
  sqlite3_close(db_);
}

absl::Status Database::Exec(absl::string_view sql) {
  char* err = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    absl::Status st = SqliteError(db_, rc, "exec");
    sqlite3_free(err);
    return st;
  }
  return absl::OkStatus();
}

absl::StatusOr<Statement*> Database::Prepare(absl::string_view sql) {
  std::string key(sql);
  auto it = cache_->statements.find(key);
  if (it != cache_->statements.end()) {
    it->second->Reset();
    return it->second.get();
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
  auto owned = std::make_unique<Statement>(stmt);
  Statement* out = owned.get();
  cache_->statements.emplace(std::move(key), std::move(owned));
  return out;
}

void Database::ResetStatements() {
  for (auto& [sql, stmt] : cache_->statements) stmt->Reset();
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::Bind(int index, absl::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindBlob(int index, absl::string_view bytes) {
  sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

absl::StatusOr<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(sqlite3_db_handle(stmt_), rc, "step");
}

absl::Status Statement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  return absl::OkStatus();
}

std::string Statement::ColumnText(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(static_cast<const char*>(p), n) : std::string();
}

int64_t Statement::ColumnInt(int col) const { return sqlite3_column_int64(stmt_, col); }

double Statement::ColumnDouble(int col) const { return sqlite3_column_double(stmt_, col); }

bool Statement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

absl::StatusOr<std::unique_ptr<Transaction>> Transaction::Begin(Database& db) {
  if (absl::Status st = db.Exec("BEGIN IMMEDIATE"); !st.ok()) return st;
  return std::unique_ptr<Transaction>(new Transaction(db));
}

absl::Status Transaction::Commit() {
  db_.ResetStatements();
  absl::Status st = db_.Exec("COMMIT");
  if (st.ok()) done_ = true;
  return st;
}

Transaction::~Transaction() {
  if (done_) return;
  db_.ResetStatements();
  db_.Exec("ROLLBACK").IgnoreError();
}

}  // namespace gardefou::store

