// The AuditTrail gRPC service: listing and verifying the audit trail.
#pragma once

#include "gardefou/v1/audit.grpc.pb.h"
#include "service/server/worker_pool.h"
#include "service/workflow/workflow.h"

namespace gardefou::server {

class AuditService final : public v1::AuditTrail::CallbackService {
 public:
  AuditService(workflow::Workflow& workflow, WorkerPool& pool)
      : workflow_(workflow), pool_(pool) {}

  grpc::ServerUnaryReactor* ListEvents(grpc::CallbackServerContext* context,
                                       const v1::ListEventsRequest* request,
                                       v1::ListEventsResponse* response) override;
  grpc::ServerUnaryReactor* VerifyTrail(grpc::CallbackServerContext* context,
                                        const v1::VerifyTrailRequest* request,
                                        v1::VerifyTrailResponse* response) override;

 private:
  workflow::Workflow& workflow_;
  WorkerPool& pool_;
};

}  // namespace gardefou::server
