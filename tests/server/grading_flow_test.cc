// Integration: the whole human-in-the-loop flow against a real server on a loopback port.
#include <functional>
#include <map>

#include <grpcpp/health_check_service_interface.h>
#include <gtest/gtest.h>

#include "service/audit/decision_events.h"
#include "service/audit/safeguard_events.h"
#include "service/audit/grading_events.h"
#include "service/audit/suggestion_events.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

TEST(GradingFlow, NoGradeBeforeSignOffThenExactlyTheTeachersDecision) {
  TestServer server;
  Scenario s = BuildScenario(server.grading());
  ASSERT_EQ(s.evaluation.state(), v1::READY);
  ASSERT_EQ(s.evaluation.criteria_size(), 3);
  EXPECT_TRUE(s.evaluation.heuristic());

  v1::GetDecisionRequest get;
  get.set_copy_id(s.copy.copy_id());
  v1::Decision decision;
  grpc::Status refused = server.grading().GetDecision(TestServer::Context(Lms()).get(), get,
                                                      &decision);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(refused), "NOT_SIGNED_OFF");

  v1::SignOffRequest sign = ValidSignOff(s);
  v1::Decision signed_decision;
  ASSERT_TRUE(server.grading()
                  .SignOff(TestServer::Context(Teacher()).get(), sign, &signed_decision)
                  .ok());
  ASSERT_TRUE(server.grading().GetDecision(TestServer::Context(Lms()).get(), get, &decision).ok());
  EXPECT_EQ(decision.decision_id(), signed_decision.decision_id());
  EXPECT_EQ(decision.status(), v1::ACTIVE);
  EXPECT_EQ(decision.teacher_id(), kTeacher);
  ASSERT_EQ(decision.scores_size(), 3);
  double total = 0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(decision.scores(i).points(), sign.scores(i).points());
    EXPECT_EQ(decision.scores(i).origin(), sign.scores(i).origin());
    total += sign.scores(i).points();
  }
  EXPECT_DOUBLE_EQ(decision.total_points(), total);
  EXPECT_DOUBLE_EQ(decision.max_points(), 20);
}

TEST(GradingFlow, CorrectionSupersedesWithReasonAndListShowsOnlyTheActiveDecision) {
  TestServer server;
  Scenario s = BuildScenario(server.grading());
  v1::Decision first;
  ASSERT_TRUE(server.grading().SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s),
                                       &first).ok());

  v1::OpenReviewRequest reopen;
  reopen.set_request_id("review-2");
  reopen.set_copy_id(s.copy.copy_id());
  ASSERT_TRUE(server.grading().OpenReview(TestServer::Context(Teacher()).get(), reopen,
                                          &s.review).ok());
  v1::SignOffRequest second = ValidSignOff(s, "sign-2");
  second.mutable_scores(2)->set_points(6);

  // Without naming the decision it replaces, the correction is refused.
  v1::Decision out;
  grpc::Status refused = server.grading().SignOff(TestServer::Context(Teacher()).get(), second,
                                                  &out);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(refused), "ALREADY_SIGNED_OFF") << refused.error_message();
  second.set_supersedes_decision_id(first.decision_id());
  refused = server.grading().SignOff(TestServer::Context(Teacher()).get(), second, &out);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);  // no reason
  EXPECT_EQ(ReasonOf(refused), "INVALID_ARGUMENT") << refused.error_message();
  second.set_supersede_reason("Erreur de report sur le critère 3.");
  ASSERT_TRUE(server.grading().SignOff(TestServer::Context(Teacher()).get(), second, &out).ok());
  EXPECT_EQ(out.supersedes_decision_id(), first.decision_id());

  v1::ListDecisionsRequest list;
  list.set_assignment_id(s.assignment.assignment_id());
  v1::ListDecisionsResponse listed;
  ASSERT_TRUE(server.grading().ListDecisions(TestServer::Context(Lms()).get(), list, &listed).ok());
  ASSERT_EQ(listed.decisions_size(), 1);
  EXPECT_EQ(listed.decisions(0).decision_id(), out.decision_id());

  list.set_include_superseded(true);
  list.set_page_size(1);
  ASSERT_TRUE(server.grading().ListDecisions(TestServer::Context(Lms()).get(), list, &listed).ok());
  ASSERT_EQ(listed.decisions_size(), 1);
  EXPECT_EQ(listed.decisions(0).status(), v1::SUPERSEDED);
  ASSERT_FALSE(listed.next_page_token().empty());
  list.set_page_token(listed.next_page_token());
  ASSERT_TRUE(server.grading().ListDecisions(TestServer::Context(Lms()).get(), list, &listed).ok());
  ASSERT_EQ(listed.decisions_size(), 1);
  EXPECT_EQ(listed.decisions(0).decision_id(), out.decision_id());
  EXPECT_TRUE(listed.next_page_token().empty());
}

