// Integration: every bad input path answers a clear status and writes nothing.
#include <gtest/gtest.h>

#include <functional>
#include <limits>

#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override { s_ = BuildScenario(server_.grading(), /*with_suggestions=*/true,
                                             /*with_review=*/true); }

  // Runs `call`, expects `code` with a message and `reason` as its ErrorInfo reason, and checks
  // that no row changed.
  void ExpectRefused(grpc::StatusCode code, const std::string& reason,
                     const std::function<grpc::Status()>& call) {
    const TableCounts before = server_.Counts();
    const grpc::Status status = call();
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_EQ(ReasonOf(status), reason) << status.error_message();
    EXPECT_FALSE(status.error_message().empty());
    EXPECT_EQ(server_.Counts(), before) << "a refused call wrote something";
  }

  grpc::Status Submit(const Caller& caller, v1::SubmitCopyRequest request) {
    v1::Copy copy;
    return server_.grading().SubmitCopy(TestServer::Context(caller).get(), request, &copy);
  }

  v1::SubmitCopyRequest ValidSubmit(const std::string& request_id = "copy-new") {
    v1::SubmitCopyRequest request;
    request.set_request_id(request_id);
    request.set_assignment_id(s_.assignment.assignment_id());
    request.set_student_id(kStudent);
    request.set_text("Un texte.");
    return request;
  }

  grpc::Status Get(const Caller& caller, const std::string& copy_id) {
    v1::GetDecisionRequest request;
    request.set_copy_id(copy_id);
    v1::Decision decision;
    return server_.grading().GetDecision(TestServer::Context(caller).get(), request, &decision);
  }

  TestServer server_;
  Scenario s_;
};

TEST_F(BadInput, MissingOrMalformedMetadataIsUnauthenticated) {
  for (const Caller& caller : {Caller{"", "lms-1", "lms"}, Caller{kTenant, "", "lms"},
                               Caller{kTenant, "lms-1", ""}, Caller{kTenant, "lms-1", "pupil"},
                               Caller{"bad tenant!", "lms-1", "lms"}}) {
    ExpectRefused(grpc::StatusCode::UNAUTHENTICATED, "UNAUTHENTICATED",
                  [&] { return Submit(caller, ValidSubmit()); });
  }
}

TEST_F(BadInput, UnknownIdsAreNotFound) {
  v1::SubmitCopyRequest unknown_assignment = ValidSubmit();
  unknown_assignment.set_assignment_id("as-nope");
  ExpectRefused(grpc::StatusCode::NOT_FOUND, "NOT_FOUND",
                [&] { return Submit(Lms(), unknown_assignment); });
  v1::SubmitCopyRequest unknown_student = ValidSubmit();
  unknown_student.set_student_id("s-nope");
  ExpectRefused(grpc::StatusCode::NOT_FOUND, "NOT_FOUND",
                [&] { return Submit(Lms(), unknown_student); });
  ExpectRefused(grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] { return Get(Lms(), "cp-nope"); });

  v1::RequestSuggestionRequest ask;
  ask.set_request_id("ask-nope");
  ask.set_copy_id("cp-nope");
  ask.set_purpose(v1::EVALUATION);
  ExpectRefused(grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    v1::Suggestion out;
    return server_.grading().RequestSuggestion(TestServer::Context(Lms()).get(), ask, &out);
  });
  v1::OpenReviewRequest open;
  open.set_request_id("open-nope");
  open.set_copy_id("cp-nope");
  ExpectRefused(grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    v1::Review out;
    return server_.grading().OpenReview(TestServer::Context(Teacher()).get(), open, &out);
  });
  v1::CreateAssignmentRequest create;
  create.set_request_id("assignment-nope");
  create.set_class_id("no-class");
  create.set_title("T");
  *create.mutable_rubric() = s_.assignment.rubric();
  create.add_teacher_ids(kTeacher);
  ExpectRefused(grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    v1::Assignment out;
    return server_.grading().CreateAssignment(TestServer::Context(Lms()).get(), create, &out);
  });
  create.set_class_id(kClass);
  create.set_teacher_ids(0, "t-nope");
  ExpectRefused(grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    v1::Assignment out;
    return server_.grading().CreateAssignment(TestServer::Context(Lms()).get(), create, &out);
  });
  v1::ListDecisionsRequest list;
  list.set_assignment_id("as-nope");
  ExpectRefused(grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    v1::ListDecisionsResponse out;
    return server_.grading().ListDecisions(TestServer::Context(Lms()).get(), list, &out);
  });
}

