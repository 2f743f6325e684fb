// `gardefou store migrate|copy`: bring a store's schema to this binary's version (run by the
// schema's owner), and move everything from one store to another, for instance from the
// demo's SQLite file to PostgreSQL when a region outgrows one machine.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "service/audit/signing_key.h"
#include "service/audit/trail_repository.h"
#include "service/cli/commands.h"
#include "service/common/hashing.h"
#include "service/common/status_macros.h"
#include "service/store/store.h"

namespace gardefou::cli {
namespace {

int Error(const std::string& command, const absl::Status& status) {
  std::cerr << "gardefou store " << command << ": " << status.message() << "\n";
  return 2;
}

// What a copy must reproduce: the chain's head and every signed checkpoint.
struct TrailSummary {
  audit::ChainHead head;
  std::vector<model::CheckpointRecord> checkpoints;
  bool operator==(const TrailSummary& other) const {
    if (head.seq != other.head.seq || head.hash != other.head.hash ||
        checkpoints.size() != other.checkpoints.size()) {
      return false;
    }
    for (size_t i = 0; i < checkpoints.size(); ++i) {
      if (checkpoints[i].tree_size != other.checkpoints[i].tree_size ||
          checkpoints[i].root != other.checkpoints[i].root ||
          checkpoints[i].note != other.checkpoints[i].note) {
        return false;
      }
    }
    return true;
  }
};

absl::StatusOr<TrailSummary> Summarize(store::Session& session) {
  TrailSummary summary;
  ASSIGN_OR_RETURN(summary.head, session.Head());
  ASSIGN_OR_RETURN(summary.checkpoints, session.ListCheckpoints());
  return summary;
}

// The rows of a table, counted and hashed in the order they are listed (each value
// length-prefixed, so that no two different rows hash alike).
struct TableDigest {
  int64_t rows = 0;
  std::string chain = common::Sha256Hex("");
  void Add(const std::vector<std::string>& row) {
    std::string bytes = chain;
    for (const std::string& value : row) absl::StrAppend(&bytes, value.size(), ":", value);
    chain = common::Sha256Hex(bytes);
    ++rows;
  }
  bool operator!=(const TableDigest& other) const {
    return rows != other.rows || chain != other.chain;
  }
};

// FAILED_PRECONDITION naming the first table of `session` that holds a row: a copy only goes
// into an empty store, so that nothing there is lost or mixed.
absl::Status CheckEmpty(store::Session& session) {
  for (const store::TableSpec& table : store::Tables()) {
    RETURN_IF_ERROR(session.ForEachRow(table, [&](const std::vector<std::string>&) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the target store is not empty (", table.name,
          " has rows): copy into a new database or file, nothing was written"));
    }));
  }
  return absl::OkStatus();
}

}  // namespace

const CommandSpec& StoreMigrateCommand() {
  static const CommandSpec* spec = new CommandSpec{
      .path = "store migrate",
      .summary = "create or upgrade a store's schema (run as the schema's owner)",
      .options = {{"store", "SPEC", "sqlite:FILE or postgresql://USER@HOST/DB", true},
                  {"signing-key", "FILE",
                   "create the log's signing key here (mode 0600) if there is none: every "
                   "instance is then given this file"},
                  {"log-origin", "NAME",
                   "the log's name in checkpoints, for a new key (default gardefou.local/audit)"}},
      .notes = "The PostgreSQL schema grants the group role gardefou_service what the service\n"
               "needs; make each instance's login role a member. Exit 0 when done, 2 on error.\n"};
  return *spec;
}

int RunStoreMigrate(const Args& args) {
  const std::string& spec = args.options.at("store");
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::OpenStoreAsOwner(spec);
  if (!store.ok()) return Error("migrate", store.status());
  std::cout << "store " << store::DescribeStore(spec) << " is at this binary's schema\n";
  if (auto it = args.options.find("signing-key"); it != args.options.end()) {
    const std::string origin = args.options.contains("log-origin")
                                   ? args.options.at("log-origin")
                                   : std::string("gardefou.local/audit");
    absl::StatusOr<audit::SigningKey> key = audit::LoadOrCreateSigningKey(it->second, origin);
    if (!key.ok()) return Error("migrate", key.status());
    std::cout << "signing key " << it->second << " ready\n";
  }
  return 0;
}

const CommandSpec& StoreCopyCommand() {
  static const CommandSpec* spec = new CommandSpec{
      .path = "store copy",
      .summary = "copy every row of one store into another, empty one, and check the trail",
      .options = {{"from", "SPEC", "the store to copy (read on one snapshot, never changed)",
                   true},
                  {"to", "SPEC", "the empty store to fill (created or migrated first)", true}},
      .notes = "Stop the servers writing to --from first: the copy is of one snapshot. It is\n"
               "one transaction, committed only when every table reads back from the target\n"
               "as it was read (row count and SHA-256) and the trail's head and checkpoints\n"
               "match. Exit 0 when copied, 2 on error (nothing written).\n"};
  return *spec;
}

int RunStoreCopy(const Args& args) {
  const std::string& from_spec = args.options.at("from");
  const std::string& to_spec = args.options.at("to");
  absl::StatusOr<std::unique_ptr<store::Store>> from = store::OpenStoreForReading(from_spec);
  if (!from.ok()) return Error("copy", from.status());
  absl::StatusOr<std::unique_ptr<store::Store>> to = store::OpenStoreAsOwner(to_spec);
  if (!to.ok()) return Error("copy", to.status());
  int64_t rows = 0;
  TrailSummary trail;
  // All of it inside the source's snapshot and the target's one transaction: every table read
  // back from the target must hash as it was read from the source, and the trail's head and
  // checkpoints must match, before anything is committed.
  const absl::Status copied = (*from)->Read([&](store::Session& source) {
    return (*to)->Write([&](store::Session& target) -> absl::Status {
      RETURN_IF_ERROR(CheckEmpty(target));
      for (const store::TableSpec& table : store::Tables()) {
        TableDigest read, written;
        RETURN_IF_ERROR(source.ForEachRow(table, [&](const std::vector<std::string>& row) {
          ++rows;
          read.Add(row);
          return target.InsertRow(table, row);
        }));
        RETURN_IF_ERROR(target.ForEachRow(table, [&](const std::vector<std::string>& row) {
          written.Add(row);
          return absl::OkStatus();
        }));
        if (read != written) {
          return absl::DataLossError(absl::StrCat(
              "table ", table.name, " does not read back from the target as it was copied (",
              read.rows, " rows read, ", written.rows, " read back): nothing was written"));
        }
      }
      ASSIGN_OR_RETURN(trail, Summarize(source));
      ASSIGN_OR_RETURN(TrailSummary copy, Summarize(target));
      if (!(trail == copy)) {
        return absl::DataLossError(
            "the target's trail head or checkpoints differ from the source's: nothing was "
            "written");
      }
      return absl::OkStatus();
    });
  });
  if (!copied.ok()) return Error("copy", copied);
  std::cout << "copied " << rows << " rows from " << store::DescribeStore(from_spec) << " to "
            << store::DescribeStore(to_spec) << ", every table read back identical\n"
            << "head " << trail.head.seq << " " << trail.head.hash << ", "
            << trail.checkpoints.size() << " checkpoints, the same in both stores\n"
            << "verify with `gardefou audit verify --store SPEC --key FILE`\n";
  return 0;
}

}  // namespace gardefou::cli
