// A small RAII layer over SQLite: a connection, prepared statements and transactions that
// roll back unless committed. Errors come back as absl::Status, never as exceptions.
//
// Convention: Bind() takes 1-based parameter indexes (as SQLite does); Column*() takes
// 0-based column indexes (as SQLite does). Not thread-safe: one thread at a time per Database.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gardefou::store {

class Statement;

class Database {
 public:
  // Opens (creating it with mode 0600 if needed) the file at `path` with WAL, synchronous=FULL,
  // foreign keys on and a 5 s busy timeout; `query_only` refuses every write on this
  // connection. Fails with UNAVAILABLE when the file cannot be created or opened.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path,
                                                        bool query_only = false);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements that take no parameters and return no rows.
  absl::Status Exec(absl::string_view sql);

  // Prepares `sql`; a prepared statement is cached and reused by later calls with the same text.
  absl::StatusOr<Statement*> Prepare(absl::string_view sql);

  // Resets every cached statement, ending the read snapshot a half-read statement would keep.
  // Transactions call it before COMMIT and ROLLBACK.
  void ResetStatements();

 private:
  explicit Database(sqlite3* db);
  struct Cache;
  sqlite3* db_;
  std::unique_ptr<Cache> cache_;
};

// A prepared statement owned by the Database's cache. Database::Prepare() hands it back reset
// with no bindings, so callers simply bind, then Step() or Run().
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int index, absl::string_view text);
  Statement& BindBlob(int index, absl::string_view bytes);
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, double value);
  Statement& BindNull(int index);

  // Advances to the next row: true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Runs a statement that returns no row.
  absl::Status Run();

  std::string ColumnText(int col) const;
  int64_t ColumnInt(int col) const;
  double ColumnDouble(int col) const;
  bool ColumnIsNull(int col) const;

  void Reset();

 private:
  sqlite3_stmt* stmt_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless Commit() succeeded.
class Transaction {
 public:
  static absl::StatusOr<std::unique_ptr<Transaction>> Begin(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  absl::Status Commit();

 private:
  explicit Transaction(Database& db) : db_(db) {}
  Database& db_;
  bool done_ = false;
};

// Turns an SQLite result code into a status: busy, locked and I/O failures are UNAVAILABLE (the
// caller may retry); anything else is INTERNAL, since the workflow checks every rule before writing.
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what);

}  // namespace gardefou::store
