// The release feed through the real server: a copy handed in is PendingManual with no score, a
// decision in force is FullyGraded with its score and signer, a correction is a later release
// (timestamps whole seconds, strictly increasing per pupil), a decision waiting for a second
// mark withdraws the grade; a reader that drops and resumes from its cursor while teachers
// sign off concurrently misses and repeats nothing; pages handed out are audited.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

grpc::Status List(TestServer& server, const Caller& caller, int64_t after,
                  v1::ListReleasesResponse* out, int page_size = 0,
                  const std::string& assignment_id = "") {
  v1::ListReleasesRequest request;
  request.set_after_cursor(after);
  request.set_page_size(page_size);
  request.set_assignment_id(assignment_id);
  return server.grading().ListReleases(TestServer::Context(caller).get(), request, out);
}

std::vector<v1::Release> All(TestServer& server, const Caller& caller = Lms()) {
  std::vector<v1::Release> out;
  int64_t cursor = 0;
  while (true) {
    v1::ListReleasesResponse page;
    EXPECT_TRUE(List(server, caller, cursor, &page, 7).ok());
    if (page.releases().empty()) return out;
    out.insert(out.end(), page.releases().begin(), page.releases().end());
    cursor = page.next_cursor();
  }
}

int64_t Seconds(const v1::Release& r) { return r.timestamp().seconds(); }

TEST(ReleaseFeed, PendingManualUntilSignOffThenFullyGradedAndACorrectionComesLater) {
  TestServer server;
  Scenario s = BuildScenario(server.grading());
  std::vector<v1::Release> feed = All(server);
  ASSERT_EQ(feed.size(), 1u);
  EXPECT_EQ(feed[0].grading_progress(), "PendingManual");
  EXPECT_EQ(feed[0].activity_progress(), "Submitted");
  EXPECT_FALSE(feed[0].has_score_given()) << "never a score before a teacher's decision";
  EXPECT_FALSE(feed[0].has_score_maximum());
  EXPECT_TRUE(feed[0].scoring_user_id().empty());
  EXPECT_TRUE(feed[0].comment().empty());
  EXPECT_EQ(feed[0].student_id(), kStudent);
  EXPECT_EQ(feed[0].assignment_id(), s.assignment.assignment_id());
  EXPECT_EQ(feed[0].timestamp().nanos(), 0) << "whole seconds";

  // Suggestions are made: still nothing to show.
  EXPECT_EQ(All(server).size(), 1u);

  v1::Decision first;
  ASSERT_TRUE(server.grading()
                  .SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s), &first)
                  .ok());
  feed = All(server);
  ASSERT_EQ(feed.size(), 2u);
  EXPECT_EQ(feed[1].grading_progress(), "FullyGraded");
  EXPECT_EQ(feed[1].activity_progress(), "Completed");
  EXPECT_DOUBLE_EQ(feed[1].score_given(), first.total_points());
  EXPECT_DOUBLE_EQ(feed[1].score_maximum(), 20);
  EXPECT_EQ(feed[1].scoring_user_id(), kTeacher);
  EXPECT_EQ(feed[1].comment(), first.final_comment());
  EXPECT_EQ(feed[1].decision_id(), first.decision_id());
  EXPECT_GE(Seconds(feed[1]), Seconds(feed[0]) + 1);

  // A correction: a later FullyGraded, at least a second after.
  v1::OpenReviewRequest reopen;
  reopen.set_request_id("review-2");
  reopen.set_copy_id(s.copy.copy_id());
  ASSERT_TRUE(
      server.grading().OpenReview(TestServer::Context(Teacher()).get(), reopen, &s.review).ok());
  v1::SignOffRequest correction = ValidSignOff(s, "sign-2");
  correction.mutable_scores(2)->set_points(1);
  correction.set_supersedes_decision_id(first.decision_id());
  correction.set_supersede_reason("Erreur de report.");
  v1::Decision second;
  ASSERT_TRUE(
      server.grading().SignOff(TestServer::Context(Teacher()).get(), correction, &second).ok());
  feed = All(server);
  ASSERT_EQ(feed.size(), 3u);
  EXPECT_EQ(feed[2].decision_id(), second.decision_id());
  EXPECT_DOUBLE_EQ(feed[2].score_given(), second.total_points());
  EXPECT_GE(Seconds(feed[2]), Seconds(feed[1]) + 1);
  EXPECT_LT(feed[0].cursor(), feed[1].cursor());
  EXPECT_LT(feed[1].cursor(), feed[2].cursor());
}

