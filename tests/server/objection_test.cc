// Families informed and objections (GDPR Art. 21), through the real server: no AI call for a
// class until the day its families were informed is recorded; a family's objection stops every
// AI call touching the pupil (FAILED_PRECONDITION "OBJECTION", only an AI_CALL_REFUSED event)
// while the teacher still grades without AI; the head of school alone may override it, with a
// justification kept on the objection and only hashed in the trail; the family may withdraw it.
// Every refusal writes nothing (row counts and every row of every table, new tables included).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "service/common/hashing.h"
#include "tests/support/safeguard_calls.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

int CountOf(const std::vector<std::string>& actions, const std::string& action) {
  return static_cast<int>(std::count(actions.begin(), actions.end(), action));
}

grpc::Status Informed(TestServer& server, const Caller& caller, const std::string& class_id,
                      const std::string& informed_on, const std::string& request_id,
                      v1::FamiliesInformed* out = nullptr) {
  v1::RecordFamiliesInformedRequest request;
  request.set_request_id(request_id);
  request.set_class_id(class_id);
  request.set_informed_on(informed_on);
  v1::FamiliesInformed ignored;
  return server.grading().RecordFamiliesInformed(TestServer::Context(caller).get(), request,
                                                 out ? out : &ignored);
}

// A class of its own: roster (both teachers, `students`), an assignment of kTeacher with the
// scenario's rubric, one copy per pupil; its families informed only when `informed_on` is set.
struct OwnClass {
  std::string class_id;
  v1::Assignment assignment;
  std::map<std::string, v1::Copy> copies;  // by student id
};

OwnClass MakeClass(TestServer& server, const std::string& class_id,
                   const std::vector<std::string>& students, const std::string& informed_on,
                   const std::string& tenant = kTenant) {
  OwnClass c;
  c.class_id = class_id;
  const char* const surnames[] = {"Garnier", "Martin", "Petit", "Durand"};
  std::vector<std::vector<std::string>> pupils;
  for (size_t i = 0; i < students.size(); ++i) {
    pupils.push_back({students[i], "Élève", surnames[i % 4]});
  }
  Roster(server, class_id, pupils, tenant);
  if (!informed_on.empty()) {
    ExpectOk(Informed(server, Lms(tenant), class_id, informed_on, "informed-" + class_id),
             "RecordFamiliesInformed");
  }
  c.assignment = AddAssignment(
      server, EssayAssignment("assignment-" + class_id, class_id, {kTeacher}), tenant);
  for (const std::string& student : students) {
    c.copies[student] = SubmitEssay(server, c.assignment.assignment_id(), student,
                                    "copy-" + class_id + "-" + student, tenant);
  }
  return c;
}

grpc::Status List(TestServer& server, const Caller& caller, const std::string& class_id,
                  v1::ListObjectionsResponse* out) {
  v1::ListObjectionsRequest request;
  request.set_class_id(class_id);
  return server.grading().ListObjections(TestServer::Context(caller).get(), request, out);
}

// ---------------------------------------------------------------- families informed

TEST(Objection, NoAiCallForAClassWhoseFamiliesWereNotInformed) {
  TestServer server;
  const OwnClass c = MakeClass(server, "4C", {kStudent}, /*informed_on=*/"");
  const std::string copy_id = c.copies.at(kStudent).copy_id();
  for (v1::Purpose purpose : {v1::CORRECTION, v1::EVALUATION, v1::EXTRA_WORK}) {
    ExpectAiCallRefused(server, "FAMILIES_NOT_INFORMED", [&] {
      return Ask(server, Lms(), copy_id, purpose, "ask-" + v1::Purpose_Name(purpose));
    }, "lms " + v1::Purpose_Name(purpose));
  }
  ExpectAiCallRefused(server, "FAMILIES_NOT_INFORMED", [&] {
    return Ask(server, Teacher(), copy_id, v1::EVALUATION, "ask-by-teacher");
  }, "teacher");

  // Once recorded, the same class gets its suggestions.
  v1::FamiliesInformed informed;
  const grpc::Status st = Informed(server, Lms(), "4C", "2026-09-01", "informed-4C", &informed);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(informed.class_id(), "4C");
  EXPECT_EQ(informed.informed_on(), "2026-09-01");
  EXPECT_GT(informed.recorded_at().seconds(), 0);
  EXPECT_EQ(Actions(server.db_path()).back(), "FAMILIES_INFORMED");
  v1::Suggestion suggestion;
  const grpc::Status asked = Ask(server, Lms(), copy_id, v1::EVALUATION, "ask-after", &suggestion);
  ASSERT_TRUE(asked.ok()) << asked.error_message();
  EXPECT_EQ(suggestion.state(), v1::READY);
}

