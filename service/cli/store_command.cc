// `gardefou store migrate|copy`: bring a store's schema to this binary's version (run by the
// schema's owner), and move everything from one store to another, for instance from the
// demo's SQLite file to PostgreSQL when a region outgrows one machine.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "service/audit/trail_repository.h"
#include "service/cli/commands.h"
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

absl::StatusOr<TrailSummary> Summarize(store::Store& store) {
  TrailSummary summary;
  RETURN_IF_ERROR(store.Read([&](store::Session& session) -> absl::Status {
    ASSIGN_OR_RETURN(summary.head, session.Head());
    ASSIGN_OR_RETURN(summary.checkpoints, session.ListCheckpoints());
    return absl::OkStatus();
  }));
  return summary;
}

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
      .options = {{"store", "SPEC", "sqlite:FILE or postgresql://USER@HOST/DB", true}},
      .notes = "The PostgreSQL schema grants the group role gardefou_service what the service\n"
               "needs; make each instance's login role a member. Exit 0 when done, 2 on error.\n"};
  return *spec;
}

int RunStoreMigrate(const Args& args) {
  const std::string& spec = args.options.at("store");
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::OpenStore(spec);
  if (!store.ok()) return Error("migrate", store.status());
  std::cout << "store " << store::DescribeStore(spec) << " is at this binary's schema\n";
  return 0;
}

const CommandSpec& StoreCopyCommand() {
  static const CommandSpec* spec = new CommandSpec{
      .path = "store copy",
      .summary = "copy every row of one store into another, empty one, and check the trail",
      .options = {{"from", "SPEC", "the store to copy (read on one snapshot, never changed)",
                   true},
                  {"to", "SPEC", "the empty store to fill (created or migrated first)", true}},
      .notes = "Stop the servers writing to --from first: rows written during the copy stay\n"
               "behind. The copy is one transaction: all of it or nothing. Afterwards the\n"
               "target must show the same head hash and the same checkpoints. Exit 0 when it\n"
               "does, 1 when it does not, 2 on error (nothing written).\n"};
  return *spec;
}

int RunStoreCopy(const Args& args) {
  const std::string& from_spec = args.options.at("from");
  const std::string& to_spec = args.options.at("to");
  absl::StatusOr<std::unique_ptr<store::Store>> from = store::OpenStoreForReading(from_spec);
  if (!from.ok()) return Error("copy", from.status());
  absl::StatusOr<std::unique_ptr<store::Store>> to = store::OpenStore(to_spec);
  if (!to.ok()) return Error("copy", to.status());
  int64_t rows = 0;
  const absl::Status copied = (*from)->Read([&](store::Session& source) {
    return (*to)->Write([&](store::Session& target) -> absl::Status {
      RETURN_IF_ERROR(CheckEmpty(target));
      for (const store::TableSpec& table : store::Tables()) {
        RETURN_IF_ERROR(source.ForEachRow(table, [&](const std::vector<std::string>& row) {
          ++rows;
          return target.InsertRow(table, row);
        }));
      }
      return absl::OkStatus();
    });
  });
  if (!copied.ok()) return Error("copy", copied);
  absl::StatusOr<TrailSummary> source = Summarize(**from);
  absl::StatusOr<TrailSummary> target = Summarize(**to);
  if (!source.ok() || !target.ok()) {
    return Error("copy", source.ok() ? target.status() : source.status());
  }
  std::cout << "copied " << rows << " rows from " << store::DescribeStore(from_spec) << " to "
            << store::DescribeStore(to_spec) << "\n"
            << "source: head " << source->head.seq << " " << source->head.hash << ", "
            << source->checkpoints.size() << " checkpoints\n"
            << "target: head " << target->head.seq << " " << target->head.hash << ", "
            << target->checkpoints.size() << " checkpoints\n";
  if (!(*source == *target)) {
    std::cerr << "gardefou store copy: the target's trail differs from the source's\n";
    return 1;
  }
  std::cout << "identical head and checkpoints: verify with `gardefou audit verify --store "
               "SPEC --key FILE`\n";
  return 0;
}

}  // namespace gardefou::cli
