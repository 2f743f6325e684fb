// Test support for the safeguard tests (objections, blind-first review, second marking, the
// inspector's report): a snapshot of every row, checks that a refused call wrote nothing, a
// policy builder, request builders and one-line wrappers of the gRPC calls they make.
#pragma once

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/test_server.h"

namespace gardefou::testing {

// The text of every copy the safeguard tests submit (the scenario's).
inline constexpr char kEssayText[] =
    "Les écrans sont utiles. Par exemple, les arguments et les exemples comptent.";

// A head of school's justification for overriding an objection.
inline constexpr char kJustification[] =
    "Épreuve d'examen blanc : la double correction assistée est indispensable.";

Caller Head(const std::string& tenant = kTenant);  // h-1, head_of_school
Caller Dpo(const std::string& tenant = kTenant);   // d-1, dpo

// Fails the current test unless `st` is OK, naming `what`.
void ExpectOk(const grpc::Status& st, const std::string& what);

// ---------------------------------------------------------------- what the database holds

// Every row of every table of the database (every table it has, new ones included), as text.
using TableRows = std::map<std::string, std::multiset<std::string>>;
TableRows AllRows(const std::filesystem::path& db_path);

// action, objects and details of an audit event.
struct StoredEvent {
  std::string action;
  std::string objects_json;
  std::string details_json;
};

// Every audit event, in order.
std::vector<StoredEvent> StoredEvents(const std::filesystem::path& db_path);

// The action of every audit event, in order.
std::vector<std::string> Actions(const std::filesystem::path& db_path);

// Row counts and every row, to compare before and after a call.
struct Snapshot {
  TableCounts counts;
  TableRows rows;
};
Snapshot Take(const TestServer& server);

// Runs a refused call: `code`, a message, `reason` as its ErrorInfo reason (the code's name,
// e.g. "NOT_FOUND", where no specific reason applies), and nothing written at all.
void ExpectRefused(const TestServer& server, grpc::StatusCode code, const std::string& reason,
                   const std::function<grpc::Status()>& call, const std::string& what);

// Fails the current test unless `st` is FAILED_PRECONDITION with `reason` in its message and
// as its ErrorInfo reason.
void ExpectFailedPrecondition(const grpc::Status& st, const std::string& reason,
                              const std::string& what);

// Runs an AI call refused by a safeguard: FAILED_PRECONDITION naming `reason` (in its message
// and as its ErrorInfo reason), and exactly one
// new audit event, AI_CALL_REFUSED (with its Merkle leaf); nothing else changes.
void ExpectAiCallRefused(const TestServer& server, const std::string& reason,
                         const std::function<grpc::Status()>& call, const std::string& what);

// ---------------------------------------------------------------- policy

// A policy named `name` (file `name`.conf) with the offline provider, the three purposes, the
// LMS and teacher roles of the safeguard calls, then `rest` (more roles and sections).
policy::Policy SafeguardPolicy(const std::string& name, const std::string& rest);

// ---------------------------------------------------------------- building a class

// A roster of `class_id` with kTeacher and kOtherTeacher and `pupils` ({id, first, last}),
// upserted by the LMS of `tenant`; fails the test on error.
void Roster(TestServer& server, const std::string& class_id,
            const std::vector<std::vector<std::string>>& pupils,
            const std::string& tenant = kTenant);

// A CreateAssignmentRequest for `class_id` titled "Essai" with the scenario's rubric (c1, c2,
// c3 out of 6, 8, 6) and `teacher_ids`.
v1::CreateAssignmentRequest EssayAssignment(const std::string& request_id,
                                            const std::string& class_id,
                                            const std::vector<std::string>& teacher_ids);

// Creates `create` as the LMS of `tenant`; fails the test on error.
v1::Assignment AddAssignment(TestServer& server, const v1::CreateAssignmentRequest& create,
                             const std::string& tenant = kTenant);

// Submits kEssayText as `student`'s copy for `assignment_id`, as the LMS of `tenant`; fails the
// test on error.
v1::Copy SubmitEssay(TestServer& server, const std::string& assignment_id,
                     const std::string& student, const std::string& request_id,
                     const std::string& tenant = kTenant);

// Opens kTeacher's review of the copy; fails the test on error.
v1::Review Open(TestServer& server, const std::string& copy_id, const std::string& request_id);

// ---------------------------------------------------------------- the calls

// RequestSuggestion for `purpose` by `caller`; the suggestion goes to `out` when given.
grpc::Status Ask(TestServer& server, const Caller& caller, const std::string& copy_id,
                 v1::Purpose purpose, const std::string& request_id,
                 v1::Suggestion* out = nullptr);

// (criterion id, points) pairs.
using Marks = std::vector<std::pair<std::string, double>>;

// RecordProvisionalScores of `marks` on the review, by `caller`.
grpc::Status Provisional(TestServer& server, const Caller& caller, const std::string& review_id,
                         const Marks& marks, const std::string& request_id,
                         v1::ProvisionalScores* out = nullptr);

// SignOff of `sign` by kTeacher.
grpc::Status Sign(TestServer& server, const v1::SignOffRequest& sign,
                  v1::Decision* out = nullptr);

// SecondMark of the decision by `caller`: co-signed as it is when `scores` is empty, amended
// to `scores` otherwise.
grpc::Status SecondMark(TestServer& server, const Caller& caller, const std::string& decision_id,
                        const std::string& request_id, v1::Decision* out = nullptr,
                        const std::vector<v1::CriterionScore>& scores = {},
                        bool attest = true);

// RecordObjection by `caller` for a pupil of the class.
grpc::Status Object(TestServer& server, const Caller& caller, const std::string& class_id,
                    const std::string& student_id, const std::string& received_on,
                    const std::string& request_id, v1::Objection* out = nullptr);

// OverrideObjection by `caller`, with its justification.
grpc::Status Override(TestServer& server, const Caller& caller, const std::string& objection_id,
                      const std::string& justification, const std::string& request_id,
                      v1::Objection* out = nullptr);

// WithdrawObjection by `caller`.
grpc::Status Withdraw(TestServer& server, const Caller& caller, const std::string& objection_id,
                      const std::string& request_id, v1::Objection* out = nullptr);

// ---------------------------------------------------------------- sign-offs

// The proposed points of every criterion of the evaluation, in order.
std::vector<double> Proposals(const v1::Suggestion& evaluation);

// The points of `marks`, in order.
std::vector<double> PointsOf(const Marks& marks);

// TEACHER_ONLY scores: `points[i]` for criterion c<i+1>.
std::vector<v1::CriterionScore> TeacherOnly(const std::vector<double>& points);

// A sign-off of the copy without suggestion: TEACHER_ONLY `points`, the reading attested.
v1::SignOffRequest TeacherOnlySignOff(const std::string& copy_id, const std::string& review_id,
                                      const std::vector<double>& points,
                                      const std::string& request_id);

// A sign-off of `s` from its evaluation: `points[i]` for criterion i, ACCEPTED_SUGGESTION when
// equal to the proposal, MODIFIED otherwise; the notice repeated, the reading attested.
v1::SignOffRequest SignOffWith(const Scenario& s, const std::vector<double>& points,
                               const std::string& request_id);

}  // namespace gardefou::testing