TEST(Objection, TheDayFamiliesWereInformedIsAPastDateByAnAllowedRole) {
  TestServer server;
  MakeClass(server, "4C", {kStudent}, "");
  int n = 0;
  for (const char* bad : {"", "2026-9-1", "01/09/2026", "2026-02-30", "2026-13-01",
                          "2026-09-01T00:00", "2999-01-01"}) {
    ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
      return Informed(server, Lms(), "4C", bad, "informed-bad-" + std::to_string(++n));
    }, std::string("informed_on '") + bad + "'");
  }
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    return Informed(server, Lms(), "no-such-class", "2026-09-01", "informed-unknown");
  }, "unknown class");
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    return Informed(server, Lms(kOtherTenant), "4C", "2026-09-01", "informed-other-tenant");
  }, "another tenant's class");
  for (const Caller& caller : {Teacher(), Dpo(), Inspector()}) {
    ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED", [&] {
      return Informed(server, caller, "4C", "2026-09-01", "informed-by-" + caller.role);
    }, "role " + caller.role);
  }
  // The head of school and the admin may record it too.
  grpc::Status st = Informed(server, Head(), "4C", "2026-09-01", "informed-by-head");
  EXPECT_TRUE(st.ok()) << st.error_message();
  st = Informed(server, {kTenant, "a-1", "admin"}, "4C", "2026-09-02", "informed-by-admin");
  EXPECT_TRUE(st.ok()) << st.error_message();
}

// ---------------------------------------------------------------- objections

TEST(Objection, AnActiveObjectionStopsAiCallsForThePupilOnlyAndTheTeacherStillGrades) {
  TestServer server;
  const OwnClass c = MakeClass(server, "5D", {kStudent, "s-2"}, "2026-09-01");
  v1::Objection objection;
  const grpc::Status st = Object(server, Dpo(), "5D", kStudent, "2026-10-01", "object-1",
                                 &objection);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_FALSE(objection.objection_id().empty());
  EXPECT_EQ(objection.class_id(), "5D");
  EXPECT_EQ(objection.student_id(), kStudent);
  EXPECT_EQ(objection.state(), v1::OBJECTION_ACTIVE);
  EXPECT_EQ(objection.received_on(), "2026-10-01");
  EXPECT_EQ(objection.recorded_by(), "d-1");
  EXPECT_GT(objection.recorded_at().seconds(), 0);
  EXPECT_TRUE(objection.override_justification().empty());
  EXPECT_EQ(Actions(server.db_path()).back(), "OBJECTION_RECORDED");

  const std::string copy_id = c.copies.at(kStudent).copy_id();
  for (v1::Purpose purpose : {v1::CORRECTION, v1::EVALUATION, v1::EXTRA_WORK}) {
    for (const Caller& caller : {Lms(), Teacher()}) {
      ExpectAiCallRefused(server, "OBJECTION", [&] {
        return Ask(server, caller, copy_id, purpose,
                   "ask-" + caller.role + "-" + v1::Purpose_Name(purpose));
      }, caller.role + " " + v1::Purpose_Name(purpose));
    }
  }
  // The other pupil of the class is not concerned.
  v1::Suggestion other;
  const grpc::Status asked =
      Ask(server, Lms(), c.copies.at("s-2").copy_id(), v1::EVALUATION, "ask-s2", &other);
  ASSERT_TRUE(asked.ok()) << asked.error_message();
  EXPECT_EQ(other.state(), v1::READY);

  // The teacher grades the objecting pupil's copy without AI.
  v1::OpenReviewRequest open;
  open.set_request_id("review-s1");
  open.set_copy_id(copy_id);
  v1::Review review;
  const grpc::Status opened =
      server.grading().OpenReview(TestServer::Context(Teacher()).get(), open, &review);
  ASSERT_TRUE(opened.ok()) << opened.error_message();
  v1::SignOffRequest sign =
      TeacherOnlySignOff(copy_id, review.review_id(), {4.0, 5.5, 3.0}, "sign-s1");
  sign.set_final_comment("Corrigé sans assistance.");
  v1::Decision decision;
  const grpc::Status signed_off = Sign(server, sign, &decision);
  ASSERT_TRUE(signed_off.ok()) << signed_off.error_message();
  EXPECT_EQ(decision.status(), v1::ACTIVE);
  EXPECT_DOUBLE_EQ(decision.total_points(), 12.5);
}

