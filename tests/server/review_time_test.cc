// Against rubber-stamping, through the real server: a policy's minimum review time,
// proportional to the copy's length, refuses a sign-off that comes too soon (nothing written)
// and accepts it once the time has passed.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

policy::Policy WithReview(const std::string& review) {
  absl::StatusOr<policy::Policy> p = policy::Policy::Parse(
      "name = careful\nversion = 1\nmax_copy_bytes = 100000\n"
      "default_provider = offline-rubric\npurposes = CORRECTION, EVALUATION, EXTRA_WORK\n"
      "[role lms]\nmethods = UpsertRoster, CreateAssignment, SubmitCopy, RequestSuggestion\n"
      "[role teacher]\nmethods = RequestSuggestion, OpenReview, SignOff, GetDecision\n"
      "[review]\n" + review,
      "careful.conf");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

TEST(ReviewTime, ASignOffSoonerThanTheCopysLengthAsksIsRefusedAndWritesNothing) {
  // The scenario's copy has 76 characters: 76 x 600 s / 1000 = 45.6 s at least.
  TestServer server({}, {0, 0}, WithReview("min_seconds_per_1000_chars = 600\n"));
  const Scenario s = BuildScenario(server.grading());
  const TableCounts before = server.Counts();
  v1::Decision decision;
  const grpc::Status st =
      server.grading().SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s), &decision);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("at least 46 s for a copy of 76 characters"),
            std::string::npos)
      << st.error_message();
  EXPECT_EQ(server.Counts(), before);
}

TEST(ReviewTime, ASignOffAfterTheMinimumGoesThrough) {
  TestServer server({}, {0, 0}, WithReview("min_seconds = 1\n"));
  const Scenario s = BuildScenario(server.grading());
  v1::Decision decision;
  EXPECT_EQ(server.grading()
                .SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s), &decision)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const grpc::Status st = server.grading().SignOff(TestServer::Context(Teacher()).get(),
                                                   ValidSignOff(s, "sign-again"), &decision);
  EXPECT_TRUE(st.ok()) << st.error_message();
}

}  // namespace
}  // namespace gardefou::testing
