// The AuditTrail gRPC service: listing and verifying the audit trail, checkpoints and proofs.
#pragma once

#include "gardefou/v1/audit.grpc.pb.h"
#include "service/server/caller_identity.h"
#include "service/server/worker_pool.h"
#include "service/workflow/audit_log.h"
#include "service/workflow/workflow.h"

namespace gardefou::server {

class AuditService final : public v1::AuditTrail::CallbackService {
 public:
  // `pool` runs checkpoints and proofs; `trail_pool` runs ListEvents and VerifyTrail, which
  // read much of the log, so that a storm of them never holds the threads of other calls.
  AuditService(const CallerIdentity& identity, workflow::Workflow& workflow,
               workflow::AuditLog& log, WorkerPool& pool, WorkerPool& trail_pool)
      : identity_(identity), workflow_(workflow), log_(log), pool_(pool), trail_pool_(trail_pool) {}

  grpc::ServerUnaryReactor* ListEvents(grpc::CallbackServerContext* context,
                                       const v1::ListEventsRequest* request,
                                       v1::ListEventsResponse* response) override;
  grpc::ServerUnaryReactor* VerifyTrail(grpc::CallbackServerContext* context,
                                        const v1::VerifyTrailRequest* request,
                                        v1::VerifyTrailResponse* response) override;
  grpc::ServerUnaryReactor* GetCheckpoint(grpc::CallbackServerContext* context,
                                          const v1::GetCheckpointRequest* request,
                                          v1::Checkpoint* response) override;
  grpc::ServerUnaryReactor* GetInclusionProof(grpc::CallbackServerContext* context,
                                              const v1::GetInclusionProofRequest* request,
                                              v1::InclusionProof* response) override;
  grpc::ServerUnaryReactor* GetConsistencyProof(grpc::CallbackServerContext* context,
                                                const v1::GetConsistencyProofRequest* request,
                                                v1::ConsistencyProof* response) override;

 private:
  const CallerIdentity& identity_;
  workflow::Workflow& workflow_;
  workflow::AuditLog& log_;
  WorkerPool& pool_;
  WorkerPool& trail_pool_;
};

}  // namespace gardefou::server
