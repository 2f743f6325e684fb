// A thin RAII layer over libpq: a connection, statements with text parameters, their results,
// and transactions that roll back unless committed. Errors come back as absl::Status, never as
// exceptions; their messages carry the server's primary message and SQLSTATE, never a
// parameter's value nor a password.
//
// Convention: SQL parameters are $1, $2, ... (as PostgreSQL does); rows and columns of a result
// are 0-based (as libpq does). Not thread-safe: one thread at a time per PgConnection.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// libpq's handles, named without including libpq-fe.h (which stays private to the .cc).
struct pg_conn;
struct pg_result;

namespace gardefou::store {

// A text parameter of Query(); std::nullopt is SQL NULL.
using PgParam = std::optional<std::string>;

// The rows of a statement, owned (PQclear at destruction).
class PgResult {
 public:
  int Rows() const;
  int Columns() const;
  bool IsNull(int row, int col) const;
  // The value in PostgreSQL's text format; empty for NULL (tell them apart with IsNull()).
  std::string Text(int row, int col) const;
  // The rows an INSERT, UPDATE or DELETE touched.
  int64_t AffectedRows() const;

 private:
  friend class PgConnection;
  struct Clear {
    void operator()(pg_result* result) const;
  };
  explicit PgResult(pg_result* result) : result_(result) {}
  std::unique_ptr<pg_result, Clear> result_;
};

class PgConnection {
 public:
  // Connects with a libpq conninfo ("host=... port=... dbname=... user=... password=...") or
  // URI. Unless it says otherwise: 10 s to connect, TCP keepalives and a 30 s user timeout,
  // UTF8, bytea_output=hex, standard_conforming_strings=on, a 60 s idle-in-transaction
  // timeout, and over TCP sslmode=verify-full. Fails with UNAVAILABLE; the message never
  // includes the password.
  static absl::StatusOr<std::unique_ptr<PgConnection>> Open(const std::string& conninfo);

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  // False once the server has gone (restarted, or the network cut); Reconnect() tries again.
  bool Connected() const;
  // Reconnects with the same parameters. UNAVAILABLE when the server still cannot be reached.
  absl::Status Reconnect();

  // Runs one or more statements that take no parameters; their rows, if any, are dropped.
  absl::Status Exec(absl::string_view sql);

  // Runs one statement with text parameters ($1 is params[0]).
  absl::StatusOr<PgResult> Query(absl::string_view sql, const std::vector<PgParam>& params = {});

 private:
  friend class PgTransaction;
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}
  // The result of PQexec or PQexecParams, or the status its failure maps to.
  absl::StatusOr<PgResult> Check(pg_result* result, absl::string_view what);
  pg_conn* conn_;
};

// BEGIN on construction; ROLLBACK on destruction unless Commit() succeeded.
class PgTransaction {
 public:
  // `begin` may name the isolation level ("BEGIN ISOLATION LEVEL ... READ ONLY").
  static absl::StatusOr<std::unique_ptr<PgTransaction>> Begin(PgConnection& conn,
                                                             absl::string_view begin = "BEGIN");
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  ~PgTransaction();

  // ABORTED when a statement of the transaction already failed (PostgreSQL would roll back
  // and call it a success), or when the server gives up the commit (serialization, deadlock).
  absl::Status Commit();

 private:
  explicit PgTransaction(PgConnection& conn) : conn_(conn) {}
  PgConnection& conn_;
  bool done_ = false;
};

// The connection string as it may be shown: user, host, port and database only.
std::string PgDescribe(const std::string& conninfo);

// Bytes as a BYTEA text parameter ("\\x" and hex), and back from a BYTEA column's text (hex
// output, PostgreSQL's default); DATA_LOSS when the text is not that.
std::string PgBytea(absl::string_view bytes);
absl::StatusOr<std::string> PgUnbytea(absl::string_view text);

// Maps a failed statement's SQLSTATE to a status: 23505 (unique violation) is ALREADY_EXISTS;
// 40001 (serialization failure) and 40P01 (deadlock) are ABORTED, the caller may retry;
// 42501 (insufficient privilege) is PERMISSION_DENIED; class 08 (connection exception),
// 57P01-57P03 (the server shutting down or starting), 55P03 (a lock not obtained in time) and
// 25006 (a read-only standby) are UNAVAILABLE; anything else is INTERNAL.
absl::Status PgError(absl::string_view sqlstate, absl::string_view message);

}  // namespace gardefou::store