TEST(Objection, TheHeadOfSchoolOverridesWithAJustificationKeptOutOfTheTrail) {
  TestServer server;
  const OwnClass c = MakeClass(server, "5D", {kStudent}, "2026-09-01");
  v1::Objection objection;
  ASSERT_TRUE(Object(server, Dpo(), "5D", kStudent, "2026-10-01", "object-1", &objection).ok());
  const std::string id = objection.objection_id();

  ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED", [&] {
    return Override(server, Dpo(), id, kJustification, "override-by-dpo");
  }, "override by the dpo");
  for (const Caller& caller : {Lms(), Teacher(), Inspector(), Caller{kTenant, "a-1", "admin"}}) {
    ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED", [&] {
      return Override(server, caller, id, kJustification, "override-by-" + caller.role);
    }, "override by " + caller.role);
  }
  const std::string nineteen = "Examen blanc du bac";
  ASSERT_EQ(nineteen.size(), 19u);
  for (const std::string& bad : {std::string(), nineteen, std::string(4001, 'x')}) {
    ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
      return Override(server, Head(), id, bad, "override-short-" + std::to_string(bad.size()));
    }, "justification of " + std::to_string(bad.size()) + " chars");
  }
  ExpectAiCallRefused(server, "OBJECTION", [&] {
    return Ask(server, Lms(), c.copies.at(kStudent).copy_id(), v1::EVALUATION, "ask-before");
  }, "still active after the refused overrides");

  v1::Objection overridden;
  const grpc::Status st = Override(server, Head(), id, kJustification, "override-1", &overridden);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(overridden.objection_id(), id);
  EXPECT_EQ(overridden.state(), v1::OBJECTION_OVERRIDDEN);
  EXPECT_EQ(overridden.overridden_by(), "h-1");
  EXPECT_EQ(overridden.override_justification(), kJustification);
  EXPECT_GT(overridden.overridden_at().seconds(), 0);
  EXPECT_EQ(overridden.recorded_by(), "d-1");

  v1::Suggestion suggestion;
  const grpc::Status asked = Ask(server, Lms(), c.copies.at(kStudent).copy_id(), v1::EVALUATION,
                                 "ask-after-override", &suggestion);
  ASSERT_TRUE(asked.ok()) << asked.error_message();
  EXPECT_EQ(suggestion.state(), v1::READY);
  EXPECT_EQ(suggestion.provider(), "offline-rubric");

  // The justification stays with the objection; the trail holds its SHA-256 only.
  const std::string hash = common::Sha256Hex(kJustification);
  int overridden_events = 0;
  for (const StoredEvent& e : StoredEvents(server.db_path())) {
    EXPECT_EQ(e.details_json.find("indispensable"), std::string::npos) << e.action;
    EXPECT_EQ(e.objects_json.find("indispensable"), std::string::npos) << e.action;
    if (e.action == "OBJECTION_OVERRIDDEN") {
      ++overridden_events;
      EXPECT_NE(e.details_json.find(hash), std::string::npos) << e.details_json;
    }
  }
  EXPECT_EQ(overridden_events, 1);
  // As an inspector reads it through the API too.
  v1::ListEventsRequest request;
  request.set_action("OBJECTION_OVERRIDDEN");
  v1::ListEventsResponse events;
  ASSERT_TRUE(
      server.trail().ListEvents(TestServer::Context(Inspector()).get(), request, &events).ok());
  ASSERT_EQ(events.events_size(), 1);
  EXPECT_EQ(events.events(0).actor_role(), "head_of_school");
  EXPECT_EQ(events.events(0).details_json().find("indispensable"), std::string::npos);
  EXPECT_NE(events.events(0).details_json().find(hash), std::string::npos);

  // A replay answers the same and writes nothing.
  const TableCounts before = server.Counts();
  v1::Objection replayed;
  ASSERT_TRUE(Override(server, Head(), id, kJustification, "override-1", &replayed).ok());
  EXPECT_EQ(replayed.SerializeAsString(), overridden.SerializeAsString());
  EXPECT_EQ(server.Counts(), before);
}