TEST(GradingFlow, EveryStateChangeIsAuditedAndTheChainVerifies) {
  TestServer server;
  Scenario s = BuildScenario(server.grading());
  v1::Decision decision;
  ASSERT_TRUE(server.grading().SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s),
                                       &decision).ok());
  v1::ListEventsRequest request;
  v1::ListEventsResponse events;
  ASSERT_TRUE(server.trail().ListEvents(TestServer::Context(Inspector()).get(), request,
                                        &events).ok());
  std::vector<std::string> actions;
  for (const auto& e : events.events()) {
    actions.push_back(e.action());
    EXPECT_EQ(e.tenant(), kTenant);
    EXPECT_EQ(e.policy_hash().size(), 64u);
    EXPECT_EQ(e.details_json().find("Garnier"), std::string::npos) << "names never enter events";
    EXPECT_EQ(e.details_json().find("Inès"), std::string::npos);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"ROSTER_UPSERTED", "FAMILIES_INFORMED",
                                               "ASSIGNMENT_CREATED",
                                               "COPY_SUBMITTED", "SUGGESTION_RECORDED",
                                               "SUGGESTION_RECORDED", "REVIEW_OPENED",
                                               "DECISION_SIGNED"}));
  const std::string& signed_details = events.events(7).details_json();
  EXPECT_NE(signed_details.find("\"ai_points\""), std::string::npos);
  EXPECT_NE(signed_details.find("\"ACCEPTED_SUGGESTION\""), std::string::npos);
  EXPECT_NE(signed_details.find("\"review_duration_ms\""), std::string::npos);

  request.set_action("DECISION_SIGNED");
  ASSERT_TRUE(server.trail().ListEvents(TestServer::Context(Inspector()).get(), request,
                                        &events).ok());
  EXPECT_EQ(events.events_size(), 1);
  request.clear_action();
  request.set_object_id(decision.decision_id());
  ASSERT_TRUE(server.trail().ListEvents(TestServer::Context(Inspector()).get(), request,
                                        &events).ok());
  EXPECT_EQ(events.events_size(), 1);

  v1::VerifyTrailResponse verified;
  ASSERT_TRUE(server.trail().VerifyTrail(TestServer::Context(Inspector()).get(), {}, &verified)
                  .ok());
  EXPECT_TRUE(verified.ok());
  EXPECT_EQ(verified.events_checked(), 11) << "8 state changes and the inspector's 3 listings";
  request.Clear();
  request.set_action("TRAIL_READ");
  ASSERT_TRUE(server.trail().ListEvents(TestServer::Context(Inspector()).get(), request,
                                        &events).ok());
  ASSERT_EQ(events.events_size(), 4) << "3 listings and the verification";
  EXPECT_EQ(events.events(0).actor_role(), "inspector");
  EXPECT_NE(events.events(1).details_json().find("\"action\":\"DECISION_SIGNED\""),
            std::string::npos) << "the filter is recorded: " << events.events(1).details_json();
  EXPECT_NE(events.events(3).details_json().find("\"identity_mode\":\"dev-headers\""),
            std::string::npos) << events.events(3).details_json();
}

