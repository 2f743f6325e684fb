// End to end under an umask of 022: what `gardefou serve` and the audit tools create is
// private whatever the umask. The database, its -wal and -shm, the signing key, the report
// and the export's files are 0600; the export's directories 0700.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/file_modes.h"
#include "tests/support/run_command.h"
#include "tests/support/serve_process.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

namespace fs = std::filesystem;

RunResult Gardefou(const std::string& args) {
  return RunCommand(std::string(GARDEFOU_BINARY) + " " + args);
}

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

TEST(FileModes, TheServerAndTheAuditToolsCreateOnlyPrivateFiles) {
  ScopedUmask umask(0022);  // inherited by the processes below
  TempDir dir;
  const fs::path db = dir.path() / "gardefou.db";
  const ServeProcess serve =
      StartServe(GARDEFOU_BINARY, {"--db", db.string()}, dir.path() / "serve.log");
  ASSERT_GT(serve.port, 0) << "gardefou serve did not start";
  {
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(serve.port),
                                       grpc::InsecureChannelCredentials());
    auto grading = v1::GradingAssist::NewStub(channel);
    BuildScenario(*grading);
    v1::GetCheckpointRequest sign;
    sign.set_sign_now(true);
    v1::Checkpoint checkpoint;
    auto trail = v1::AuditTrail::NewStub(channel);
    ASSERT_TRUE(
        trail->GetCheckpoint(TestServer::Context(Inspector()).get(), sign, &checkpoint).ok());
  }
  // -wal and -shm exist while the server runs.
  for (const char* suffix : {"", "-wal", "-shm", ".signing-key"}) {
    EXPECT_EQ(ModeOf(db.string() + suffix), 0600) << "the file" << suffix;
  }
  ASSERT_TRUE(StopServe(serve));

  const fs::path out = dir.path() / "export";
  const RunResult exported = Gardefou("audit export --db " + Quote(db) + " --out " + Quote(out));
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_EQ(ModeOf(out), 0700);
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    EXPECT_EQ(ModeOf(entry.path()), entry.is_directory() ? 0700 : 0600) << entry.path();
    files += entry.is_regular_file();
  }
  EXPECT_EQ(files, 4) << "events.jsonl, README.txt, log.pub and one checkpoint";

  const fs::path report = dir.path() / "report.html";
  const RunResult reported =
      Gardefou("audit report --db " + Quote(db) + " --out " + Quote(report));
  ASSERT_EQ(reported.exit_code, 0) << reported.output;
  EXPECT_EQ(ModeOf(report), 0600);
}

}  // namespace
}  // namespace gardefou::testing
