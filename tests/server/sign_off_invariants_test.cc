// Integration: each test tries to break docs/design.md invariants 1 and 2 through the real API and
// checks the status code and that nothing was written.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

class SignOffInvariants : public ::testing::Test {
 protected:
  void SetUp() override { s_ = BuildScenario(server_.grading()); }

  // Sends `request` as `caller`, expects `code` with `reason` as its ErrorInfo reason, and
  // checks that no row changed.
  void ExpectRefused(const v1::SignOffRequest& request, const Caller& caller,
                     grpc::StatusCode code, const std::string& reason) {
    const TableCounts before = server_.Counts();
    v1::Decision decision;
    grpc::Status status =
        server_.grading().SignOff(TestServer::Context(caller).get(), request, &decision);
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_EQ(ReasonOf(status), reason) << status.error_message();
    EXPECT_FALSE(status.error_message().empty());
    EXPECT_EQ(server_.Counts(), before) << "a refused sign-off wrote something";
    ExpectNoGrade();
  }

  void ExpectNoGrade() {
    v1::GetDecisionRequest get;
    get.set_copy_id(s_.copy.copy_id());
    v1::Decision decision;
    const grpc::Status status =
        server_.grading().GetDecision(TestServer::Context(Lms()).get(), get, &decision);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(ReasonOf(status), "NOT_SIGNED_OFF") << status.error_message();
  }

  v1::SignOffRequest Valid() { return ValidSignOff(s_); }

  TestServer server_;
  Scenario s_;
};

TEST_F(SignOffInvariants, TheValidRequestIsAccepted) {
  v1::Decision decision;
  EXPECT_TRUE(server_.grading().SignOff(TestServer::Context(Teacher()).get(), Valid(), &decision)
                  .ok());
}

TEST_F(SignOffInvariants, AnotherTeacherOfTheClassIsRefused) {
  ExpectRefused(Valid(), Teacher(kOtherTeacher), grpc::StatusCode::PERMISSION_DENIED,
                "NOT_ENTITLED");
}

TEST_F(SignOffInvariants, AnUnknownTeacherIsRefused) {
  ExpectRefused(Valid(), Teacher("t-unknown"), grpc::StatusCode::PERMISSION_DENIED,
                "NOT_ENTITLED");
}

// SignOff refuses other roles itself, before the policy's role check, whatever the policy says.
TEST_F(SignOffInvariants, TheLmsRoleIsRefusedEvenWithTheTeachersId) {
  ExpectRefused(Valid(), {kTenant, kTeacher, "lms"}, grpc::StatusCode::PERMISSION_DENIED,
                "ROLE_NOT_ALLOWED");
}

TEST_F(SignOffInvariants, InspectorAndAdminRolesAreRefused) {
  ExpectRefused(Valid(), {kTenant, kTeacher, "inspector"}, grpc::StatusCode::PERMISSION_DENIED,
                "ROLE_NOT_ALLOWED");
  ExpectRefused(Valid(), {kTenant, kTeacher, "admin"}, grpc::StatusCode::PERMISSION_DENIED,
                "ROLE_NOT_ALLOWED");
  ExpectRefused(Valid(), {kTenant, kTeacher, "dpo"}, grpc::StatusCode::PERMISSION_DENIED,
                "ROLE_NOT_ALLOWED");
}

TEST_F(SignOffInvariants, WithoutAReviewIsRefused) {
  v1::SignOffRequest request = Valid();
  request.clear_review_id();
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");
  request.set_review_id("rv-doesnotexist");
  ExpectRefused(request, Teacher(), grpc::StatusCode::NOT_FOUND, "NOT_FOUND");
}

