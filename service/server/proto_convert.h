// Conversions between the public protos and the store's records, in both directions.
#pragma once

#include <vector>

#include "gardefou/v1/audit.pb.h"
#include "gardefou/v1/grading.pb.h"
#include "service/store/records.h"
#include "service/workflow/workflow.h"

namespace gardefou::server {

model::RosterRecord FromProto(const v1::UpsertRosterRequest& request);
model::AssignmentRecord FromProto(const v1::CreateAssignmentRequest& request);
workflow::SubmitCopyInput FromProto(const v1::SubmitCopyRequest& request);
workflow::SuggestionInput FromProto(const v1::RequestSuggestionRequest& request);
workflow::SignOffInput FromProto(const v1::SignOffRequest& request);
workflow::SecondMarkInput FromProto(const v1::SecondMarkRequest& request);
workflow::ObjectionInput FromProto(const v1::RecordObjectionRequest& request);
std::vector<model::ScoreRecord> FromProto(
    const google::protobuf::RepeatedPtrField<v1::ProvisionalScore>& scores);
store::AuditQuery FromProto(const v1::ListEventsRequest& request);

v1::UpsertRosterResponse ToProto(const workflow::RosterSummary& summary);
v1::Assignment ToProto(const model::AssignmentRecord& assignment);
v1::Copy ToProto(const model::CopyRecord& copy);
v1::Suggestion ToProto(const model::SuggestionRecord& suggestion);
v1::Review ToProto(const model::ReviewRecord& review);
v1::Decision ToProto(const model::DecisionRecord& decision);
v1::ProvisionalScores ToProto(const model::ProvisionalScoresRecord& scores);
v1::FamiliesInformed ToProto(const model::FamiliesInformedRecord& record);
v1::Objection ToProto(const model::ObjectionRecord& objection);
v1::Release ToProto(const model::ReleaseRecord& release);
v1::AuditEvent ToProto(const model::AuditEventRecord& event);

}  // namespace gardefou::server
