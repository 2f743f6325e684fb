// Handlers of GradingAssist. Each reads the call context, calls one workflow method and
// converts the result; the rules live in the workflow.
#include "service/server/grading_service.h"

#include "service/common/status_macros.h"
#include "service/server/dispatch.h"
#include "service/server/proto_convert.h"

namespace gardefou::server {

using workflow::CallContext;

grpc::ServerUnaryReactor* GradingService::UpsertRoster(grpc::CallbackServerContext* context,
                                                       const v1::UpsertRosterRequest* request,
                                                       v1::UpsertRosterResponse* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(std::string reply,
                     workflow_.UpsertRoster(ctx, KeyOf("UpsertRoster", ctx, *request),
                                            FromProto(*request),
                                            EncodeReply<workflow::RosterSummary>));
    return DecodeReply(reply, response);
  });
}

grpc::ServerUnaryReactor* GradingService::CreateAssignment(
    grpc::CallbackServerContext* context, const v1::CreateAssignmentRequest* request,
    v1::Assignment* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(std::string reply,
                     workflow_.CreateAssignment(ctx, KeyOf("CreateAssignment", ctx, *request),
                                                FromProto(*request),
                                                EncodeReply<model::AssignmentRecord>));
    return DecodeReply(reply, response);
  });
}

grpc::ServerUnaryReactor* GradingService::SubmitCopy(grpc::CallbackServerContext* context,
                                                     const v1::SubmitCopyRequest* request,
                                                     v1::Copy* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(std::string reply,
                     workflow_.SubmitCopy(ctx, KeyOf("SubmitCopy", ctx, *request),
                                          FromProto(*request), EncodeReply<model::CopyRecord>));
    return DecodeReply(reply, response);
  });
}

grpc::ServerUnaryReactor* GradingService::RequestSuggestion(
    grpc::CallbackServerContext* context, const v1::RequestSuggestionRequest* request,
    v1::Suggestion* response) {
  return Dispatch(context, provider_pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(std::string reply,
                     workflow_.RequestSuggestion(ctx, KeyOf("RequestSuggestion", ctx, *request),
                                                 FromProto(*request),
                                                 EncodeReply<model::SuggestionRecord>));
    return DecodeReply(reply, response);
  });
}

grpc::ServerUnaryReactor* GradingService::OpenReview(grpc::CallbackServerContext* context,
                                                     const v1::OpenReviewRequest* request,
                                                     v1::Review* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(std::string reply,
                     workflow_.OpenReview(ctx, KeyOf("OpenReview", ctx, *request),
                                          request->copy_id(), EncodeReply<model::ReviewRecord>));
    return DecodeReply(reply, response);
  });
}

grpc::ServerUnaryReactor* GradingService::SignOff(grpc::CallbackServerContext* context,
                                                  const v1::SignOffRequest* request,
                                                  v1::Decision* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(std::string reply,
                     workflow_.SignOff(ctx, KeyOf("SignOff", ctx, *request), FromProto(*request),
                                       EncodeReply<model::DecisionRecord>));
    return DecodeReply(reply, response);
  });
}

grpc::ServerUnaryReactor* GradingService::GetDecision(grpc::CallbackServerContext* context,
                                                      const v1::GetDecisionRequest* request,
                                                      v1::Decision* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(model::DecisionRecord decision,
                     workflow_.GetDecision(ctx, request->copy_id()));
    RETURN_IF_ERROR(workflow_.RecordTrailRead(ctx, "GetDecision", {{"copy_id", request->copy_id()}}));
    *response = ToProto(decision);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* GradingService::ListDecisions(grpc::CallbackServerContext* context,
                                                        const v1::ListDecisionsRequest* request,
                                                        v1::ListDecisionsResponse* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(workflow::DecisionPage page,
                     workflow_.ListDecisions(ctx, request->assignment_id(), request->page_size(),
                                             request->page_token(),
                                             request->include_superseded()));
    RETURN_IF_ERROR(workflow_.RecordTrailRead(
        ctx, "ListDecisions",
        {{"assignment_id", request->assignment_id()},
         {"include_superseded", request->include_superseded() ? "true" : "false"}}));
    for (const auto& d : page.decisions) *response->add_decisions() = ToProto(d);
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* GradingService::ListReleases(grpc::CallbackServerContext* context,
                                                       const v1::ListReleasesRequest* request,
                                                       v1::ListReleasesResponse* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(CallContext ctx, identity_.Identify(*context));
    ASSIGN_OR_RETURN(workflow::ReleasePage page,
                     workflow_.ListReleases(ctx, request->after_cursor(), request->page_size(),
                                            request->assignment_id()));
    for (const model::ReleaseRecord& r : page.releases) *response->add_releases() = ToProto(r);
    response->set_next_cursor(page.next_cursor);
    return absl::OkStatus();
  });
}

}  // namespace gardefou::server
