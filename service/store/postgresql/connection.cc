// Implementation of the libpq RAII layer and of the SQLSTATE to status mapping.
#include "service/store/postgresql/connection.h"

#include <libpq-fe.h>

#include <cstring>
#include <map>
#include <optional>

#include "absl/strings/match.h"
#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace gardefou::store {

absl::Status PgError(absl::string_view sqlstate, absl::string_view message) {
  const std::string text = absl::StrCat(message, " (SQLSTATE ", sqlstate, ")");
  if (sqlstate == "23505") return absl::AlreadyExistsError(text);
  if (sqlstate == "40001" || sqlstate == "40P01") return absl::AbortedError(text);
  if (sqlstate == "42501") return absl::PermissionDeniedError(text);
  if (sqlstate == "55P03" || sqlstate == "25006") return absl::UnavailableError(text);
  if (absl::StartsWith(sqlstate, "08") || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03") {
    return absl::UnavailableError(text);
  }
  return absl::InternalError(text);
}

void PgResult::Clear::operator()(pg_result* result) const { PQclear(result); }

int PgResult::Rows() const { return PQntuples(result_.get()); }

int PgResult::Columns() const { return PQnfields(result_.get()); }

bool PgResult::IsNull(int row, int col) const { return PQgetisnull(result_.get(), row, col) == 1; }

std::string PgResult::Text(int row, int col) const {
  return std::string(PQgetvalue(result_.get(), row, col), PQgetlength(result_.get(), row, col));
}

int64_t PgResult::AffectedRows() const {
  int64_t rows = 0;
  return absl::SimpleAtoi(PQcmdTuples(result_.get()), &rows) ? rows : 0;
}

namespace {

// The parsed options of `conninfo` (keyword -> value, set ones only); nullopt when it does not
// parse (libpq's message is dropped: it quotes the text, which may hold the password).
std::optional<std::map<std::string, std::string>> ParseConnInfo(const std::string& conninfo) {
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (options == nullptr) {
    PQfreemem(parse_error);
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val != nullptr) out[option->keyword] = option->val;
  }
  PQconninfoFree(options);
  return out;
}

}  // namespace

std::string PgDescribe(const std::string& conninfo) {
  const auto options = ParseConnInfo(conninfo);
  if (!options) return "postgresql (a connection string that does not parse)";
  auto get = [&](const char* key) {
    auto it = options->find(key);
    return it == options->end() ? std::string() : it->second;
  };
  return absl::StrCat("postgresql://", get("user"), get("user").empty() ? "" : "@", get("host"),
                      get("port").empty() ? "" : ":", get("port"), "/", get("dbname"));
}

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& conninfo) {
  const auto options = ParseConnInfo(conninfo);
  if (!options) {
    return absl::UnavailableError(
        "cannot connect to PostgreSQL: the connection string does not parse");
  }
  const std::string password = options->contains("password") ? options->at("password") : "";
  const std::string host = options->contains("host") ? options->at("host") : "";
  // Defaults first: what the connection string says overrides them (expand_dbname). A dead
  // peer is noticed in seconds, not hours; session settings this code relies on are pinned; a
  // TCP connection is encrypted and its server verified unless the string says otherwise.
  std::vector<const char*> keywords = {"connect_timeout", "keepalives", "keepalives_idle",
                                       "keepalives_interval", "keepalives_count",
                                       "tcp_user_timeout", "client_encoding", "options"};
  std::vector<const char*> values = {
      "10", "1", "10", "5", "3", "30000", "UTF8",
      "-c bytea_output=hex -c standard_conforming_strings=on -c idle_in_transaction_session_"
      "timeout=60000"};
  const bool unix_socket = host.empty() || host[0] == '/';
  if (!unix_socket) {
    keywords.push_back("sslmode");
    values.push_back("verify-full");
  }
  keywords.push_back("dbname");
  values.push_back(conninfo.c_str());
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message(absl::StripTrailingAsciiWhitespace(
        conn != nullptr ? PQerrorMessage(conn) : "out of memory"));
    PQfinish(conn);
    // libpq does not quote the password today; this keeps it so if that ever changes.
    if (!password.empty()) absl::StrReplaceAll({{password, "********"}}, &message);
    return absl::UnavailableError(absl::StrCat("cannot connect to PostgreSQL: ", message));
  }
  // Notices (a DROP ... IF EXISTS that found nothing) would go to stderr: they are dropped.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::Connected() const { return PQstatus(conn_) == CONNECTION_OK; }

