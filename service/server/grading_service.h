// The GradingAssist gRPC service: thin handlers from proto to workflow and back.
#pragma once

#include "gardefou/v1/grading.grpc.pb.h"
#include "service/server/caller_identity.h"
#include "service/server/worker_pool.h"
#include "service/workflow/workflow.h"

namespace gardefou::server {

class GradingService final : public v1::GradingAssist::CallbackService {
 public:
  // `identity` tells who calls; `pool` runs the handlers; `provider_pool` runs
  // RequestSuggestion, which waits on a remote provider, so that slow providers never hold the
  // threads other calls need.
  GradingService(const CallerIdentity& identity, workflow::Workflow& workflow, WorkerPool& pool,
                 WorkerPool& provider_pool)
      : identity_(identity), workflow_(workflow), pool_(pool), provider_pool_(provider_pool) {}

  grpc::ServerUnaryReactor* UpsertRoster(grpc::CallbackServerContext* context,
                                         const v1::UpsertRosterRequest* request,
                                         v1::UpsertRosterResponse* response) override;
  grpc::ServerUnaryReactor* CreateAssignment(grpc::CallbackServerContext* context,
                                             const v1::CreateAssignmentRequest* request,
                                             v1::Assignment* response) override;
  grpc::ServerUnaryReactor* SubmitCopy(grpc::CallbackServerContext* context,
                                       const v1::SubmitCopyRequest* request,
                                       v1::Copy* response) override;
  grpc::ServerUnaryReactor* RequestSuggestion(grpc::CallbackServerContext* context,
                                              const v1::RequestSuggestionRequest* request,
                                              v1::Suggestion* response) override;
  grpc::ServerUnaryReactor* OpenReview(grpc::CallbackServerContext* context,
                                       const v1::OpenReviewRequest* request,
                                       v1::Review* response) override;
  grpc::ServerUnaryReactor* SignOff(grpc::CallbackServerContext* context,
                                    const v1::SignOffRequest* request,
                                    v1::Decision* response) override;
  grpc::ServerUnaryReactor* GetDecision(grpc::CallbackServerContext* context,
                                        const v1::GetDecisionRequest* request,
                                        v1::Decision* response) override;
  grpc::ServerUnaryReactor* ListDecisions(grpc::CallbackServerContext* context,
                                          const v1::ListDecisionsRequest* request,
                                          v1::ListDecisionsResponse* response) override;

  // Safeguards (grading_service_safeguards.cc).
  grpc::ServerUnaryReactor* RecordProvisionalScores(
      grpc::CallbackServerContext* context, const v1::RecordProvisionalScoresRequest* request,
      v1::ProvisionalScores* response) override;
  grpc::ServerUnaryReactor* SecondMark(grpc::CallbackServerContext* context,
                                       const v1::SecondMarkRequest* request,
                                       v1::Decision* response) override;
  grpc::ServerUnaryReactor* RecordFamiliesInformed(
      grpc::CallbackServerContext* context, const v1::RecordFamiliesInformedRequest* request,
      v1::FamiliesInformed* response) override;
  grpc::ServerUnaryReactor* RecordObjection(grpc::CallbackServerContext* context,
                                            const v1::RecordObjectionRequest* request,
                                            v1::Objection* response) override;
  grpc::ServerUnaryReactor* OverrideObjection(grpc::CallbackServerContext* context,
                                              const v1::OverrideObjectionRequest* request,
                                              v1::Objection* response) override;
  grpc::ServerUnaryReactor* WithdrawObjection(grpc::CallbackServerContext* context,
                                              const v1::WithdrawObjectionRequest* request,
                                              v1::Objection* response) override;
  grpc::ServerUnaryReactor* ListObjections(grpc::CallbackServerContext* context,
                                           const v1::ListObjectionsRequest* request,
                                           v1::ListObjectionsResponse* response) override;
  grpc::ServerUnaryReactor* ListReleases(grpc::CallbackServerContext* context,
                                         const v1::ListReleasesRequest* request,
                                         v1::ListReleasesResponse* response) override;

 private:
  const CallerIdentity& identity_;
  workflow::Workflow& workflow_;
  WorkerPool& pool_;
  WorkerPool& provider_pool_;
};

}  // namespace gardefou::server
