// absl and gRPC share code numbers; INTERNAL messages are replaced so no detail leaks.
#include "service/server/grpc_status.h"

#include <iostream>
#include <string>

namespace gardefou::server {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  if (status.code() == absl::StatusCode::kInternal) {
    // Internal messages name statements and files, never request content.
    std::cerr << "gardefou: internal error: " << status.message() << std::endl;
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "internal error: the request was not applied; the server log has details");
  }
  std::string message(status.message().substr(0, kMaxStatusMessage));
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), message);
}

}  // namespace gardefou::server