absl::Status PgConnection::Reconnect() {
  PQreset(conn_);
  if (Connected()) return absl::OkStatus();
  // libpq's message names the host and the reason, never the password.
  return absl::UnavailableError(absl::StrCat(
      "cannot reconnect to PostgreSQL: ",
      absl::StripTrailingAsciiWhitespace(PQerrorMessage(conn_))));
}

std::string PgBytea(absl::string_view bytes) {
  return absl::StrCat("\\x", absl::BytesToHexString(bytes));
}

absl::StatusOr<std::string> PgUnbytea(absl::string_view text) {
  const bool hex = absl::ConsumePrefix(&text, "\\x") && text.size() % 2 == 0 &&
                   absl::c_all_of(text, [](char c) { return absl::ascii_isxdigit(c); });
  if (!hex) return absl::DataLossError("a BYTEA value is not in hex output format");
  return absl::HexStringToBytes(text);
}

absl::Status PgConnection::Exec(absl::string_view sql) {
  const std::string text(sql);
  return Check(PQexec(conn_, text.c_str()), "exec").status();
}

absl::StatusOr<PgResult> PgConnection::Query(absl::string_view sql,
                                             const std::vector<PgParam>& params) {
  const std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const PgParam& param : params) {
    // Text parameters end at their first NUL: refused rather than silently cut.
    if (param && param->find('\0') != std::string::npos) {
      return absl::InvalidArgumentError("a text value holds a NUL byte");
    }
    values.push_back(param ? param->c_str() : nullptr);
  }
  return Check(PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()),
                            /*paramTypes=*/nullptr, values.data(), /*paramLengths=*/nullptr,
                            /*paramFormats=*/nullptr, /*resultFormat=*/0),
               "query");
}

absl::StatusOr<PgResult> PgConnection::Check(pg_result* raw, absl::string_view what) {
  PgResult result(raw);
  const ExecStatusType status = PQresultStatus(raw);  // PGRES_FATAL_ERROR when raw is null
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  // Only the primary message: the detail may quote a row's values ("Key (id)=(...) exists").
  const char* sqlstate = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY);
  if (sqlstate != nullptr && primary != nullptr) {
    return PgError(sqlstate, absl::StrCat(what, ": ", primary));
  }
  // No SQLSTATE: libpq itself failed (lost connection, out of memory) or an unexpected result
  // status (COPY); its own messages carry no data.
  const std::string message = absl::StrCat(
      what, ": ", absl::StripTrailingAsciiWhitespace(PQerrorMessage(conn_)), " (",
      PQresStatus(status), ")");
  if (PQstatus(conn_) == CONNECTION_BAD) return absl::UnavailableError(message);
  return absl::InternalError(message);
}

absl::StatusOr<std::unique_ptr<PgTransaction>> PgTransaction::Begin(PgConnection& conn,
                                                                    absl::string_view begin) {
  if (absl::Status st = conn.Exec(begin); !st.ok()) return st;
  return std::unique_ptr<PgTransaction>(new PgTransaction(conn));
}

absl::Status PgTransaction::Commit() {
  if (PQtransactionStatus(conn_.conn_) == PQTRANS_INERROR) {
    return absl::AbortedError("commit: an earlier statement failed, the transaction rolls back");
  }
  // Once COMMIT is sent the transaction is over, committed or not: nothing to roll back.
  done_ = true;
  return conn_.Exec("COMMIT");
}

PgTransaction::~PgTransaction() {
  if (!done_) conn_.Exec("ROLLBACK").IgnoreError();
}

}  // namespace gardefou::store
