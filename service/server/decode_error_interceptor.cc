// Rewrites the status of undecodable requests to methods that gardefou does implement.
#include "service/server/decode_error_interceptor.h"

#include <google/protobuf/descriptor.h>

#include <string>

#include "service/common/error_reason.h"
#include "service/server/grpc_status.h"

namespace gardefou::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

class DecodeErrorInterceptor : public grpc::experimental::Interceptor {
 public:
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED &&
          status.error_message().empty()) {
        methods->ModifySendStatus(ToGrpcStatus(common::WithReason(
            absl::InvalidArgumentError(
                "the request could not be decoded: a string field is not valid UTF-8 or the "
                "message is malformed; nothing was written"),
            "UNDECODABLE_REQUEST")));
      }
    }
    methods->Proceed();
  }
};

// "/gardefou.v1.GradingAssist/SignOff" names a method of our generated services.
bool IsOurMethod(const char* path) {
  std::string name = path == nullptr ? "" : path;
  if (name.size() < 2 || name[0] != '/') return false;
  name.erase(0, 1);
  const size_t slash = name.find('/');
  if (slash == std::string::npos) return false;
  name[slash] = '.';
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name) != nullptr;
}

}  // namespace

grpc::experimental::Interceptor* DecodeErrorInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return IsOurMethod(info->method()) ? new DecodeErrorInterceptor() : nullptr;
}

}  // namespace gardefou::server