// The teacher signs the copy off alone (every criterion TEACHER_ONLY) in a fresh review,
// superseding `previous` when given; returns the decision.
v1::Decision SignAlone(TestServer& server, const std::string& copy_id, const std::string& tag,
                       const std::string& previous = "") {
  const v1::Review review = Open(server, copy_id, "review-" + tag);
  const double points = previous.empty() ? 3 : 4;
  v1::SignOffRequest sign =
      TeacherOnlySignOff(copy_id, review.review_id(), {points, points, points}, "sign-" + tag);
  if (!previous.empty()) {
    sign.set_supersedes_decision_id(previous);
    sign.set_supersede_reason("Relecture.");
  }
  v1::Decision decision;
  const grpc::Status st = Sign(server, sign, &decision);
  EXPECT_TRUE(st.ok()) << tag << ": " << st.error_message();
  EXPECT_EQ(decision.status(), v1::ACTIVE) << tag;
  return decision;
}

TEST(Objection, EndToEndRecordedRefusedOverriddenAllowedWithdrawnTheTeacherGradingThroughout) {
  TestServer server;
  const OwnClass c = MakeClass(server, "5D", {kStudent}, "2026-09-01");
  const std::string copy_id = c.copies.at(kStudent).copy_id();
  // 1. The family objects: the DPO records it; every AI call on the copy is refused.
  v1::Objection objection;
  ASSERT_TRUE(Object(server, Dpo(), "5D", kStudent, "2026-10-01", "object-1", &objection).ok());
  ExpectAiCallRefused(server, "OBJECTION", [&] {
    return Ask(server, Lms(), copy_id, v1::EVALUATION, "ask-1");
  }, "objection in force");
  const v1::Decision first = SignAlone(server, copy_id, "1");
  // 2. The head of school overrides it, with a justification: AI calls are made again.
  ASSERT_TRUE(Override(server, Head(), objection.objection_id(), kJustification, "override-1")
                  .ok());
  v1::Suggestion suggestion;
  const grpc::Status asked = Ask(server, Lms(), copy_id, v1::EVALUATION, "ask-2", &suggestion);
  ASSERT_TRUE(asked.ok()) << asked.error_message();
  EXPECT_EQ(suggestion.state(), v1::READY);
  const v1::Decision second = SignAlone(server, copy_id, "2", first.decision_id());
  // 3. The family withdraws the objection: nothing blocks, the teacher still decides alone.
  v1::Objection withdrawn;
  ASSERT_TRUE(Withdraw(server, Dpo(), objection.objection_id(), "withdraw-1", &withdrawn).ok());
  EXPECT_EQ(withdrawn.state(), v1::OBJECTION_WITHDRAWN);
  EXPECT_EQ(withdrawn.override_justification(), kJustification) << "the record keeps its history";
  ASSERT_TRUE(Ask(server, Lms(), copy_id, v1::CORRECTION, "ask-3").ok());
  SignAlone(server, copy_id, "3", second.decision_id());
  // The trail tells the story in order, the justification as a hash only.
  std::vector<std::string> story;
  for (const std::string& action : Actions(server.db_path())) {
    if (action.rfind("OBJECTION_", 0) == 0 || action == "AI_CALL_REFUSED" ||
        action == "SUGGESTION_RECORDED" || action == "DECISION_SIGNED") {
      story.push_back(action);
    }
  }
  EXPECT_EQ(story, (std::vector<std::string>{
                       "OBJECTION_RECORDED", "AI_CALL_REFUSED", "DECISION_SIGNED",
                       "OBJECTION_OVERRIDDEN", "SUGGESTION_RECORDED", "DECISION_SIGNED",
                       "OBJECTION_WITHDRAWN", "SUGGESTION_RECORDED", "DECISION_SIGNED"}));
}