TEST_F(BadInput, AnotherTenantsObjectsAreNotFoundAndIndistinguishableFromMissingOnes) {
  const Caller stranger = Lms(kOtherTenant);
  const grpc::Status theirs = Get(stranger, s_.copy.copy_id());
  const grpc::Status missing = Get(stranger, "cp-doesnotexist");
  EXPECT_EQ(theirs.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ReasonOf(theirs), "NOT_FOUND");
  EXPECT_EQ(ReasonOf(missing), "NOT_FOUND");
  auto strip = [](std::string message, const std::string& id) {
    return message.replace(message.find(id), id.size(), "<id>");
  };
  EXPECT_EQ(strip(theirs.error_message(), s_.copy.copy_id()),
            strip(missing.error_message(), "cp-doesnotexist"));

  ExpectRefused(grpc::StatusCode::NOT_FOUND, "NOT_FOUND",
                [&] { return Submit(stranger, ValidSubmit()); });
  v1::OpenReviewRequest open;
  open.set_request_id("open-foreign");
  open.set_copy_id(s_.copy.copy_id());
  ExpectRefused(grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    v1::Review out;
    return server_.grading().OpenReview(TestServer::Context(Teacher(kTeacher, kOtherTenant)).get(),
                                        open, &out);
  });
  v1::SignOffRequest sign = ValidSignOff(s_);
  ExpectRefused(grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    v1::Decision out;
    return server_.grading().SignOff(TestServer::Context(Teacher(kTeacher, kOtherTenant)).get(),
                                     sign, &out);
  });
  v1::ListEventsRequest events_request;
  v1::ListEventsResponse events;
  ASSERT_TRUE(server_.trail().ListEvents(TestServer::Context(Inspector(kOtherTenant)).get(),
                                         events_request, &events).ok());
  EXPECT_EQ(events.events_size(), 0) << "another tenant's events are invisible";
}

TEST_F(BadInput, WrongRolesArePermissionDenied) {
  ExpectRefused(grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED",
                [&] { return Submit({kTenant, "x", "inspector"}, ValidSubmit()); });
  ExpectRefused(grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED",
                [&] { return Submit(Teacher(), ValidSubmit()); });
  ExpectRefused(grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED",
                [&] { return Get({kTenant, "x", "dpo"}, s_.copy.copy_id()); });
  v1::OpenReviewRequest open;
  open.set_request_id("open-by-lms");
  open.set_copy_id(s_.copy.copy_id());
  ExpectRefused(grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED", [&] {
    v1::Review out;
    return server_.grading().OpenReview(TestServer::Context(Lms()).get(), open, &out);
  });
  ExpectRefused(grpc::StatusCode::PERMISSION_DENIED, "NOT_ENTITLED", [&] {
    v1::Review out;
    return server_.grading().OpenReview(TestServer::Context(Teacher(kOtherTeacher)).get(), open,
                                        &out);
  });
  ExpectRefused(grpc::StatusCode::PERMISSION_DENIED, "NOT_ENTITLED",
                [&] { return Get(Teacher(kOtherTeacher), s_.copy.copy_id()); });
  v1::UpsertRosterRequest roster;
  roster.set_request_id("roster-by-teacher");
  ExpectRefused(grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED", [&] {
    v1::UpsertRosterResponse out;
    return server_.grading().UpsertRoster(TestServer::Context(Teacher()).get(), roster, &out);
  });
  ExpectRefused(grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED", [&] {
    v1::ListEventsResponse out;
    return server_.trail().ListEvents(TestServer::Context(Lms()).get(), {}, &out);
  });
  ExpectRefused(grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED", [&] {
    v1::VerifyTrailResponse out;
    return server_.trail().VerifyTrail(TestServer::Context(Teacher()).get(), {}, &out);
  });
}