TEST(ReleaseFeed, AGradeReplacedByADecisionWaitingForASecondMarkIsWithdrawn) {
  absl::StatusOr<policy::Policy> policy = policy::Policy::Parse(
      "name = careful\nversion = 1\nmax_copy_bytes = 100000\n"
      "default_provider = offline-rubric\npurposes = CORRECTION, EVALUATION, EXTRA_WORK\n"
      "[role lms]\nmethods = UpsertRoster, CreateAssignment, SubmitCopy, RequestSuggestion, "
      "RecordFamiliesInformed, ListReleases\n"
      "[role teacher]\nmethods = RequestSuggestion, OpenReview, SignOff, SecondMark\n"
      "[second_marking]\ncriterion_gap_points = 0.5\n",
      "careful.conf");
  ASSERT_TRUE(policy.ok()) << policy.status();
  TestServer server({}, {0, 0}, *policy);
  Scenario s = BuildScenario(server.grading());
  // First alone (no proposal, so no gap): in force at once.
  v1::SignOffRequest alone = ValidSignOff(s, "sign-alone");
  alone.clear_evaluation_suggestion_id();
  alone.clear_notice_version();
  for (v1::CriterionScore& score : *alone.mutable_scores()) score.set_origin(v1::TEACHER_ONLY);
  v1::Decision first;
  ASSERT_TRUE(
      server.grading().SignOff(TestServer::Context(Teacher()).get(), alone, &first).ok());
  ASSERT_EQ(first.status(), v1::ACTIVE);
  // Then a correction that moves a criterion a point from the AI's: it waits for a second mark.
  v1::OpenReviewRequest reopen;
  reopen.set_request_id("review-2");
  reopen.set_copy_id(s.copy.copy_id());
  ASSERT_TRUE(
      server.grading().OpenReview(TestServer::Context(Teacher()).get(), reopen, &s.review).ok());
  v1::SignOffRequest correction = ValidSignOff(s, "sign-2");
  correction.set_supersedes_decision_id(first.decision_id());
  correction.set_supersede_reason("Avec la proposition.");
  v1::Decision pending;
  ASSERT_TRUE(
      server.grading().SignOff(TestServer::Context(Teacher()).get(), correction, &pending).ok());
  ASSERT_EQ(pending.status(), v1::PENDING_SECOND_MARK);
  const std::vector<v1::Release> feed = All(server);
  ASSERT_EQ(feed.size(), 3u);
  EXPECT_EQ(feed[1].grading_progress(), "FullyGraded");
  EXPECT_EQ(feed[2].grading_progress(), "PendingManual") << "the grade is withdrawn meanwhile";
  EXPECT_FALSE(feed[2].has_score_given());
  EXPECT_GE(Seconds(feed[2]), Seconds(feed[1]) + 1);
}