TEST(Objection, AWithdrawnObjectionLetsAiCallsResume) {
  TestServer server;
  const OwnClass c = MakeClass(server, "5D", {kStudent}, "2026-09-01");
  v1::Objection objection;
  ASSERT_TRUE(Object(server, Head(), "5D", kStudent, "2026-10-01", "object-1", &objection).ok());
  EXPECT_EQ(objection.recorded_by(), "h-1");
  for (const Caller& caller : {Lms(), Teacher(), Inspector()}) {
    ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED", [&] {
      return Withdraw(server, caller, objection.objection_id(), "withdraw-by-" + caller.role);
    }, "withdraw by " + caller.role);
  }
  v1::Objection withdrawn;
  const grpc::Status st =
      Withdraw(server, Dpo(), objection.objection_id(), "withdraw-1", &withdrawn);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(withdrawn.state(), v1::OBJECTION_WITHDRAWN);
  EXPECT_GT(withdrawn.withdrawn_at().seconds(), 0);
  EXPECT_EQ(Actions(server.db_path()).back(), "OBJECTION_WITHDRAWN");
  v1::Suggestion suggestion;
  const grpc::Status asked =
      Ask(server, Lms(), c.copies.at(kStudent).copy_id(), v1::CORRECTION, "ask-1", &suggestion);
  ASSERT_TRUE(asked.ok()) << asked.error_message();
  EXPECT_EQ(suggestion.state(), v1::READY);
}

TEST(Objection, AnotherActiveObjectionStillStopsAiCallsAfterAnOverride) {
  TestServer server;
  const OwnClass c = MakeClass(server, "5D", {kStudent}, "2026-09-01");
  v1::Objection first, second;
  ASSERT_TRUE(Object(server, Dpo(), "5D", kStudent, "2026-10-01", "object-1", &first).ok());
  ASSERT_TRUE(Override(server, Head(), first.objection_id(), kJustification, "override-1").ok());
  ASSERT_TRUE(Object(server, Dpo(), "5D", kStudent, "2026-10-05", "object-2", &second).ok());
  ExpectAiCallRefused(server, "OBJECTION", [&] {
    return Ask(server, Lms(), c.copies.at(kStudent).copy_id(), v1::EVALUATION, "ask-1");
  }, "a newer objection, active");
}

