// The definitions of Workflow::Mutate and Workflow::ReplyBytes, shared by the files that
// implement the workflow's mutating methods (workflow.cc, safeguards.cc, second_marking.cc).
#pragma once

#include "service/common/hashing.h"
#include "service/common/ids.h"
#include "service/common/status_macros.h"
#include "service/workflow/validation.h"
#include "service/workflow/workflow.h"

namespace gardefou::workflow {

template <typename T>
absl::StatusOr<std::string> Workflow::ReplyBytes(store::Session& session, const CallContext& ctx,
                                                 store::IdempotentReply reply,
                                                 const Encoder<T>& encode,
                                                 const Reloader<T>* reload) {
  if (reply.response_sha256.empty()) return std::move(reply.response);
  if (reload == nullptr) return absl::InternalError("a stored reply cannot be rebuilt");
  ASSIGN_OR_RETURN(T object, reload->read(session, ctx.tenant, reply.object_id));
  std::string bytes = encode(object);
  if (common::Sha256Hex(bytes) != reply.response_sha256) {
    return absl::InternalError("the object behind a stored reply has changed");
  }
  return bytes;
}

template <typename T>
absl::StatusOr<std::string> Workflow::Mutate(
    const CallContext& ctx, const RequestKey& key, const Encoder<T>& encode,
    const std::function<absl::StatusOr<T>(store::Session&)>& body, const Reloader<T>* reload) {
  RETURN_IF_ERROR(ValidateRequestId(key.request_id));
  std::string response;
  RETURN_IF_ERROR(store_.Write([&](store::Session& session) -> absl::Status {
    ASSIGN_OR_RETURN(auto replayed, Replay(session, ctx, key));
    if (replayed) {
      ASSIGN_OR_RETURN(response, ReplyBytes(session, ctx, *std::move(replayed), encode, reload));
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(T result, body(session));
    response = encode(result);
    store::IdempotentReply record{key.fingerprint, response, "", ""};
    if (reload != nullptr && response.size() > kInlineReplyBytes) {
      // Kept by reference only if reading the object back gives these very bytes (the stored
      // form may lose nothing a replay needs); else copied as any other reply.
      const std::string id = reload->id_of(result);
      ASSIGN_OR_RETURN(T stored, reload->read(session, ctx.tenant, id));
      if (encode(stored) == response) {
        record = {key.fingerprint, "", common::Sha256Hex(response), id};
      }
    }
    return session.RecordReply(ctx.tenant, key.method, key.request_id, record,
                               common::NowMicros());
  }));
  return response;
}

}  // namespace gardefou::workflow
