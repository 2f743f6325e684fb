// Verified identities through the real server over mutual TLS: each way a token or a
// certificate can be wrong is refused with its code and writes nothing; what is accepted is
// attributed to the token's subject, and the trail says how the caller was proven.
#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/match.h"

#include "tests/support/test_server.h"
#include "tests/support/verified_server.h"

namespace gardefou::testing {
namespace {

using nlohmann::json;

// GetDecision as a teacher of kTenant carrying `token`: a read that needs a person.
grpc::Status ReadAsTeacher(VerifiedServer& server, const Scenario& s, const std::string& token) {
  v1::GetDecisionRequest request;
  request.set_copy_id(s.copy.copy_id());
  v1::Decision decision;
  return server.grading().GetDecision(VerifiedServer::WithToken(kTenant, token).get(), request,
                                      &decision);
}

// SignOff carrying `token`: the call an attacker wants most.
grpc::Status SignOffWith(VerifiedServer& server, const Scenario& s, const std::string& token,
                         const std::string& request_id) {
  v1::Decision decision;
  return server.grading().SignOff(VerifiedServer::WithToken(kTenant, token).get(),
                                  ValidSignOff(s, request_id), &decision);
}

class VerifiedIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    s_ = BuildScenario(server_.grading(), true, true, kTenant,
                       [this](const Caller& c) { return server_.Context(c); });
  }
  const Credentials& creds() const { return server_.credentials(); }
  json TeacherClaims() const { return creds().Claims(kTeacher, "teacher", {kTenant}); }

  VerifiedServer server_;
  Scenario s_;
};

TEST_F(VerifiedIdentityTest, EveryBadTokenIsRefusedAndWritesNothing) {
  const TokenKey stranger_key(TokenKeyKind::kEd25519, "idp-key-1");  // same kid, other key
  const TokenKey unknown_kid(TokenKeyKind::kEd25519, "idp-key-9");
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auto with = [&](const char* claim, json value) {
    json claims = TeacherClaims();
    claims[claim] = std::move(value);
    return creds().key().Sign(claims);
  };
  std::string bad_signature = creds().key().Sign(TeacherClaims());
  bad_signature[bad_signature.size() - 5] =
      bad_signature[bad_signature.size() - 5] == 'A' ? 'B' : 'A';
  const struct {
    const char* what;
    std::string token;
    grpc::StatusCode code;
  } cases[] = {
      {"expired", with("exp", now - 120), grpc::StatusCode::UNAUTHENTICATED},
      {"not yet valid", with("nbf", now + 600), grpc::StatusCode::UNAUTHENTICATED},
      {"wrong aud", with("aud", "another-service"), grpc::StatusCode::UNAUTHENTICATED},
      {"wrong iss", with("iss", "https://idp.evil.example/"), grpc::StatusCode::UNAUTHENTICATED},
      {"alg none", UnsignedToken(TeacherClaims(), "idp-key-1"), grpc::StatusCode::UNAUTHENTICATED},
      {"HS256 with the public key",
       Hs256Token(TeacherClaims(), creds().key().PublicPem(), "idp-key-1"),
       grpc::StatusCode::UNAUTHENTICATED},
      {"unknown kid", unknown_kid.Sign(TeacherClaims()), grpc::StatusCode::UNAUTHENTICATED},
      {"signed by another key", stranger_key.Sign(TeacherClaims()),
       grpc::StatusCode::UNAUTHENTICATED},
      {"bad signature", bad_signature, grpc::StatusCode::UNAUTHENTICATED},
      {"garbage", "not.a.token", grpc::StatusCode::UNAUTHENTICATED},
      {"tenant outside the token", with("gardefou_tenants", json::array({kOtherTenant})),
       grpc::StatusCode::PERMISSION_DENIED},
      {"unknown role", with("gardefou_role", "superuser"), grpc::StatusCode::PERMISSION_DENIED},
      {"lms role claimed by a person", with("gardefou_role", "lms"),
       grpc::StatusCode::PERMISSION_DENIED},
  };
  const TableCounts before = server_.Counts();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(SignOffWith(server_, s_, c.token, std::string("sign-") + c.what).error_code(),
              c.code);
    EXPECT_EQ(ReadAsTeacher(server_, s_, c.token).error_code(), c.code);
  }
  EXPECT_EQ(server_.Counts(), before);
}

