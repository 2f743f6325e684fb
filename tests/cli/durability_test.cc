// End to end: a decision acknowledged by `gardefou serve` survives SIGKILL of the process.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>

#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

// Starts `gardefou serve` on a free port; returns its pid and port.
std::pair<pid_t, int> StartServe(const std::filesystem::path& db, const std::filesystem::path& log) {
  const pid_t pid = fork();
  if (pid == 0) {
    freopen(log.c_str(), "w", stdout);
    execl(GARDEFOU_BINARY, GARDEFOU_BINARY, "serve", "--db", db.c_str(), "--listen",
          "127.0.0.1:0", static_cast<char*>(nullptr));
    _exit(127);
  }
  const std::regex listening("listening on port ([0-9]+)");
  for (int i = 0; i < 200; ++i) {
    std::ifstream in(log);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
      if (std::regex_search(line, m, listening)) return {pid, std::stoi(m[1])};
    }
    usleep(50 * 1000);
  }
  return {pid, 0};
}

TEST(Durability, AnAcknowledgedSignOffSurvivesAKill) {
  TempDir dir;
  const auto db = dir.path() / "gardefou.db";
  auto [pid, port] = StartServe(db, dir.path() / "serve.log");
  ASSERT_GT(port, 0) << "gardefou serve did not start";

  // Drive the real process through the same scenario helpers, then kill it mid-flight.
  std::string decision_id;
  std::string copy_id;
  {
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                       grpc::InsecureChannelCredentials());
    auto grading = v1::GradingAssist::NewStub(channel);
    v1::UpsertRosterRequest roster;
    roster.set_request_id("r");
    roster.set_class_id(kClass);
    roster.mutable_school()->set_name("C");
    roster.add_teachers()->set_id(kTeacher);
    roster.mutable_teachers(0)->set_last("P");
    roster.add_students()->set_id(kStudent);
    roster.mutable_students(0)->set_first("E");
    v1::UpsertRosterResponse r;
    ASSERT_TRUE(grading->UpsertRoster(TestServer::Context(Lms()).get(), roster, &r).ok());
    v1::CreateAssignmentRequest create;
    create.set_request_id("a");
    create.set_class_id(kClass);
    create.set_title("T");
    v1::Criterion* c = create.mutable_rubric()->add_criteria();
    c->set_id("c1");
    c->set_label("L");
    c->set_max_points(10);
    create.add_teacher_ids(kTeacher);
    v1::Assignment assignment;
    ASSERT_TRUE(grading->CreateAssignment(TestServer::Context(Lms()).get(), create, &assignment)
                    .ok());
    v1::SubmitCopyRequest submit;
    submit.set_request_id("c");
    submit.set_assignment_id(assignment.assignment_id());
    submit.set_student_id(kStudent);
    submit.set_text("Texte.");
    v1::Copy copy;
    ASSERT_TRUE(grading->SubmitCopy(TestServer::Context(Lms()).get(), submit, &copy).ok());
    v1::OpenReviewRequest open;
    open.set_request_id("o");
    open.set_copy_id(copy.copy_id());
    v1::Review review;
    ASSERT_TRUE(grading->OpenReview(TestServer::Context(Teacher()).get(), open, &review).ok());
    v1::SignOffRequest sign;
    sign.set_request_id("s");
    sign.set_copy_id(copy.copy_id());
    sign.set_review_id(review.review_id());
    v1::CriterionScore* score = sign.add_scores();
    score->set_criterion_id("c1");
    score->set_points(7.5);
    score->set_origin(v1::TEACHER_ONLY);
    sign.set_attest_copy_read(true);
    v1::Decision decision;
    ASSERT_TRUE(grading->SignOff(TestServer::Context(Teacher()).get(), sign, &decision).ok());
    decision_id = decision.decision_id();
    copy_id = copy.copy_id();
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);

  auto [pid2, port2] = StartServe(db, dir.path() / "serve2.log");
  ASSERT_GT(port2, 0);
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port2),
                                     grpc::InsecureChannelCredentials());
  auto grading = v1::GradingAssist::NewStub(channel);
  v1::GetDecisionRequest get;
  get.set_copy_id(copy_id);
  v1::Decision decision;
  ASSERT_TRUE(grading->GetDecision(TestServer::Context(Lms()).get(), get, &decision).ok());
  EXPECT_EQ(decision.decision_id(), decision_id);
  EXPECT_EQ(decision.scores(0).points(), 7.5);
  grading.reset();
  channel.reset();
  kill(pid2, SIGTERM);
  waitpid(pid2, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "SIGTERM is a clean stop";
}

}  // namespace
}  // namespace gardefou::testing