TEST_F(SignOffInvariants, AReviewOpenedByAnotherTeacherOrOnAnotherCopyDoesNotCount) {
  // An assignment shared by both teachers: kOtherTeacher opens the review.
  v1::CreateAssignmentRequest create;
  create.set_request_id("assignment-shared");
  create.set_class_id(kClass);
  create.set_title("Partagé");
  *create.mutable_rubric() = s_.assignment.rubric();
  create.add_teacher_ids(kTeacher);
  create.add_teacher_ids(kOtherTeacher);
  v1::Assignment shared;
  ASSERT_TRUE(server_.grading().CreateAssignment(TestServer::Context(Lms()).get(), create,
                                                 &shared).ok());
  v1::SubmitCopyRequest submit;
  submit.set_request_id("copy-shared");
  submit.set_assignment_id(shared.assignment_id());
  submit.set_student_id(kStudent);
  submit.set_text("Texte.");
  v1::Copy copy;
  ASSERT_TRUE(server_.grading().SubmitCopy(TestServer::Context(Lms()).get(), submit, &copy).ok());
  v1::OpenReviewRequest open;
  open.set_request_id("review-other");
  open.set_copy_id(copy.copy_id());
  v1::Review theirs;
  ASSERT_TRUE(server_.grading().OpenReview(TestServer::Context(Teacher(kOtherTeacher)).get(),
                                           open, &theirs).ok());

  v1::SignOffRequest request;
  request.set_request_id("sign-with-their-review");
  request.set_copy_id(copy.copy_id());
  request.set_review_id(theirs.review_id());
  for (const char* id : {"c1", "c2", "c3"}) {
    v1::CriterionScore* score = request.add_scores();
    score->set_criterion_id(id);
    score->set_points(1);
    score->set_origin(v1::TEACHER_ONLY);
  }
  request.set_attest_copy_read(true);
  ExpectRefused(request, Teacher(), grpc::StatusCode::FAILED_PRECONDITION, "REVIEW_NOT_OPEN");

  // The teacher's own review of the first copy does not open the second one either.
  request.set_review_id(s_.review.review_id());
  ExpectRefused(request, Teacher(), grpc::StatusCode::FAILED_PRECONDITION, "REVIEW_NOT_OPEN");
}

TEST_F(SignOffInvariants, AClosedReviewCannotBeUsedTwice) {
  v1::Decision decision;
  ASSERT_TRUE(server_.grading().SignOff(TestServer::Context(Teacher()).get(), Valid(), &decision)
                  .ok());
  v1::SignOffRequest again = ValidSignOff(s_, "sign-again");
  again.set_supersedes_decision_id(decision.decision_id());
  again.set_supersede_reason("relecture");
  const TableCounts before = server_.Counts();
  v1::Decision out;
  const grpc::Status refused =
      server_.grading().SignOff(TestServer::Context(Teacher()).get(), again, &out);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(refused), "REVIEW_NOT_OPEN") << refused.error_message();
  EXPECT_EQ(server_.Counts(), before);
}

TEST_F(SignOffInvariants, AMissingCriterionIsRefused) {
  v1::SignOffRequest request = Valid();
  request.mutable_scores()->RemoveLast();
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");
}

TEST_F(SignOffInvariants, AnUnknownOrRepeatedCriterionIsRefused) {
  v1::SignOffRequest request = Valid();
  request.mutable_scores(2)->set_criterion_id("c9");
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");
  request = Valid();
  *request.add_scores() = request.scores(2);
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");
}

TEST_F(SignOffInvariants, OutOfRangeAndNonFiniteScoresAreRefused) {
  for (double bad : {-0.5, 6.5, 1e9, std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity()}) {
    v1::SignOffRequest request = Valid();
    request.mutable_scores(2)->set_points(bad);
    ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");
  }
}

TEST_F(SignOffInvariants, OriginMustBeStated) {
  v1::SignOffRequest request = Valid();
  request.mutable_scores(2)->set_origin(v1::ORIGIN_UNSPECIFIED);
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");
}

TEST_F(SignOffInvariants, AcceptedMustEqualTheAiValue) {
  v1::SignOffRequest request = Valid();
  const double ai = s_.evaluation.criteria(0).proposed_points();
  request.mutable_scores(0)->set_points(ai >= 1 ? ai - 1 : ai + 1);
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");
}

