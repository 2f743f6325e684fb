// Handlers of AuditTrail.
#include "service/server/audit_service.h"

#include <google/protobuf/util/time_util.h>

#include "service/audit/signing_key.h"
#include "service/common/hashing.h"
#include "service/common/status_macros.h"
#include "service/server/dispatch.h"
#include "service/server/proto_convert.h"

namespace gardefou::server {

grpc::ServerUnaryReactor* AuditService::ListEvents(grpc::CallbackServerContext* context,
                                                   const v1::ListEventsRequest* request,
                                                   v1::ListEventsResponse* response) {
  return Dispatch(context, trail_pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(workflow::CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(workflow::EventPage page,
                     workflow_.ListEvents(ctx, FromProto(*request), request->page_size(),
                                          request->page_token()));
    RETURN_IF_ERROR(workflow_.RecordTrailRead(
        ctx, "ListEvents",
        {{"action", request->action()},
         {"object_id", request->object_id()},
         {"actor_id", request->actor_id()},
         {"since", request->has_since() ? std::to_string(request->since().seconds()) : ""},
         {"until", request->has_until() ? std::to_string(request->until().seconds()) : ""},
         {"page_token", request->page_token().empty() ? "" : "given"}}));
    for (const auto& e : page.events) *response->add_events() = ToProto(e);
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AuditService::VerifyTrail(grpc::CallbackServerContext* context,
                                                    const v1::VerifyTrailRequest* /*request*/,
                                                    v1::VerifyTrailResponse* response) {
  return Dispatch(context, trail_pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(workflow::CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(audit::VerifyResult result, workflow_.VerifyTrail(ctx));
    RETURN_IF_ERROR(workflow_.RecordTrailRead(ctx, "VerifyTrail", {}));
    response->set_ok(result.ok);
    response->set_events_checked(result.events_checked);
    response->set_first_bad_seq(result.first_bad_seq);
    response->set_problem(result.problem);
    response->set_head_hash(result.head_hash);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AuditService::GetCheckpoint(grpc::CallbackServerContext* context,
                                                      const v1::GetCheckpointRequest* request,
                                                      v1::Checkpoint* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(workflow::CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(model::CheckpointRecord checkpoint,
                     log_.GetCheckpoint(ctx, request->sign_now()));
    response->set_tree_size(checkpoint.tree_size);
    response->set_root_hash(checkpoint.root);
    response->set_note(checkpoint.note);
    response->set_public_key(audit::FormatVerifierKey(log_.verifier_key()));
    *response->mutable_signed_at() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(checkpoint.signed_at_us);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AuditService::GetInclusionProof(
    grpc::CallbackServerContext* context, const v1::GetInclusionProofRequest* request,
    v1::InclusionProof* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(workflow::CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(workflow::InclusionProofResult proof,
                     log_.GetInclusionProof(ctx, request->seq(), request->tree_size()));
    RETURN_IF_ERROR(workflow_.RecordTrailRead(
        ctx, "GetInclusionProof",
        {{"seq", std::to_string(request->seq())},
         {"tree_size", std::to_string(request->tree_size())}}));
    response->set_seq(proof.seq);
    response->set_leaf_index(proof.seq - 1);
    response->set_tree_size(static_cast<int64_t>(proof.tree_size));
    response->set_leaf_hash(std::string(common::DigestBytes(proof.leaf_hash)));
    for (const auto& h : proof.hashes) response->add_hashes(std::string(common::DigestBytes(h)));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AuditService::GetConsistencyProof(
    grpc::CallbackServerContext* context, const v1::GetConsistencyProofRequest* request,
    v1::ConsistencyProof* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(workflow::CallContext ctx, identity_.Identify(*context));
    int64_t second = request->second_size();
    ASSIGN_OR_RETURN(std::vector<audit::Hash> proof,
                     log_.GetConsistencyProof(ctx, request->first_size(), second));
    RETURN_IF_ERROR(workflow_.RecordTrailRead(
        ctx, "GetConsistencyProof",
        {{"first_size", std::to_string(request->first_size())},
         {"second_size", std::to_string(request->second_size())}}));
    response->set_first_size(request->first_size());
    response->set_second_size(second);
    for (const auto& h : proof) response->add_hashes(std::string(common::DigestBytes(h)));
    return absl::OkStatus();
  });
}

}  // namespace gardefou::server
