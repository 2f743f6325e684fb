// A refusal's stable reason (google.rpc.ErrorInfo.reason, domain "gardefou"), carried inside an
// absl::Status as a payload from where the rule refuses to the gRPC edge (server/grpc_status.cc).
// Reasons are UPPER_SNAKE_CASE and listed in grading.proto; a status without one gets its
// code's name (e.g. "INVALID_ARGUMENT").
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"

namespace gardefou::common {

inline constexpr absl::string_view kReasonPayload = "type.gardefou.dev/reason";

// `status` with `reason` attached (unchanged when OK).
inline absl::Status WithReason(absl::Status status, absl::string_view reason) {
  if (!status.ok()) status.SetPayload(kReasonPayload, absl::Cord(reason));
  return status;
}

// The reason attached to `status`, or its code's name.
inline std::string ReasonOf(const absl::Status& status) {
  if (auto reason = status.GetPayload(kReasonPayload)) return std::string(*reason);
  return absl::StatusCodeToString(status.code());
}

}  // namespace gardefou::common