TEST_F(VerifiedIdentityTest, RoleNotAllowedForTheIntegrationIsRefused) {
  // ent-b serves kOtherTenant for lms and teacher only: an inspector token is refused there.
  auto trail = v1::AuditTrail::NewStub(server_.Channel(ClientCert::kEntB));
  const TableCounts before = server_.Counts();
  v1::ListEventsResponse events;
  grpc::Status status = trail->ListEvents(
      VerifiedServer::WithToken(kOtherTenant,
                                creds().Token("insp-1", "inspector", {kOtherTenant}))
          .get(),
      {}, &events);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  // ent-a does not serve kOtherTenant, whatever the token says.
  status = server_.trail().ListEvents(
      VerifiedServer::WithToken(kOtherTenant, creds().Token("insp-1", "inspector", {"*"})).get(),
      {}, &events);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(server_.Counts(), before);
}

TEST_F(VerifiedIdentityTest, HeadersClaimingAnotherActorAreIgnored) {
  // A token for the other teacher with headers claiming the assignment's teacher: the token's
  // subject is the actor, and it is not entitled.
  auto context =
      VerifiedServer::WithToken(kTenant, creds().Token(kOtherTeacher, "teacher", {kTenant}));
  context->AddMetadata("x-gardefou-actor", kTeacher);
  context->AddMetadata("x-gardefou-role", "admin");
  const TableCounts before = server_.Counts();
  v1::Decision decision;
  grpc::Status status = server_.grading().SignOff(context.get(), ValidSignOff(s_), &decision);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_EQ(server_.Counts(), before);
  // With no token at all, the headers make the call an integration's (lms), which may not sign.
  context = VerifiedServer::WithToken(kTenant, "");
  context->AddMetadata("x-gardefou-actor", kTeacher);
  context->AddMetadata("x-gardefou-role", "teacher");
  status = server_.grading().SignOff(context.get(), ValidSignOff(s_), &decision);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(server_.Counts(), before);
}

TEST_F(VerifiedIdentityTest, ASignOffIsAttributedToTheVerifiedSubjectAndTheTrailSaysHow) {
  const std::string token = creds().Token(kTeacher, "teacher", {kTenant});
  ASSERT_TRUE(SignOffWith(server_, s_, token, "sign-1").ok());
  v1::ListEventsRequest request;
  request.set_action("DECISION_SIGNED");
  v1::ListEventsResponse events;
  ASSERT_TRUE(server_.trail()
                  .ListEvents(VerifiedServer::WithToken(
                                  kTenant, creds().Token("insp-1", "inspector", {kTenant}))
                                  .get(),
                              request, &events)
                  .ok());
  ASSERT_EQ(events.events_size(), 1);
  const v1::AuditEvent& e = events.events(0);
  EXPECT_EQ(e.actor_id(), kTeacher);
  EXPECT_EQ(e.actor_role(), "teacher");
  const json details = json::parse(e.details_json());
  EXPECT_EQ(details["caller"]["identity_mode"], "verified");
  EXPECT_EQ(details["caller"]["integration"], "ent-a");
  EXPECT_EQ(details["caller"]["issuer"], "idp");
  EXPECT_TRUE(absl::StartsWith(details["caller"]["token"].get<std::string>(), "jti-"));
  EXPECT_EQ(e.details_json().find(token.substr(0, 20)), std::string::npos) << "never the token";
}

TEST_F(VerifiedIdentityTest, TransportWithoutAValidClientCertificateIsRefused) {
  for (ClientCert client : {ClientCert::kPlaintext, ClientCert::kNone, ClientCert::kExpired,
                            ClientCert::kUnknownCa}) {
    SCOPED_TRACE(static_cast<int>(client));
    auto grading = v1::GradingAssist::NewStub(server_.Channel(client));
    const TableCounts before = server_.Counts();
    v1::Decision decision;
    auto context = server_.Context(Teacher());
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
    const grpc::Status status = grading->SignOff(context.get(), ValidSignOff(s_, "t"), &decision);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
    EXPECT_EQ(server_.Counts(), before);
  }
}

