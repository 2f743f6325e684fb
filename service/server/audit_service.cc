// Handlers of AuditTrail.
#include "service/server/audit_service.h"

#include "service/common/status_macros.h"
#include "service/server/call_metadata.h"
#include "service/server/dispatch.h"
#include "service/server/proto_convert.h"

namespace gardefou::server {

grpc::ServerUnaryReactor* AuditService::ListEvents(grpc::CallbackServerContext* context,
                                                   const v1::ListEventsRequest* request,
                                                   v1::ListEventsResponse* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(workflow::CallContext ctx, ReadCallContext(*context));
    ASSIGN_OR_RETURN(workflow::EventPage page,
                     workflow_.ListEvents(ctx, FromProto(*request), request->page_size(),
                                          request->page_token()));
    for (const auto& e : page.events) *response->add_events() = ToProto(e);
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AuditService::VerifyTrail(grpc::CallbackServerContext* context,
                                                    const v1::VerifyTrailRequest* /*request*/,
                                                    v1::VerifyTrailResponse* response) {
  return Dispatch(context, pool_, [=, this]() -> absl::Status {
    ASSIGN_OR_RETURN(workflow::CallContext ctx, ReadCallContext(*context));
    ASSIGN_OR_RETURN(audit::VerifyResult result, workflow_.VerifyTrail(ctx));
    response->set_ok(result.ok);
    response->set_events_checked(result.events_checked);
    response->set_first_bad_seq(result.first_bad_seq);
    response->set_problem(result.problem);
    response->set_head_hash(result.head_hash);
    return absl::OkStatus();
  });
}

}  // namespace gardefou::server