TEST(GradingFlow, ReplayedRequestIdGivesTheSameAnswerAndWritesNothing) {
  TestServer server;
  Scenario s = BuildScenario(server.grading());
  v1::Decision first, again;
  const v1::SignOffRequest sign = ValidSignOff(s);
  ASSERT_TRUE(server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &first).ok());
  const TableCounts before = server.Counts();
  ASSERT_TRUE(server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &again).ok());
  EXPECT_EQ(first.SerializeAsString(), again.SerializeAsString());
  EXPECT_EQ(server.Counts(), before);

  // The same request_id with other content is refused, still without writing.
  v1::SignOffRequest changed = sign;
  changed.set_final_comment("Autre chose.");
  const grpc::Status reused =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), changed, &again);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ReasonOf(reused), "REQUEST_ID_REUSED") << reused.error_message();
  EXPECT_EQ(server.Counts(), before);

  v1::SubmitCopyRequest submit;
  submit.set_request_id("copy-1");  // used by the scenario
  submit.set_assignment_id(s.assignment.assignment_id());
  submit.set_student_id(kStudent);
  submit.set_text("Les écrans sont utiles. Par exemple, les arguments et les exemples comptent.");
  v1::Copy replayed;
  ASSERT_TRUE(server.grading().SubmitCopy(TestServer::Context(Lms()).get(), submit, &replayed)
                  .ok());
  EXPECT_EQ(replayed.copy_id(), s.copy.copy_id());
  EXPECT_EQ(server.Counts(), before);
}