TEST(ReleaseFeed, OnlyTheLmsAndAdminsReadItEachTenantItsOwnAndBadPagesWriteNothing) {
  TestServer server;
  BuildScenario(server.grading());
  BuildScenario(server.grading(), true, true, kOtherTenant);
  EXPECT_EQ(All(server, Lms(kOtherTenant)).size(), 1u);
  for (const Caller& caller : {Teacher(), Inspector(), Caller{kTenant, "d-1", "dpo"},
                               Caller{kTenant, "h-1", "head_of_school"}}) {
    const TableCounts before = server.Counts();
    v1::ListReleasesResponse page;
    const grpc::Status refused = List(server, caller, 0, &page);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED) << caller.role;
    EXPECT_EQ(ReasonOf(refused), "ROLE_NOT_ALLOWED") << caller.role;
    EXPECT_EQ(server.Counts(), before);
  }
  const TableCounts before = server.Counts();
  v1::ListReleasesResponse page;
  struct BadPage {
    int64_t after;
    int page_size;
    std::string assignment_id;
    grpc::StatusCode code;
    std::string reason;
  };
  for (const BadPage& bad : {
           BadPage{-1, 0, "", grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT"},
           BadPage{0, 501, "", grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT"},
           BadPage{0, 0, "as-none", grpc::StatusCode::NOT_FOUND, "NOT_FOUND"},
           BadPage{0, 0, "bad id!", grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT"},
       }) {
    const grpc::Status refused = List(server, Lms(), bad.after, &page, bad.page_size,
                                      bad.assignment_id);
    EXPECT_EQ(refused.error_code(), bad.code) << bad.after << " " << bad.page_size << " "
                                              << bad.assignment_id;
    EXPECT_EQ(ReasonOf(refused), bad.reason) << refused.error_message();
  }
  EXPECT_EQ(List(server, Lms(), 1000, &page).error_code(), grpc::StatusCode::OK);
  EXPECT_TRUE(page.releases().empty());
  EXPECT_EQ(page.next_cursor(), 1000) << "an empty page keeps the cursor";
  EXPECT_EQ(server.Counts(), before) << "refused and empty pages write nothing";

  // A page handed out is recorded: who fetched which cursors.
  ASSERT_TRUE(List(server, Caller{kTenant, "admin-1", "admin"}, 0, &page).ok());
  ASSERT_EQ(page.releases_size(), 1);
  v1::ListEventsRequest request;
  request.set_action("RELEASES_READ");
  v1::ListEventsResponse events;
  ASSERT_TRUE(
      server.trail().ListEvents(TestServer::Context(Inspector()).get(), request, &events).ok());
  ASSERT_EQ(events.events_size(), 1);
  EXPECT_EQ(events.events(0).actor_id(), "admin-1");
  EXPECT_NE(events.events(0).details_json().find("\"count\":1"), std::string::npos)
      << events.events(0).details_json();
}

TEST(ReleaseFeed, AReaderThatDropsAndResumesFromItsCursorMissesAndRepeatsNothing) {
  TestServer server;
  // One class of 12 pupils, one copy each, one teacher signing them all off from 3 threads.
  v1::UpsertRosterRequest roster;
  roster.set_request_id("roster");
  roster.set_class_id(kClass);
  roster.mutable_school()->set_name("Collège Test");
  v1::Person* teacher = roster.add_teachers();
  teacher->set_id(kTeacher);
  teacher->set_last("Prof");
  constexpr int kPupils = 12;
  for (int i = 0; i < kPupils; ++i) {
    v1::Person* p = roster.add_students();
    p->set_id("s-" + std::to_string(i));
    p->set_first("Eleve");
    p->set_last("N" + std::to_string(i));
  }
  v1::UpsertRosterResponse upserted;
  ASSERT_TRUE(
      server.grading().UpsertRoster(TestServer::Context(Lms()).get(), roster, &upserted).ok());
  v1::CreateAssignmentRequest create;
  create.set_request_id("assignment");
  create.set_class_id(kClass);
  create.set_title("Essai");
  v1::Criterion* c = create.mutable_rubric()->add_criteria();
  c->set_id("c1");
  c->set_label("Tout");
  c->set_max_points(20);
  create.add_teacher_ids(kTeacher);
  v1::Assignment assignment;
  ASSERT_TRUE(server.grading()
                  .CreateAssignment(TestServer::Context(Lms()).get(), create, &assignment)
                  .ok());
  std::vector<v1::Copy> copies(kPupils);
  for (int i = 0; i < kPupils; ++i) {
    v1::SubmitCopyRequest submit;
    submit.set_request_id("copy-" + std::to_string(i));
    submit.set_assignment_id(assignment.assignment_id());
    submit.set_student_id("s-" + std::to_string(i));
    submit.set_text("Un texte.");
    ASSERT_TRUE(
        server.grading().SubmitCopy(TestServer::Context(Lms()).get(), submit, &copies[i]).ok());
  }

  std::atomic<bool> done{false};
  std::vector<std::thread> signers;
  for (int t = 0; t < 3; ++t) {
    signers.emplace_back([&, t] {
      for (int i = t; i < kPupils; i += 3) {
        v1::OpenReviewRequest open;
        open.set_request_id("review-" + std::to_string(i));
        open.set_copy_id(copies[i].copy_id());
        v1::Review review;
        EXPECT_TRUE(
            server.grading().OpenReview(TestServer::Context(Teacher()).get(), open, &review).ok());
        v1::SignOffRequest sign;
        sign.set_request_id("sign-" + std::to_string(i));
        sign.set_copy_id(copies[i].copy_id());
        sign.set_review_id(review.review_id());
        v1::CriterionScore* score = sign.add_scores();
        score->set_criterion_id("c1");
        score->set_points(i);
        score->set_origin(v1::TEACHER_ONLY);
        sign.set_attest_copy_read(true);
        v1::Decision decision;
        EXPECT_TRUE(
            server.grading().SignOff(TestServer::Context(Teacher()).get(), sign, &decision).ok());
      }
    });
  }
  // The reader: pages of 2, a new connection every other page (as after a disconnect), resuming
  // from the last cursor it processed.
  std::vector<v1::Release> seen;
  int64_t cursor = 0;
  int pages = 0;
  auto read_some = [&] {
    auto channel = grpc::CreateChannel(
        "localhost:" + std::to_string(server.server().port()), grpc::InsecureChannelCredentials());
    auto stub = v1::GradingAssist::NewStub(channel);
    for (int k = 0; k < 2; ++k) {
      v1::ListReleasesRequest request;
      request.set_after_cursor(cursor);
      request.set_page_size(2);
      v1::ListReleasesResponse page;
      ASSERT_TRUE(stub->ListReleases(TestServer::Context(Lms()).get(), request, &page).ok());
      seen.insert(seen.end(), page.releases().begin(), page.releases().end());
      cursor = page.next_cursor();
      ++pages;
    }
  };
  while (!done.load()) {
    read_some();
    if (seen.size() >= 2 * kPupils) done = true;
  }
  for (std::thread& t : signers) t.join();
  read_some();

  std::set<int64_t> cursors;
  std::map<std::string, int> graded;
  for (const v1::Release& r : seen) {
    EXPECT_TRUE(cursors.insert(r.cursor()).second) << "repeated cursor " << r.cursor();
    if (r.grading_progress() == "FullyGraded") ++graded[r.student_id()];
  }
  EXPECT_EQ(seen.size(), 2u * kPupils) << "one PendingManual and one FullyGraded per pupil";
  EXPECT_EQ(graded.size(), static_cast<size_t>(kPupils));
  for (const auto& [pupil, n] : graded) EXPECT_EQ(n, 1) << pupil;
  const std::vector<v1::Release> at_once = All(server);
  ASSERT_EQ(at_once.size(), seen.size());
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(at_once[i].SerializeAsString(), seen[i].SerializeAsString()) << i;
  }
  EXPECT_GT(pages, 2);
}

}  // namespace
}  // namespace gardefou::testing
