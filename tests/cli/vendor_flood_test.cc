// `gardefou serve` as its own process against a vendor that answers 50 MB: eight calls at
// once end in FAILED suggestions naming the cap, and the server's peak memory (VmHWM, read
// from /proc) grows by a few MiB, not by the replies.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http_test_server.h"
#include "tests/support/serve_process.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

// How much the server's peak may grow. Under ASan (`make test-asan`) freed memory waits in
// quarantine, up to 256 MiB, instead of being reused.
#ifdef __SANITIZE_ADDRESS__
constexpr long kPeakGrowthKib = (256 + 64) * 1024;
#else
constexpr long kPeakGrowthKib = 64 * 1024;
#endif

// The process's peak resident set, in KiB, or -1.
long PeakKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(VendorFlood, FiftyMegabyteRepliesLeaveTheServerSmall) {
  const std::string huge(50 << 20, 'x');
  HttpTestServer vendor([&](const std::string&) {
    return HttpReply(200, "{\"model\": \"m\", \"padding\": \"" + huge + "\"}");
  });
  TempDir dir;
  const auto conf = dir.path() / "providers.conf";
  std::ofstream(conf) << "[vendor]\nkind = openai-compatible\nbase_url = " << vendor.base_url()
                      << "\nmodel = test-model\neu_residency = yes\nretention = none\n"
                         "used_for_training = no\nmax_concurrent = 8\nmax_retries = 0\n";
  const ServeProcess server =
      StartServe(GARDEFOU_BINARY,
                 {"--db", (dir.path() / "gardefou.db").string(), "--providers", conf.string()},
                 dir.path() / "serve.log");
  ASSERT_GT(server.port, 0) << "gardefou serve did not start";
  {
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server.port),
                                       grpc::InsecureChannelCredentials());
    auto grading = v1::GradingAssist::NewStub(channel);
    const Scenario scenario = BuildScenario(*grading, /*with_suggestions=*/false,
                                            /*with_review=*/false);
    const long before = PeakKib(server.pid);
    ASSERT_GT(before, 0);
    std::vector<v1::Suggestion> suggestions(8);
    std::vector<grpc::Status> statuses(8);
    std::vector<std::thread> calls;
    for (int i = 0; i < 8; ++i) {
      calls.emplace_back([&, i] {
        v1::RequestSuggestionRequest ask;
        ask.set_request_id("flood-" + std::to_string(i));
        ask.set_copy_id(scenario.copy.copy_id());
        ask.set_purpose(v1::EVALUATION);
        ask.set_provider("vendor");
        auto context = TestServer::Context(Lms());
        context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
        statuses[i] = grading->RequestSuggestion(context.get(), ask, &suggestions[i]);
      });
    }
    for (auto& call : calls) call.join();
    for (int i = 0; i < 8; ++i) {
      ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
      EXPECT_EQ(suggestions[i].state(), v1::FAILED);
      EXPECT_NE(suggestions[i].failure_reason().find("max_reply_bytes"), std::string::npos)
          << suggestions[i].failure_reason();
    }
    const long after = PeakKib(server.pid);
    EXPECT_LT(after - before, kPeakGrowthKib)
        << "peak RSS grew from " << before << " KiB to " << after << " KiB";
  }
  EXPECT_TRUE(StopServe(server));
}

}  // namespace
}  // namespace gardefou::testing
