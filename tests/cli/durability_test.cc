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
  EXPECT_EQ(decision.scores(2).points(), expected_points);
  grading.reset();
  channel.reset();
  kill(pid2, SIGTERM);
  waitpid(pid2, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "SIGTERM is a clean stop";
}

}  // namespace
}  // namespace gardefou::testing