TEST_F(VerifiedIdentityTest, AnIntegrationOverItsRateIsToldToBackOff) {
  auto grading = v1::GradingAssist::NewStub(server_.Channel(ClientCert::kEntB));
  int exhausted = 0;
  for (int i = 0; i < 60; ++i) {
    v1::GetDecisionRequest request;
    request.set_copy_id("c-unknown");
    v1::Decision decision;
    const grpc::Status status = grading->GetDecision(
        VerifiedServer::WithToken(kOtherTenant, creds().Token(kTeacher, "teacher", {kOtherTenant}))
            .get(),
        request, &decision);
    exhausted += status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED;
  }
  EXPECT_GE(exhausted, 15) << "burst 40 at 1/s: about 20 of 60 quick calls are refused";
  EXPECT_LE(exhausted, 20);
}

TEST_F(VerifiedIdentityTest, ATenantScopedInspectorSeesItsShareOnly) {
  const std::string scoped = creds().Token("insp-1", "inspector", {kTenant});
  v1::VerifyTrailResponse verified;
  ASSERT_TRUE(server_.trail()
                  .VerifyTrail(VerifiedServer::WithToken(kTenant, scoped).get(), {}, &verified)
                  .ok());
  EXPECT_TRUE(verified.ok());
  v1::Checkpoint checkpoint;
  v1::GetCheckpointRequest sign;
  sign.set_sign_now(true);
  const TableCounts before = server_.Counts();
  EXPECT_EQ(server_.trail()
                .GetCheckpoint(VerifiedServer::WithToken(kTenant, scoped).get(), sign, &checkpoint)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(server_.Counts(), before);
  const std::string log_wide = creds().Token("insp-1", "inspector", {"*"});
  EXPECT_TRUE(server_.trail()
                  .GetCheckpoint(VerifiedServer::WithToken(kTenant, log_wide).get(), sign,
                                 &checkpoint)
                  .ok());
}

TEST_F(VerifiedIdentityTest, AnInspectorsPeriodLimitsWhatItLists) {
  json claims = creds().Claims("insp-1", "inspector", {kTenant});
  claims["gardefou_until"] = 1000000000;  // 2001: before anything here happened
  v1::ListEventsResponse events;
  ASSERT_TRUE(server_.trail()
                  .ListEvents(VerifiedServer::WithToken(kTenant, creds().key().Sign(claims)).get(),
                              {}, &events)
                  .ok());
  EXPECT_EQ(events.events_size(), 0);
  ASSERT_TRUE(server_.trail()
                  .ListEvents(VerifiedServer::WithToken(
                                  kTenant, creds().Token("insp-1", "inspector", {kTenant}))
                                  .get(),
                              {}, &events)
                  .ok());
  EXPECT_GT(events.events_size(), 0);
}

TEST_F(VerifiedIdentityTest, PageTokensAreBoundToTheCallerAndTheQuery) {
  const std::string inspector = creds().Token("insp-1", "inspector", {kTenant});
  v1::ListEventsRequest request;
  request.set_page_size(2);
  v1::ListEventsResponse page;
  ASSERT_TRUE(server_.trail()
                  .ListEvents(VerifiedServer::WithToken(kTenant, inspector).get(), request, &page)
                  .ok());
  ASSERT_FALSE(page.next_page_token().empty());
  v1::ListEventsRequest next = request;
  next.set_page_token(page.next_page_token());
  v1::ListEventsResponse second;
  EXPECT_TRUE(server_.trail()
                  .ListEvents(VerifiedServer::WithToken(kTenant, inspector).get(), next, &second)
                  .ok());

  const TableCounts before = server_.Counts();
  // Another caller, another filter, a forged position.
  const std::string dpo = creds().Token("dpo-1", "dpo", {kTenant});
  EXPECT_EQ(server_.trail()
                .ListEvents(VerifiedServer::WithToken(kTenant, dpo).get(), next, &second)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListEventsRequest filtered = next;
  filtered.set_action("DECISION_SIGNED");
  EXPECT_EQ(server_.trail()
                .ListEvents(VerifiedServer::WithToken(kTenant, inspector).get(), filtered, &second)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListEventsRequest forged = request;
  forged.set_page_token("cDE6MQ");  // "p1:1", the old unauthenticated form
  EXPECT_EQ(server_.trail()
                .ListEvents(VerifiedServer::WithToken(kTenant, inspector).get(), forged, &second)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(server_.Counts(), before);
}

}  // namespace
}  // namespace gardefou::testing
