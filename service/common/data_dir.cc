// Data directory lookup: an explicit directory, the installed location, or beside the binary.
#include "service/common/data_dir.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gardefou::common {
namespace fs = std::filesystem;
namespace {

bool HoldsDataFiles(const std::string& dir) {
  std::error_code error;
  return fs::is_regular_file(fs::path(dir) / kDataDirMarker, error);
}

}  // namespace

std::vector<std::string> DataDirCandidates() {
  std::vector<std::string> candidates = {GARDEFOU_INSTALLED_DATA_DIR};
  if (candidates.front() != "/usr/share/gardefou") candidates.push_back("/usr/share/gardefou");
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    candidates.push_back((exe.parent_path().parent_path() / "share" / "gardefou").string());
  }
  return candidates;
}

absl::StatusOr<std::string> FindDataDir(const std::string& explicit_dir) {
  if (!explicit_dir.empty()) {
    if (HoldsDataFiles(explicit_dir)) return explicit_dir;
    return absl::NotFoundError(absl::StrCat("the data directory ", explicit_dir, " has no ",
                                            kDataDirMarker, ": is it gardefou's share/gardefou?"));
  }
  const std::vector<std::string> candidates = DataDirCandidates();
  for (const std::string& dir : candidates) {
    if (HoldsDataFiles(dir)) return dir;
  }
  return absl::NotFoundError(absl::StrCat(
      "cannot find gardefou's data files (", kDataDirMarker, " and the other word lists): looked in ",
      absl::StrJoin(candidates, ", "), "; install gardefou or give --data-dir DIR"));
}

}  // namespace gardefou::common
