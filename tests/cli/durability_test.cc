// End to end: a decision acknowledged by `gardefou serve` survives SIGKILL of the process.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/serve_process.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

TEST(Durability, AnAcknowledgedSignOffSurvivesAKill) {
  TempDir dir;
  const auto db = dir.path() / "gardefou.db";
  auto [pid, port] = StartServe(GARDEFOU_BINARY, {"--db", db.string()}, dir.path() / "serve.log");
  ASSERT_GT(port, 0) << "gardefou serve did not start";

  // Drive the real process through the scenario helpers, sign off, then kill it.
  std::string decision_id;
  std::string copy_id;
  double expected_points = -1;
  {
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                       grpc::InsecureChannelCredentials());
    auto grading = v1::GradingAssist::NewStub(channel);
    Scenario scenario = BuildScenario(*grading);
    v1::Decision decision;
    ASSERT_TRUE(grading->SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(scenario),
                                 &decision).ok());
    expected_points = decision.scores(2).points();
    decision_id = decision.decision_id();
    copy_id = scenario.copy.copy_id();
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);

  const ServeProcess restarted =
      StartServe(GARDEFOU_BINARY, {"--db", db.string()}, dir.path() / "serve2.log");
  const int port2 = restarted.port;
  ASSERT_GT(port2, 0);
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port2),
                                     grpc::InsecureChannelCredentials());
  auto grading = v1::GradingAssist::NewStub(channel);
  v1::GetDecisionRequest get;
  get.set_copy_id(copy_id);
  v1::Decision decision;
  ASSERT_TRUE(grading->GetDecision(TestServer::Context(Lms()).get(), get, &decision).ok());
  EXPECT_EQ(decision.decision_id(), decision_id);
  EXPECT_EQ(decision.scores(2).points(), expected_points);
  grading.reset();
  channel.reset();
  EXPECT_TRUE(StopServe(restarted)) << "SIGTERM is a clean stop";
}

}  // namespace
}  // namespace gardefou::testing