TEST_F(SignOffInvariants, ModifiedMustDifferFromTheAiValue) {
  v1::SignOffRequest request = Valid();
  request.mutable_scores(1)->set_points(s_.evaluation.criteria(1).proposed_points());
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");
}

TEST_F(SignOffInvariants, AcceptingWithoutNamingTheSuggestionIsRefused) {
  v1::SignOffRequest request = Valid();
  request.clear_evaluation_suggestion_id();
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");
  // Naming a suggestion of the wrong purpose does not help either.
  request.set_evaluation_suggestion_id(s_.extra_work.suggestion_id());
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");
}

TEST_F(SignOffInvariants, AttestationIsRequired) {
  v1::SignOffRequest request = Valid();
  request.set_attest_copy_read(false);
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");
}

TEST_F(SignOffInvariants, ExtraWorkItemsMustBeExplicit) {
  v1::SignOffRequest request = Valid();
  request.set_extra_work_suggestion_id(s_.extra_work.suggestion_id());
  const auto& proposal = s_.extra_work.extra_work(0);

  v1::ExtraWorkItem* item = request.add_extra_work();
  item->set_origin(v1::ACCEPTED_SUGGESTION);
  item->set_proposal_item_id(proposal.item_id());
  item->set_description("");  // "accept the AI's exercise" without writing it: refused
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");

  item->set_description(proposal.description() + " (modifié)");  // not what was proposed
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");

  item->set_description(proposal.description());
  item->set_proposal_item_id("x99");
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");

  item->set_proposal_item_id(proposal.item_id());
  item->set_origin(v1::ORIGIN_UNSPECIFIED);
  ExpectRefused(request, Teacher(), grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT");

  item->set_origin(v1::ACCEPTED_SUGGESTION);
  v1::Decision decision;
  ASSERT_TRUE(server_.grading().SignOff(TestServer::Context(Teacher()).get(), request, &decision)
                  .ok());
  ASSERT_EQ(decision.extra_work_size(), 1);
  EXPECT_EQ(decision.extra_work(0).description(), proposal.description());
}

TEST_F(SignOffInvariants, SuggestionsNeverCarryAGradeAndNeverCreateOne) {
  // Asking for more suggestions after the fact changes nothing about grades.
  v1::RequestSuggestionRequest ask;
  ask.set_request_id("suggest-more");
  ask.set_copy_id(s_.copy.copy_id());
  ask.set_purpose(v1::EVALUATION);
  v1::Suggestion suggestion;
  ASSERT_TRUE(server_.grading().RequestSuggestion(TestServer::Context(Lms()).get(), ask,
                                                  &suggestion).ok());
  ExpectNoGrade();
  v1::ListDecisionsRequest list;
  list.set_assignment_id(s_.assignment.assignment_id());
  list.set_include_superseded(true);
  v1::ListDecisionsResponse listed;
  ASSERT_TRUE(server_.grading().ListDecisions(TestServer::Context(Lms()).get(), list, &listed)
                  .ok());
  EXPECT_EQ(listed.decisions_size(), 0);
}

TEST_F(SignOffInvariants, AiDetectionIsRefusedByTheDefaultPolicy) {
  v1::RequestSuggestionRequest ask;
  ask.set_request_id("detect");
  ask.set_copy_id(s_.copy.copy_id());
  ask.set_purpose(v1::AI_DETECTION);
  const TableCounts before = server_.Counts();
  v1::Suggestion suggestion;
  const grpc::Status refused =
      server_.grading().RequestSuggestion(TestServer::Context(Lms()).get(), ask, &suggestion);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReasonOf(refused), "PURPOSE_NOT_ALLOWED") << refused.error_message();
  EXPECT_EQ(server_.Counts(), before);
}

}  // namespace
}  // namespace gardefou::testing
