// Hostile clients against the real server: a burst of idle connections beyond the default
// file limit must not stop it from accepting, and a storm of trail verifications must neither
// hold GetDecision behind it nor run (and record) calls whose deadline passed while queued.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include "tests/support/serve_process.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

// A TCP connection to the port that sends nothing.
int IdleConnection(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

grpc::Status Health(int port) {
  std::string ignored;
  return CheckHealth(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                         grpc::InsecureChannelCredentials()),
                     &ignored);
}

TEST(HostileClient, AfterABurstOfIdleConnectionsTheServerAcceptsAgain) {
  // The server starts with Debian's default soft limit of 1,024 files; 1,100 idle connections
  // would exhaust it, and gRPC 1.51 then never accepts again. The server raises its soft limit
  // to the hard one (systemd's LimitNOFILE) at start.
  rlimit original{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &original), 0);
  ASSERT_GE(original.rlim_max, 4096u) << "this test needs a hard file limit of 4,096 or more";
  rlimit low = original;
  low.rlim_cur = 1024;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  TempDir dir;
  const ServeProcess server =
      StartServe(GARDEFOU_BINARY, {"--db", (dir.path() / "g.db").string()}, dir.path() / "log");
  rlimit mine = original;
  mine.rlim_cur = original.rlim_max;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &mine), 0);
  ASSERT_NE(server.port, 0);

  std::vector<int> idle;
  for (int i = 0; i < 1100; ++i) {
    const int fd = IdleConnection(server.port);
    ASSERT_GE(fd, 0) << "connection " << i << " refused";
    idle.push_back(fd);
  }
  EXPECT_TRUE(Health(server.port).ok()) << "accepts while 1,100 idle connections are held";
  for (int fd : idle) close(fd);
  EXPECT_TRUE(Health(server.port).ok()) << "accepts after they close";
  EXPECT_TRUE(StopServe(server));
  setrlimit(RLIMIT_NOFILE, &original);
}

TEST(HostileClient, ATrailStormHoldsNeitherGetDecisionNorExpiredCalls) {
  TestServer server;
  const Scenario s = BuildScenario(server.grading());
  v1::Decision decision;
  ASSERT_TRUE(server.grading()
                  .SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s), &decision)
                  .ok());
  // A trail long enough that verifying it takes a while: each inspector read adds an event.
  v1::GetDecisionRequest get;
  get.set_copy_id(s.copy.copy_id());
  for (int i = 0; i < 6000; ++i) {
    ASSERT_TRUE(server.grading()
                    .GetDecision(TestServer::Context(Inspector()).get(), get, &decision)
                    .ok());
  }
  const int64_t events_before = server.Counts()["audit_events"];

  constexpr int kStorm = 32;
  std::atomic<int> finished{0}, ok{0}, expired{0};
  std::vector<std::thread> storm;
  for (int i = 0; i < kStorm; ++i) {
    storm.emplace_back([&] {
      auto context = TestServer::Context(Inspector());
      context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(80));
      v1::VerifyTrailResponse out;
      const grpc::Status status = server.trail().VerifyTrail(context.get(), {}, &out);
      ok += status.ok();
      expired += status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
      if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
        // The client library's own expiry carries no details; the server's, dropped from the
        // queue, says so.
        const std::string reason = ReasonOf(status);
        EXPECT_TRUE(reason == "<none>" || reason == "DEADLINE_PASSED_IN_QUEUE") << reason;
      }
      ++finished;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(server.grading()
                  .GetDecision(TestServer::Context(Teacher()).get(), get, &decision)
                  .ok());
  const int finished_when_read = finished.load();
  for (auto& t : storm) t.join();
  EXPECT_LT(finished_when_read, kStorm) << "GetDecision did not wait for the storm to end";
  EXPECT_GT(expired.load(), 0) << "the storm outlasts the verifications' deadline";
  EXPECT_EQ(ok + expired, kStorm);
  // A verification that ran is recorded; one dropped from the queue is not: fewer events than
  // calls, and at least one per answered call.
  const int64_t recorded = server.Counts()["audit_events"] - events_before;
  EXPECT_GE(recorded, ok.load());
  EXPECT_LT(recorded, kStorm) << "calls whose deadline passed while queued never ran";
}

}  // namespace
}  // namespace gardefou::testing
