// Handlers of GradingAssist's safeguards: blind-first marks, second marking, families
// informed and objections. Each reads the call context, calls one workflow method and
// converts the result.
#include "service/common/status_macros.h"
#include "service/server/dispatch.h"
#include "service/server/grading_service.h"
#include "service/server/proto_convert.h"

namespace gardefou::server {

using workflow::CallContext;

grpc::ServerUnaryReactor* GradingService::RecordProvisionalScores(
    grpc::CallbackServerContext* context, const v1::RecordProvisionalScoresRequest* request,
    v1::ProvisionalScores* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(std::string reply,
                     workflow_.RecordProvisionalScores(
                         ctx, KeyOf("RecordProvisionalScores", ctx, *request),
                         request->review_id(), FromProto(request->scores()),
                         EncodeReply<model::ProvisionalScoresRecord>));
    return DecodeReply(reply, response);
  });
}

grpc::ServerUnaryReactor* GradingService::SecondMark(grpc::CallbackServerContext* context,
                                                     const v1::SecondMarkRequest* request,
                                                     v1::Decision* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(std::string reply,
                     workflow_.SecondMark(ctx, KeyOf("SecondMark", ctx, *request),
                                          FromProto(*request),
                                          EncodeReply<model::DecisionRecord>));
    return DecodeReply(reply, response);
  });
}

grpc::ServerUnaryReactor* GradingService::RecordFamiliesInformed(
    grpc::CallbackServerContext* context, const v1::RecordFamiliesInformedRequest* request,
    v1::FamiliesInformed* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(std::string reply,
                     workflow_.RecordFamiliesInformed(
                         ctx, KeyOf("RecordFamiliesInformed", ctx, *request),
                         request->class_id(), request->informed_on(),
                         EncodeReply<model::FamiliesInformedRecord>));
    return DecodeReply(reply, response);
  });
}

grpc::ServerUnaryReactor* GradingService::RecordObjection(
    grpc::CallbackServerContext* context, const v1::RecordObjectionRequest* request,
    v1::Objection* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(std::string reply,
                     workflow_.RecordObjection(ctx, KeyOf("RecordObjection", ctx, *request),
                                               FromProto(*request),
                                               EncodeReply<model::ObjectionRecord>));
    return DecodeReply(reply, response);
  });
}

grpc::ServerUnaryReactor* GradingService::OverrideObjection(
    grpc::CallbackServerContext* context, const v1::OverrideObjectionRequest* request,
    v1::Objection* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(std::string reply,
                     workflow_.OverrideObjection(ctx, KeyOf("OverrideObjection", ctx, *request),
                                                 request->objection_id(),
                                                 request->justification(),
                                                 EncodeReply<model::ObjectionRecord>));
    return DecodeReply(reply, response);
  });
}

grpc::ServerUnaryReactor* GradingService::WithdrawObjection(
    grpc::CallbackServerContext* context, const v1::WithdrawObjectionRequest* request,
    v1::Objection* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(std::string reply,
                     workflow_.WithdrawObjection(ctx, KeyOf("WithdrawObjection", ctx, *request),
                                                 request->objection_id(),
                                                 EncodeReply<model::ObjectionRecord>));
    return DecodeReply(reply, response);
  });
}

grpc::ServerUnaryReactor* GradingService::ListObjections(
    grpc::CallbackServerContext* context, const v1::ListObjectionsRequest* request,
    v1::ListObjectionsResponse* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(std::vector<model::ObjectionRecord> objections,
                     workflow_.ListObjections(ctx, request->class_id()));
    for (const model::ObjectionRecord& o : objections) {
      *response->add_objections() = ToProto(o);
    }
    return absl::OkStatus();
  });
}

}  // namespace gardefou::server
