// Every RPC × every role × own/foreign tenant × every transport, against the real server with
// verified identities. The expected code of a call for the caller's own tenant over a valid
// certificate is what the role's policy and the business rules give — the same call, in the
// same order, on a development server whose headers name the same person — except that
// checkpoints and proofs need a log-wide token; every other cell is refused (foreign tenant:
// PERMISSION_DENIED; no, expired or unknown certificate, or plaintext: UNAVAILABLE) and a
// refused call leaves every table as it was.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "policy/policy.h"
#include "service/common/roles.h"
#include "tests/support/test_server.h"
#include "tests/support/verified_server.h"

namespace gardefou::testing {
namespace {

struct Stubs {
  v1::GradingAssist::Stub& grading;
  v1::AuditTrail::Stub& trail;
};

// One call of an RPC with a request made from the scenario; `id` makes request ids unique.
using Call = std::function<grpc::Status(Stubs, const Scenario&, grpc::ClientContext*,
                                        const std::string& id)>;

struct Rpc {
  const char* name;
  Call call;
};

std::vector<Rpc> Rpcs() {
  return {
      {"UpsertRoster",
       [](Stubs st, const Scenario&, grpc::ClientContext* c, const std::string& id) {
         v1::UpsertRosterRequest r;
         r.set_request_id(id);
         r.set_class_id(kClass);
         r.mutable_school()->set_name("Collège Test");
         for (const char* t : {kTeacher, kOtherTeacher}) {
           v1::Person* p = r.add_teachers();
           p->set_id(t);
           p->set_first("Prof");
           p->set_last(t);
         }
         v1::Person* p = r.add_students();
         p->set_id(kStudent);
         p->set_first("Inès");
         p->set_last("Garnier");
         v1::UpsertRosterResponse out;
         return st.grading.UpsertRoster(c, r, &out);
       }},
      {"CreateAssignment",
       [](Stubs st, const Scenario& s, grpc::ClientContext* c, const std::string& id) {
         v1::CreateAssignmentRequest r;
         r.set_request_id(id);
         r.set_class_id(kClass);
         r.set_title("Devoir");
         r.set_instructions("Argumentez.");
         *r.mutable_rubric() = s.assignment.rubric();
         r.add_teacher_ids(kTeacher);
         v1::Assignment out;
         return st.grading.CreateAssignment(c, r, &out);
       }},
      {"SubmitCopy",
       [](Stubs st, const Scenario& s, grpc::ClientContext* c, const std::string& id) {
         v1::SubmitCopyRequest r;
         r.set_request_id(id);
         r.set_assignment_id(s.assignment.assignment_id());
         r.set_student_id(kStudent);
         r.set_text("Une autre copie, avec des exemples.");
         v1::Copy out;
         return st.grading.SubmitCopy(c, r, &out);
       }},
      {"RequestSuggestion",
       [](Stubs st, const Scenario& s, grpc::ClientContext* c, const std::string& id) {
         v1::RequestSuggestionRequest r;
         r.set_request_id(id);
         r.set_copy_id(s.copy.copy_id());
         r.set_purpose(v1::CORRECTION);
         v1::Suggestion out;
         return st.grading.RequestSuggestion(c, r, &out);
       }},
      {"OpenReview",
       [](Stubs st, const Scenario& s, grpc::ClientContext* c, const std::string& id) {
         v1::OpenReviewRequest r;
         r.set_request_id(id);
         r.set_copy_id(s.copy.copy_id());
         v1::Review out;
         return st.grading.OpenReview(c, r, &out);
       }},
      {"SignOff",
       [](Stubs st, const Scenario& s, grpc::ClientContext* c, const std::string& id) {
         v1::Decision out;
         return st.grading.SignOff(c, ValidSignOff(s, id), &out);
       }},
      {"GetDecision",
       [](Stubs st, const Scenario& s, grpc::ClientContext* c, const std::string&) {
         v1::GetDecisionRequest r;
         r.set_copy_id(s.copy.copy_id());
         v1::Decision out;
         return st.grading.GetDecision(c, r, &out);
       }},
      {"ListDecisions",
       [](Stubs st, const Scenario& s, grpc::ClientContext* c, const std::string&) {
         v1::ListDecisionsRequest r;
         r.set_assignment_id(s.assignment.assignment_id());
         v1::ListDecisionsResponse out;
         return st.grading.ListDecisions(c, r, &out);
       }},
      {"ListEvents",
       [](Stubs st, const Scenario&, grpc::ClientContext* c, const std::string&) {
         v1::ListEventsResponse out;
         return st.trail.ListEvents(c, {}, &out);
       }},
      {"VerifyTrail",
       [](Stubs st, const Scenario&, grpc::ClientContext* c, const std::string&) {
         v1::VerifyTrailResponse out;
         return st.trail.VerifyTrail(c, {}, &out);
       }},
      {"GetCheckpoint",
       [](Stubs st, const Scenario&, grpc::ClientContext* c, const std::string&) {
         v1::Checkpoint out;
         return st.trail.GetCheckpoint(c, {}, &out);
       }},
      {"GetInclusionProof",
       [](Stubs st, const Scenario&, grpc::ClientContext* c, const std::string&) {
         v1::GetInclusionProofRequest r;
         r.set_seq(1);
         v1::InclusionProof out;
         return st.trail.GetInclusionProof(c, r, &out);
       }},
      {"GetConsistencyProof",
       [](Stubs st, const Scenario&, grpc::ClientContext* c, const std::string&) {
         v1::GetConsistencyProofRequest r;
         r.set_first_size(1);
         v1::ConsistencyProof out;
         return st.trail.GetConsistencyProof(c, r, &out);
       }},
      {"RecordProvisionalScores",
       [](Stubs st, const Scenario& s, grpc::ClientContext* c, const std::string& id) {
         v1::RecordProvisionalScoresRequest r;
         r.set_request_id(id);
         r.set_review_id(s.review.review_id());
         for (const char* criterion : {"c1", "c2", "c3"}) {
           v1::ProvisionalScore* score = r.add_scores();
           score->set_criterion_id(criterion);
           score->set_points(1);
         }
         v1::ProvisionalScores out;
         return st.grading.RecordProvisionalScores(c, r, &out);
       }},
      {"SecondMark",
       [](Stubs st, const Scenario&, grpc::ClientContext* c, const std::string& id) {
         v1::SecondMarkRequest r;
         r.set_request_id(id);
         r.set_decision_id("dc-none");
         r.set_attest_copy_read(true);
         v1::Decision out;
         return st.grading.SecondMark(c, r, &out);
       }},
      {"RecordFamiliesInformed",
       [](Stubs st, const Scenario&, grpc::ClientContext* c, const std::string& id) {
         v1::RecordFamiliesInformedRequest r;
         r.set_request_id(id);
         r.set_class_id(kClass);
         r.set_informed_on("2026-09-02");
         v1::FamiliesInformed out;
         return st.grading.RecordFamiliesInformed(c, r, &out);
       }},
      {"RecordObjection",
       [](Stubs st, const Scenario&, grpc::ClientContext* c, const std::string& id) {
         v1::RecordObjectionRequest r;
         r.set_request_id(id);
         r.set_class_id(kClass);
         r.set_student_id(kStudent);
         r.set_received_on("2026-10-01");
         v1::Objection out;
         return st.grading.RecordObjection(c, r, &out);
       }},
      {"OverrideObjection",
       [](Stubs st, const Scenario&, grpc::ClientContext* c, const std::string& id) {
         v1::OverrideObjectionRequest r;
         r.set_request_id(id);
         r.set_objection_id("ob-none");
         r.set_justification("Indispensable : évaluation certificative prévue au projet.");
         v1::Objection out;
         return st.grading.OverrideObjection(c, r, &out);
       }},
      {"WithdrawObjection",
       [](Stubs st, const Scenario&, grpc::ClientContext* c, const std::string& id) {
         v1::WithdrawObjectionRequest r;
         r.set_request_id(id);
         r.set_objection_id("ob-none");
         v1::Objection out;
         return st.grading.WithdrawObjection(c, r, &out);
       }},
      {"ListObjections",
       [](Stubs st, const Scenario&, grpc::ClientContext* c, const std::string&) {
         v1::ListObjectionsRequest r;
         r.set_class_id(kClass);
         v1::ListObjectionsResponse out;
         return st.grading.ListObjections(c, r, &out);
       }},
  };
}

Caller As(const std::string& role, const std::string& tenant) {
  return {tenant, role == "teacher" ? kTeacher : role + "-1", role};
}

bool NeedsLogWide(const std::string& rpc) {
  return rpc == "GetCheckpoint" || rpc == "GetInclusionProof" || rpc == "GetConsistencyProof";
}

TEST(VerifiedMatrix, EveryRpcRoleTenantAndTransport) {
  VerifiedServer verified;
  TestServer dev;
  auto verified_context = [&](const Caller& c) { return verified.Context(c); };
  const Scenario vs = BuildScenario(verified.grading(), true, true, kTenant, verified_context);
  const Scenario ds = BuildScenario(dev.grading(), true, true, kTenant);
  const policy::Policy& policy = policy::Policy::Default();
  const Stubs v{verified.grading(), verified.trail()};
  const Stubs d{dev.grading(), dev.trail()};
  const ClientCert bad_transports[] = {ClientCert::kPlaintext, ClientCert::kNone,
                                       ClientCert::kExpired, ClientCert::kUnknownCa};
  std::map<ClientCert, std::pair<std::unique_ptr<v1::GradingAssist::Stub>,
                                 std::unique_ptr<v1::AuditTrail::Stub>>> bad_stubs;
  for (ClientCert client : bad_transports) {
    auto channel = verified.Channel(client);
    bad_stubs[client] = {v1::GradingAssist::NewStub(channel), v1::AuditTrail::NewStub(channel)};
  }
  int cells = 0, ok_cells = 0, n = 0;
  for (const Rpc& rpc : Rpcs()) {
    for (const absl::string_view role_name : common::kRoles) {
      const std::string role(role_name);
      SCOPED_TRACE(std::string(rpc.name) + " as " + role);
      const bool allowed = policy.CheckRole(role, rpc.name).ok();
      // Own tenant, valid certificate.
      {
        const std::string id = "m-" + std::to_string(++n);
        const grpc::Status dev_status =
            rpc.call(d, ds, TestServer::Context(As(role, kTenant)).get(), id);
        if (!dev_status.ok()) {
          EXPECT_NE(ReasonOf(dev_status), "<none>") << dev_status.error_message();
          EXPECT_NE(ReasonOf(dev_status), "<undecodable>") << dev_status.error_message();
        }
        grpc::StatusCode expected = dev_status.error_code();
        std::string expected_reason = ReasonOf(dev_status);
        if (!allowed) {
          expected = grpc::StatusCode::PERMISSION_DENIED;
          expected_reason = "ROLE_NOT_ALLOWED";
        } else if (NeedsLogWide(rpc.name)) {
          expected = grpc::StatusCode::PERMISSION_DENIED;
          expected_reason = "LOG_WIDE_ONLY";
        }
        const TableCounts before = verified.Counts();
        const grpc::Status status = rpc.call(v, vs, verified.Context(As(role, kTenant)).get(), id);
        EXPECT_EQ(status.error_code(), expected) << status.error_message();
        if (!status.ok()) {
          EXPECT_EQ(ReasonOf(status), expected_reason) << status.error_message();
          EXPECT_EQ(verified.Counts(), before);
        }
        ok_cells += status.ok();
        ++cells;
      }
      // Foreign tenant: ent-a does not serve it, whatever the token grants.
      {
        const TableCounts before = verified.Counts();
        const grpc::Status status = rpc.call(
            v, vs, verified.Context(As(role, kOtherTenant)).get(), "f-" + std::to_string(++n));
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << status.error_message();
        // Refused by the auth layer: the integration does not serve that tenant.
        EXPECT_EQ(ReasonOf(status), "TENANT_NOT_ALLOWED") << status.error_message();
        EXPECT_EQ(verified.Counts(), before);
        ++cells;
      }
      for (ClientCert client : bad_transports) {
        const TableCounts before = verified.Counts();
        auto context = verified.Context(As(role, kTenant));
        const grpc::Status status =
            rpc.call({*bad_stubs[client].first, *bad_stubs[client].second}, vs, context.get(),
                     "t-" + std::to_string(++n));
        EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
            << static_cast<int>(client) << ": " << status.error_message();
        // The client library's transport failure: the server never answered.
        EXPECT_EQ(ReasonOf(status), "<none>") << static_cast<int>(client);
        EXPECT_EQ(verified.Counts(), before);
        ++cells;
      }
    }
  }
  EXPECT_EQ(cells, 20 * 6 * 6);
  EXPECT_GE(ok_cells, 15) << "the allowed calls do go through";
}

}  // namespace
}  // namespace gardefou::testing
