// `gardefou audit export` against a hostile file system: an existing output directory or a
// planted symlink is refused and nothing is written through it; an export that fails half-way
// leaves no partial directory behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/run_command.h"
#include "tests/support/file_modes.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

namespace fs = std::filesystem;

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }


// The names under `dir`, symlinks not followed.
std::vector<std::string> Listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    names.push_back(entry.path().lexically_relative(dir).string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A trail with a signed checkpoint, and a file an attacker would like overwritten.
class AuditExport : public ::testing::Test {
 protected:
  void SetUp() override {
    BuildScenario(server_.grading());
    v1::GetCheckpointRequest sign;
    sign.set_sign_now(true);
    v1::Checkpoint checkpoint;
    ASSERT_TRUE(server_.trail()
                    .GetCheckpoint(TestServer::Context(Inspector()).get(), sign, &checkpoint)
                    .ok());
    server_.Stop();
    Write(victim_, "precious\n");
  }

  RunResult Export(const fs::path& out, const std::string& more = "") {
    return RunCommand(std::string(GARDEFOU_BINARY) + " audit export --db " +
                      Quote(server_.db_path()) + " --out " + Quote(out) + more);
  }

  TestServer server_;
  TempDir dir_;
  const fs::path victim_ = dir_.path() / "victim.txt";
};

TEST_F(AuditExport, ASymlinkAsTheOutputDirectoryIsRefusedAndItsTargetUntouched) {
  const fs::path target = dir_.path() / "target";
  fs::create_directory(target);
  fs::create_symlink(victim_, target / "log.pub");
  const fs::path out = dir_.path() / "out";
  fs::create_directory_symlink(target, out);
  const RunResult r = Export(out);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("already exists"), std::string::npos) << r.output;
  EXPECT_EQ(ReadAll(victim_), "precious\n");
  EXPECT_EQ(Listing(target), std::vector<std::string>{"log.pub"}) << "nothing written there";
  EXPECT_TRUE(fs::is_symlink(out));
}

TEST_F(AuditExport, ASymlinkPlantedInAnExistingDirectoryIsNeverFollowed) {
  const fs::path out = dir_.path() / "out";
  fs::create_directories(out / "checkpoints");
  for (const char* name : {"log.pub", "README.txt", "checkpoints/1.note"}) {
    fs::create_symlink(victim_, out / name);
  }
  const RunResult r = Export(out);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("already exists"), std::string::npos) << r.output;
  EXPECT_EQ(ReadAll(victim_), "precious\n");
  EXPECT_EQ(Listing(out), (std::vector<std::string>{"README.txt", "checkpoints",
                                                     "checkpoints/1.note", "log.pub"}));
}

TEST_F(AuditExport, AnExportThatFailsHalfWayLeavesNothingBehind) {
  // The events are written before the checkpoints show that the key is missing.
  const fs::path out = dir_.path() / "out";
  const RunResult r = Export(out, " --key " + Quote(dir_.path() / "no.key"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("key file was not found"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(fs::symlink_status(out))) << "no partial export";
}

TEST_F(AuditExport, AnExportIntoANewDirectoryVerifies) {
  const fs::path out = dir_.path() / "out";
  const RunResult r = Export(out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::vector<std::string> names = Listing(out);
  ASSERT_EQ(names.size(), 5u);
  EXPECT_EQ(names[0], "README.txt");
  EXPECT_EQ(names[1], "checkpoints");
  EXPECT_TRUE(names[2].starts_with("checkpoints/") && names[2].ends_with(".note")) << names[2];
  EXPECT_EQ(names[3], "events.jsonl");
  EXPECT_EQ(names[4], "log.pub");
  const RunResult verified =
      RunCommand(std::string(GARDEFOU_BINARY) + " audit verify " + Quote(out));
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

}  // namespace
}  // namespace gardefou::testing
