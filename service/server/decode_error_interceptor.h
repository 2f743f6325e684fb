// gRPC's callback API answers UNIMPLEMENTED with no message when a request cannot be decoded
// (e.g. a `string` field holding invalid UTF-8). This interceptor turns that into the
// INVALID_ARGUMENT, with a message, that every other bad input gets.
#pragma once

#include <grpcpp/support/server_interceptor.h>

namespace gardefou::server {

class DecodeErrorInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace gardefou::server
