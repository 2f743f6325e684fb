// Where gardefou finds its data files (the pseudonymiser's word and name lists) at run time:
// never a path of the source tree compiled in, so that an installed or copied binary runs.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gardefou::common {

// The file whose presence marks a data directory.
inline constexpr char kDataDirMarker[] = "public_figures.txt";

// The places searched, in order, when no directory is given: the installed location
// (GARDEFOU_INSTALLED_DATA_DIR, compiled from the install prefix), /usr/share/gardefou, and
// next to the binary: <directory of the running executable>/../share/gardefou.
std::vector<std::string> DataDirCandidates();

// `explicit_dir` when not empty (NOT_FOUND when it holds no data files), else the first of
// DataDirCandidates() that holds them; NOT_FOUND naming the marker file and every place
// looked at, and how to point at the right one (--data-dir).
absl::StatusOr<std::string> FindDataDir(const std::string& explicit_dir);

}  // namespace gardefou::common