TEST(Objection, AWithdrawnObjectionCanBeNeitherOverriddenNorWithdrawnAgain) {
  TestServer server;
  MakeClass(server, "5D", {kStudent}, "2026-09-01");
  v1::Objection objection;
  ASSERT_TRUE(Object(server, Dpo(), "5D", kStudent, "2026-10-01", "object-1", &objection).ok());
  ASSERT_TRUE(Withdraw(server, Dpo(), objection.objection_id(), "withdraw-1").ok());
  ExpectRefused(server, grpc::StatusCode::FAILED_PRECONDITION, "OBJECTION_NOT_IN_FORCE", [&] {
    return Override(server, Head(), objection.objection_id(), kJustification, "override-1");
  }, "override of a withdrawn objection");
  ExpectRefused(server, grpc::StatusCode::FAILED_PRECONDITION, "OBJECTION_NOT_IN_FORCE", [&] {
    return Withdraw(server, Dpo(), objection.objection_id(), "withdraw-2");
  }, "second withdrawal");
}

TEST(Objection, ListObjectionsShowsEveryStateToTheDpoTheInspectorAndTheHead) {
  TestServer server;
  MakeClass(server, "5D", {kStudent, "s-2", "s-3"}, "2026-09-01");
  MakeClass(server, "6E", {"s-9"}, "2026-09-01");
  v1::Objection active, overridden, withdrawn, elsewhere;
  ASSERT_TRUE(Object(server, Dpo(), "5D", kStudent, "2026-10-01", "object-1", &active).ok());
  ASSERT_TRUE(Object(server, Dpo(), "5D", "s-2", "2026-10-02", "object-2", &overridden).ok());
  ASSERT_TRUE(Object(server, Head(), "5D", "s-3", "2026-10-03", "object-3", &withdrawn).ok());
  ASSERT_TRUE(Object(server, Dpo(), "6E", "s-9", "2026-10-04", "object-4", &elsewhere).ok());
  ASSERT_TRUE(
      Override(server, Head(), overridden.objection_id(), kJustification, "override-2").ok());
  ASSERT_TRUE(Withdraw(server, Dpo(), withdrawn.objection_id(), "withdraw-3").ok());

  for (const Caller& caller : {Dpo(), Inspector(), Head()}) {
    v1::ListObjectionsResponse listed;
    const grpc::Status st = List(server, caller, "5D", &listed);
    ASSERT_TRUE(st.ok()) << caller.role << ": " << st.error_message();
    ASSERT_EQ(listed.objections_size(), 3) << caller.role;
    EXPECT_EQ(listed.objections(0).objection_id(), active.objection_id());
    EXPECT_EQ(listed.objections(0).state(), v1::OBJECTION_ACTIVE);
    EXPECT_EQ(listed.objections(1).objection_id(), overridden.objection_id());
    EXPECT_EQ(listed.objections(1).state(), v1::OBJECTION_OVERRIDDEN);
    EXPECT_EQ(listed.objections(1).overridden_by(), "h-1");
    EXPECT_EQ(listed.objections(2).objection_id(), withdrawn.objection_id());
    EXPECT_EQ(listed.objections(2).state(), v1::OBJECTION_WITHDRAWN);
    EXPECT_EQ(listed.objections(2).student_id(), "s-3");
  }
  for (const Caller& caller : {Lms(), Teacher(), Caller{kTenant, "a-1", "admin"}}) {
    ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED", [&] {
      v1::ListObjectionsResponse listed;
      return List(server, caller, "5D", &listed);
    }, "list by " + caller.role);
  }
  // Another school sees none of them.
  v1::ListObjectionsResponse foreign;
  const grpc::Status st = List(server, Inspector(kOtherTenant), "5D", &foreign);
  if (st.ok()) {
    EXPECT_EQ(foreign.objections_size(), 0);
  } else {
    EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
    EXPECT_EQ(ReasonOf(st), "NOT_FOUND") << st.error_message();
  }

  // The actions of the trail, in order.
  std::vector<std::string> actions;
  for (const std::string& a : Actions(server.db_path())) {
    if (a.rfind("OBJECTION_", 0) == 0) actions.push_back(a);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"OBJECTION_RECORDED", "OBJECTION_RECORDED",
                                               "OBJECTION_RECORDED", "OBJECTION_RECORDED",
                                               "OBJECTION_OVERRIDDEN", "OBJECTION_WITHDRAWN"}));
  EXPECT_EQ(CountOf(Actions(server.db_path()), "FAMILIES_INFORMED"), 2);
}

