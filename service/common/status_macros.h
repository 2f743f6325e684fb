// RETURN_IF_ERROR and ASSIGN_OR_RETURN: Debian 12's Abseil ships neither, so they live here once.
#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define GARDEFOU_CONCAT_INNER(a, b) a##b
#define GARDEFOU_CONCAT(a, b) GARDEFOU_CONCAT_INNER(a, b)

// Returns from the enclosing function when `expr` (an absl::Status) is not OK.
#define RETURN_IF_ERROR(expr)                   \
  do {                                          \
    absl::Status gardefou_status_ = (expr);     \
    if (!gardefou_status_.ok()) return gardefou_status_; \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, StatusOrExpr())`: binds the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  GARDEFOU_ASSIGN_OR_RETURN_IMPL(GARDEFOU_CONCAT(gardefou_statusor_, __LINE__), lhs, expr)

#define GARDEFOU_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return std::move(tmp).status();       \
  lhs = std::move(tmp).value()
