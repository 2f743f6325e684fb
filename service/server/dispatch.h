// Runs a unary handler body on the worker pool and finishes the reactor from there, so gRPC's
// threads never wait on SQLite or a provider.
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <chrono>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/common/error_reason.h"
#include "service/common/hashing.h"
#include "service/server/grpc_status.h"
#include "service/server/proto_convert.h"
#include "service/server/worker_pool.h"
#include "service/workflow/call_context.h"

namespace gardefou::server {

// `body` returns absl::Status; it runs on `pool` unless the call was cancelled or its deadline
// passed while it waited (then it is dropped: nothing runs, nothing is recorded). A full queue
// answers RESOURCE_EXHAUSTED at once.
template <typename Body>
grpc::ServerUnaryReactor* Dispatch(grpc::CallbackServerContext* context, WorkerPool& pool,
                                   Body body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool queued = pool.TrySubmit([context, reactor, body = std::move(body)]() mutable {
    if (context->IsCancelled()) {
      reactor->Finish(ToGrpcStatus(absl::CancelledError("the call was cancelled")));
      return;
    }
    if (context->deadline() <= std::chrono::system_clock::now()) {
      reactor->Finish(ToGrpcStatus(common::WithReason(
          absl::DeadlineExceededError("the call's deadline passed while it waited for a worker"),
          "DEADLINE_PASSED_IN_QUEUE")));
      return;
    }
    reactor->Finish(ToGrpcStatus(body()));
  });
  if (!queued) {
    reactor->Finish(ToGrpcStatus(common::WithReason(
        absl::ResourceExhaustedError("the server is at capacity: retry with backoff"),
        "SERVER_BUSY")));
  }
  return reactor;
}

// The idempotency key of a mutating request: its method, its request_id, and a fingerprint of
// the caller and the request's bytes.
template <typename Request>
workflow::RequestKey KeyOf(std::string method, const workflow::CallContext& ctx,
                           const Request& request) {
  return {std::move(method), request.request_id(),
          common::Sha256Hex(absl::StrCat(ctx.actor_id, "\n", ctx.role, "\n",
                                         request.SerializeAsString()))};
}

// An encoder for Workflow methods: the record turned into its proto's bytes.
template <typename Record>
std::string EncodeReply(const Record& record) {
  return ToProto(record).SerializeAsString();
}

// Fills `response` from the bytes a Workflow method returned.
template <typename Response>
absl::Status DecodeReply(const std::string& bytes, Response* response) {
  if (!response->ParseFromString(bytes)) {
    return absl::InternalError("a stored reply could not be decoded");
  }
  return absl::OkStatus();
}

}  // namespace gardefou::server
