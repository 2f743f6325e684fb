// The one NOT_FOUND of the store: a missing object and another tenant's read the same.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gardefou::store {

inline absl::Status NotFound(absl::string_view what, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(what, " '", id, "' was not found in this tenant"));
}

}  // namespace gardefou::store