// The workflow fills every field of its typed events: each event the flow writes, as stored
// (with its caller), reads back as its type (service/audit/*_events.h).
TEST(GradingFlow, EveryEventReadsBackAsItsTypedEvent) {
  TestServer server;
  Scenario s = BuildScenario(server.grading());
  v1::Decision decision;
  ASSERT_TRUE(server.grading().SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s),
                                       &decision).ok());
  v1::ListEventsRequest request;
  v1::ListEventsResponse events;
  for (int i = 0; i < 2; ++i) {  // the second listing sees the first one's TRAIL_READ
    ASSERT_TRUE(server.trail().ListEvents(TestServer::Context(Inspector()).get(), request,
                                          &events).ok());
  }
  using Check = std::function<void(const model::AuditEventRecord&)>;
  const std::map<std::string, Check> checks = {
      {audit::RosterUpserted::kAction,
       [&](const model::AuditEventRecord& e) {
         auto event = audit::RosterUpserted::Parse(e);
         ASSERT_TRUE(event.ok()) << event.status();
         EXPECT_EQ(event->class_id, kClass);
         EXPECT_GT(event->student_count, 0);
       }},
      {audit::AssignmentCreated::kAction,
       [&](const model::AuditEventRecord& e) {
         auto event = audit::AssignmentCreated::Parse(e);
         ASSERT_TRUE(event.ok()) << event.status();
         EXPECT_EQ(event->assignment_id, s.assignment.assignment_id());
         EXPECT_EQ(event->criteria.size(), 3u);
         EXPECT_EQ(event->teacher_ids, std::vector<std::string>{kTeacher});
       }},
      {audit::CopySubmitted::kAction,
       [&](const model::AuditEventRecord& e) {
         auto event = audit::CopySubmitted::Parse(e);
         ASSERT_TRUE(event.ok()) << event.status();
         EXPECT_EQ(event->copy_id, s.copy.copy_id());
         EXPECT_EQ(event->content_sha256.size(), 64u);
         EXPECT_GT(event->size_bytes, 0u);
       }},
      {audit::SuggestionRecorded::kAction,
       [&](const model::AuditEventRecord& e) {
         auto event = audit::SuggestionRecorded::Parse(e);
         ASSERT_TRUE(event.ok()) << event.status();
         EXPECT_EQ(event->copy_id, s.copy.copy_id());
         EXPECT_TRUE(event->ready);
         EXPECT_TRUE(event->suggestion_id == s.evaluation.suggestion_id() ||
                     event->suggestion_id == s.extra_work.suggestion_id());
         if (event->suggestion_id == s.evaluation.suggestion_id()) {
           EXPECT_EQ(event->purpose, "EVALUATION");
           EXPECT_EQ(event->proposed_points.size(), 3u);
         }
       }},
      {audit::ReviewOpened::kAction,
       [&](const model::AuditEventRecord& e) {
         auto event = audit::ReviewOpened::Parse(e);
         ASSERT_TRUE(event.ok()) << event.status();
         EXPECT_EQ(event->review_id, s.review.review_id());
         EXPECT_EQ(event->teacher_id, kTeacher);
       }},
      {audit::DecisionSigned::kAction,
       [&](const model::AuditEventRecord& e) {
         auto event = audit::DecisionSigned::Parse(e);
         ASSERT_TRUE(event.ok()) << event.status();
         EXPECT_EQ(event->decision_id, decision.decision_id());
       }},
      {audit::FamiliesInformedRecorded::kAction,
       [&](const model::AuditEventRecord& e) {
         auto event = audit::FamiliesInformedRecorded::Parse(e);
         ASSERT_TRUE(event.ok()) << event.status();
         EXPECT_EQ(event->class_id, kClass);
         EXPECT_EQ(event->informed_on, "2026-09-01");
       }},
      {audit::TrailRead::kAction,
       [&](const model::AuditEventRecord& e) {
         auto event = audit::TrailRead::Parse(e);
         ASSERT_TRUE(event.ok()) << event.status();
         EXPECT_EQ(event->call, "ListEvents");
         EXPECT_TRUE(event->filter.contains("action"));
       }},
  };
  std::map<std::string, int> seen;
  for (const auto& e : events.events()) {
    model::AuditEventRecord record;
    record.seq = e.seq();
    record.action = e.action();
    record.objects = {e.objects().begin(), e.objects().end()};
    record.details_json = e.details_json();
    ++seen[e.action()];
    const auto check = checks.find(e.action());
    ASSERT_NE(check, checks.end()) << "no typed event for " << e.action();
    SCOPED_TRACE(e.details_json());
    check->second(record);
  }
  EXPECT_EQ(seen, (std::map<std::string, int>{{"ASSIGNMENT_CREATED", 1},
                                              {"COPY_SUBMITTED", 1},
                                              {"DECISION_SIGNED", 1},
                                              {"FAMILIES_INFORMED", 1},
                                              {"REVIEW_OPENED", 1},
                                              {"ROSTER_UPSERTED", 1},
                                              {"SUGGESTION_RECORDED", 2},
                                              {"TRAIL_READ", 1}}));
}

TEST(GradingFlow, HealthServiceAnswersServing) {
  TestServer server;
  std::string serving_status;
  ASSERT_TRUE(CheckHealth(server.channel(), &serving_status).ok());
  EXPECT_EQ(serving_status, std::string("\x08\x01", 2));  // HealthCheckResponse{SERVING}
  for (const std::string service : {"gardefou.v1.GradingAssist", "gardefou.v1.AuditTrail"}) {
    ASSERT_TRUE(CheckHealth(server.channel(), &serving_status, service).ok()) << service;
    EXPECT_EQ(serving_status, std::string("\x08\x01", 2)) << service;
  }
  const grpc::Status unknown =
      CheckHealth(server.channel(), &serving_status, "gardefou.v1.Nothing");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  // gRPC's own health service answers this one: no gardefou ErrorInfo.
  EXPECT_EQ(ReasonOf(unknown), "<none>") << unknown.error_message();
}

}  // namespace
}  // namespace gardefou::testing
