// absl and gRPC share code numbers; INTERNAL messages are replaced so no detail leaks. Every
// refusal carries its reason as a google.rpc.ErrorInfo (domain "gardefou") in the standard
// grpc-status-details-bin trailer.
#include "service/server/grpc_status.h"

#include <iostream>
#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "service/common/error_reason.h"

namespace gardefou::server {
namespace {

grpc::Status WithDetails(grpc::StatusCode code, const std::string& message,
                         const std::string& reason) {
  google::rpc::ErrorInfo info;
  info.set_reason(reason);
  info.set_domain("gardefou");
  google::rpc::Status details;
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  details.add_details()->PackFrom(info);
  return grpc::Status(code, message, details.SerializeAsString());
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  if (status.code() == absl::StatusCode::kInternal) {
    // Internal messages name statements and files, never request content.
    std::cerr << "gardefou: internal error: " << status.message() << std::endl;
    return WithDetails(grpc::StatusCode::INTERNAL,
                       "internal error: the request was not applied; the server log has details",
                       "INTERNAL");
  }
  std::string message(status.message().substr(0, kMaxStatusMessage));
  return WithDetails(static_cast<grpc::StatusCode>(status.code()), message,
                     common::ReasonOf(status));
}

}  // namespace gardefou::server