TEST(Objection, UnknownOrForeignObjectionsAndPupilsAreNotFound) {
  TestServer server;
  MakeClass(server, "5D", {kStudent}, "2026-09-01");
  MakeClass(server, "5D", {kStudent}, "2026-09-01", kOtherTenant);
  v1::Objection objection;
  ASSERT_TRUE(Object(server, Dpo(), "5D", kStudent, "2026-10-01", "object-1", &objection).ok());
  const std::string id = objection.objection_id();

  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    return Override(server, Head(), "ob-doesnotexist", kJustification, "override-unknown");
  }, "override of an unknown objection");
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    return Withdraw(server, Dpo(), "ob-doesnotexist", "withdraw-unknown");
  }, "withdrawal of an unknown objection");
  // The same class and pupil ids exist in the other school: still not its objection.
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    return Override(server, Head(kOtherTenant), id, kJustification, "override-foreign");
  }, "override from another tenant");
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    return Withdraw(server, Dpo(kOtherTenant), id, "withdraw-foreign");
  }, "withdrawal from another tenant");
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    return Object(server, Dpo(), "5D", "s-not-on-roster", "2026-10-01", "object-stranger");
  }, "pupil not on the roster");
  ExpectRefused(server, grpc::StatusCode::NOT_FOUND, "NOT_FOUND", [&] {
    return Object(server, Dpo(), "no-such-class", kStudent, "2026-10-01", "object-no-class");
  }, "unknown class");
  int n = 0;
  for (const char* bad : {"", "2026-10-1", "2999-01-01", "2026-02-30"}) {
    ExpectRefused(server, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT", [&] {
      return Object(server, Dpo(), "5D", kStudent, bad, "object-bad-" + std::to_string(++n));
    }, std::string("received_on '") + bad + "'");
  }
  for (const Caller& caller : {Lms(), Teacher(), Inspector()}) {
    ExpectRefused(server, grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED", [&] {
      return Object(server, caller, "5D", kStudent, "2026-10-01", "object-by-" + caller.role);
    }, "objection recorded by " + caller.role);
  }

  // The foreign school's own pupil is not blocked by this school's objection.
  v1::ListObjectionsResponse listed;
  ASSERT_TRUE(List(server, Dpo(), "5D", &listed).ok());
  ASSERT_EQ(listed.objections_size(), 1);
  EXPECT_EQ(listed.objections(0).state(), v1::OBJECTION_ACTIVE);
}

TEST(Objection, AReplayedObjectionGivesTheSameAnswerAndWritesNothing) {
  TestServer server;
  MakeClass(server, "5D", {kStudent}, "2026-09-01");
  v1::Objection first, again;
  ASSERT_TRUE(Object(server, Dpo(), "5D", kStudent, "2026-10-01", "object-1", &first).ok());
  const Snapshot before = Take(server);
  ASSERT_TRUE(Object(server, Dpo(), "5D", kStudent, "2026-10-01", "object-1", &again).ok());
  EXPECT_EQ(first.SerializeAsString(), again.SerializeAsString());
  EXPECT_EQ(server.Counts(), before.counts);
  ExpectRefused(server, grpc::StatusCode::ALREADY_EXISTS, "REQUEST_ID_REUSED", [&] {
    return Object(server, Dpo(), "5D", kStudent, "2026-10-02", "object-1");
  }, "same request_id, other content");
}

}  // namespace
}  // namespace gardefou::testing