TEST_F(BadInput, CopyOverTheSizeLimitIsRefusedAndTheLimitItselfAccepted) {
  v1::SubmitCopyRequest request = ValidSubmit();
  request.set_text(std::string(1024 * 1024 + 1, 'a'));
  ExpectRefused(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT",
                [&] { return Submit(Lms(), request); });
  request.set_text(std::string(1024 * 1024, 'a'));
  EXPECT_TRUE(Submit(Lms(), request).ok());
}

TEST_F(BadInput, InvalidUtf8IsRefused) {
  for (const std::string& bad :
       {std::string("caf\xC3", 4), std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
        std::string("\xF4\x90\x80\x80"), std::string("ok \xFF ok")}) {
    v1::SubmitCopyRequest request = ValidSubmit();
    request.set_text(bad);
    ExpectRefused(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT",
                  [&] { return Submit(Lms(), request); });
  }
  // A proto `string` field with invalid UTF-8 is refused too.
  v1::CreateAssignmentRequest create;
  create.set_request_id("assignment-utf8");
  create.set_class_id(kClass);
  create.set_title(std::string("Essai \xFF"));
  *create.mutable_rubric() = s_.assignment.rubric();
  create.add_teacher_ids(kTeacher);
  const TableCounts before = server_.Counts();
  v1::Assignment out;
  const grpc::Status status =
      server_.grading().CreateAssignment(TestServer::Context(Lms()).get(), create, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  // Refused by the decode-error interceptor, before gardefou's code runs.
  EXPECT_EQ(ReasonOf(status), "UNDECODABLE_REQUEST") << status.error_message();
  EXPECT_EQ(server_.Counts(), before);
}

TEST_F(BadInput, ControlAndBidiCharactersAreRefusedNamingTheFieldNeverTheValue) {
  // Runs `call`, expects INVALID_ARGUMENT naming `field` without quoting `value`, and no write.
  auto expect_refused = [&](const std::string& field, const std::string& value,
                            const std::function<grpc::Status()>& call) {
    grpc::Status status;
    ExpectRefused(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT",
                  [&] { return status = call(); });
    EXPECT_NE(status.error_message().find(field), std::string::npos) << status.error_message();
    EXPECT_EQ(status.error_message().find(value), std::string::npos) << status.error_message();
  };

  v1::UpsertRosterRequest roster;
  roster.set_request_id("roster-nul");
  roster.set_class_id("4A");
  roster.mutable_school()->set_name("Collège");
  v1::Person* teacher = roster.add_teachers();
  teacher->set_id("t-9");
  teacher->set_last("Prof");
  v1::Person* pupil = roster.add_students();
  pupil->set_id("s-9");
  pupil->set_first(std::string("Lou\0ise", 7));
  expect_refused("students[0].first", "Lou", [&] {
    v1::UpsertRosterResponse out;
    return server_.grading().UpsertRoster(TestServer::Context(Lms()).get(), roster, &out);
  });

  auto create_with = [&](const std::string& field, const std::string& value,
                         const std::function<void(v1::CreateAssignmentRequest&)>& spoil) {
    v1::CreateAssignmentRequest create;
    create.set_request_id("assignment-controls");
    create.set_class_id(kClass);
    create.set_title("Rédaction");
    *create.mutable_rubric() = s_.assignment.rubric();
    create.add_teacher_ids(kTeacher);
    spoil(create);
    expect_refused(field, value, [&] {
      v1::Assignment out;
      return server_.grading().CreateAssignment(TestServer::Context(Lms()).get(), create, &out);
    });
  };
  create_with("title", "Note", [](auto& c) { c.set_title("Note\u202E02/20"); });
  create_with("rubric.criteria[1].label", "Ortho", [](auto& c) {
    c.mutable_rubric()->mutable_criteria(1)->set_label("Ortho\x1B[2Jgraphe");
  });

  v1::SubmitCopyRequest bell = ValidSubmit("copy-bell");
  bell.set_text("Un texte\x07 sonore.");
  expect_refused("text", "sonore", [&] { return Submit(Lms(), bell); });
  v1::SubmitCopyRequest lines = ValidSubmit("copy-lines");
  lines.set_text("Premier paragraphe.\n\tSecond paragraphe.\r\n");
  EXPECT_TRUE(Submit(Lms(), lines).ok()) << "line breaks and tabs are the copy's layout";
}

TEST_F(BadInput, MalformedFieldsAreInvalidArgument) {
  v1::SubmitCopyRequest no_request_id = ValidSubmit("");
  ExpectRefused(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT",
                [&] { return Submit(Lms(), no_request_id); });
  v1::SubmitCopyRequest bad_id = ValidSubmit();
  bad_id.set_student_id("s 1; DROP TABLE copies");
  ExpectRefused(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT",
                [&] { return Submit(Lms(), bad_id); });
  v1::SubmitCopyRequest empty = ValidSubmit();
  empty.clear_text();
  ExpectRefused(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT",
                [&] { return Submit(Lms(), empty); });

  auto create_with = [&](const std::function<void(v1::CreateAssignmentRequest&)>& spoil) {
    v1::CreateAssignmentRequest create;
    create.set_request_id("assignment-bad");
    create.set_class_id(kClass);
    create.set_title("T");
    *create.mutable_rubric() = s_.assignment.rubric();
    create.add_teacher_ids(kTeacher);
    spoil(create);
    ExpectRefused(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
      v1::Assignment out;
      return server_.grading().CreateAssignment(TestServer::Context(Lms()).get(), create, &out);
    });
  };
  create_with([](auto& c) { c.mutable_rubric()->clear_criteria(); });
  create_with([](auto& c) { c.mutable_rubric()->mutable_criteria(0)->set_max_points(0); });
  create_with([](auto& c) { c.mutable_rubric()->mutable_criteria(0)->set_max_points(-3); });
  create_with([](auto& c) {
    c.mutable_rubric()->mutable_criteria(0)->set_max_points(std::numeric_limits<double>::quiet_NaN());
  });
  create_with([](auto& c) { c.mutable_rubric()->mutable_criteria(1)->set_id("c1"); });
  create_with([](auto& c) { c.clear_title(); });
  create_with([](auto& c) { c.set_title(std::string(301, 'x')); });
  create_with([](auto& c) { c.clear_teacher_ids(); });

  v1::RequestSuggestionRequest ask;
  ask.set_request_id("ask-bad");
  ask.set_copy_id(s_.copy.copy_id());
  for (int purpose : {0, 99}) {
    ask.set_purpose(static_cast<v1::Purpose>(purpose));
    ExpectRefused(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
      v1::Suggestion out;
      return server_.grading().RequestSuggestion(TestServer::Context(Lms()).get(), ask, &out);
    });
  }
  ask.set_purpose(v1::EVALUATION);
  ask.set_provider("no-such-provider");
  ExpectRefused(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
    v1::Suggestion out;
    return server_.grading().RequestSuggestion(TestServer::Context(Lms()).get(), ask, &out);
  });

  v1::ListDecisionsRequest list;
  list.set_assignment_id(s_.assignment.assignment_id());
  for (int size : {-1, 501}) {
    list.set_page_size(size);
    ExpectRefused(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
      v1::ListDecisionsResponse out;
      return server_.grading().ListDecisions(TestServer::Context(Lms()).get(), list, &out);
    });
  }
  list.set_page_size(10);
  list.set_page_token("not-a-token");
  ExpectRefused(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
    v1::ListDecisionsResponse out;
    return server_.grading().ListDecisions(TestServer::Context(Lms()).get(), list, &out);
  });
}

TEST_F(BadInput, RosterWithRepeatedOrNamelessPeopleIsRefused) {
  v1::UpsertRosterRequest roster;
  roster.set_request_id("roster-bad");
  roster.set_class_id("4A");
  roster.mutable_school()->set_name("Collège");
  v1::Person* t = roster.add_teachers();
  t->set_id("t-9");
  t->set_last("Prof");
  v1::Person* a = roster.add_students();
  a->set_id("s-9");
  a->set_first("A");
  *roster.add_students() = *a;
  ExpectRefused(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
    v1::UpsertRosterResponse out;
    return server_.grading().UpsertRoster(TestServer::Context(Lms()).get(), roster, &out);
  });
  roster.mutable_students(1)->set_id("s-10");
  roster.mutable_students(1)->clear_first();
  ExpectRefused(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
    v1::UpsertRosterResponse out;
    return server_.grading().UpsertRoster(TestServer::Context(Lms()).get(), roster, &out);
  });
}

}  // namespace
}  // namespace gardefou::testing
