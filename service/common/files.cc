// Whole-file reads with ifstream.
#include "service/common/files.h"

#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"

namespace gardefou::common {

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace gardefou::common
