// The roles a caller may hold, named once for the metadata headers, the verified-token
// configuration and the policy file.
#pragma once

#include <algorithm>
#include <array>

#include "absl/strings/string_view.h"

namespace gardefou::common {

inline constexpr std::array<absl::string_view, 6> kRoles = {
    "lms", "teacher", "inspector", "dpo", "admin", "head_of_school"};

// "lms, teacher, ..." for error messages.
inline constexpr absl::string_view kRoleList =
    "lms, teacher, inspector, dpo, admin, head_of_school";

inline bool IsRole(absl::string_view role) {
  return std::find(kRoles.begin(), kRoles.end(), role) != kRoles.end();
}

}  // namespace gardefou::common
