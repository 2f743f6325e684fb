// Unit tests of private files and directories: exact modes under a lax umask, planted
// symlinks refused or replaced but never followed, and nothing left by an abandoned directory.
#include "service/common/private_files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/file_modes.h"
#include "tests/support/test_server.h"

namespace gardefou::common {
namespace {

namespace fs = std::filesystem;
using testing::ModeOf;
using testing::ScopedUmask;
using testing::TempDir;
using testing::ReadAll;
using testing::Write;


TEST(PrivateFiles, ModesAreExactWhateverTheUmask) {
  TempDir tmp;
  for (mode_t mask : {0000, 0022, 0277}) {
    ScopedUmask umask(mask);
    const fs::path file = tmp.path() / ("key-" + std::to_string(mask));
    ASSERT_TRUE(WriteNewPrivateFile(file, "secret\n").ok());
    EXPECT_EQ(ModeOf(file), 0600) << "umask " << mask;
    EXPECT_EQ(ReadAll(file), "secret\n");

    const fs::path dir = tmp.path() / ("export-" + std::to_string(mask));
    auto created = NewPrivateDirectory::Create(dir);
    ASSERT_TRUE(created.ok()) << created.status();
    auto sub = (*created)->CreateSubdirectory("checkpoints");
    ASSERT_TRUE(sub.ok()) << sub.status();
    ASSERT_TRUE((*sub)->WriteFile("1.note", "note").ok());
    ASSERT_TRUE((*created)->WriteFile("README.txt", "readme").ok());
    (*created)->Keep();
    created->reset();
    EXPECT_EQ(ModeOf(dir), 0700) << "umask " << mask;
    EXPECT_EQ(ModeOf(dir / "checkpoints"), 0700);
    EXPECT_EQ(ModeOf(dir / "checkpoints" / "1.note"), 0600);
    EXPECT_EQ(ModeOf(dir / "README.txt"), 0600);
    EXPECT_EQ(ReadAll(dir / "checkpoints" / "1.note"), "note");
  }
}

TEST(PrivateFiles, ANewFileIsNeverWrittenThroughASymlinkNorOverAFile) {
  TempDir tmp;
  const fs::path victim = tmp.path() / "victim";
  Write(victim, "precious");
  fs::create_symlink(victim, tmp.path() / "link");
  fs::create_symlink(tmp.path() / "nowhere", tmp.path() / "dangling");
  EXPECT_EQ(WriteNewPrivateFile(tmp.path() / "link", "x").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(WriteNewPrivateFile(tmp.path() / "dangling", "x").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(WriteNewPrivateFile(victim, "x").code(), absl::StatusCode::kAlreadyExists);
  EXPECT_FALSE(fs::exists(tmp.path() / "nowhere"));
  EXPECT_EQ(ReadAll(victim), "precious");
}

TEST(PrivateFiles, AnExistingPathOrSymlinkIsNotANewDirectory) {
  TempDir tmp;
  const fs::path target = tmp.path() / "target";
  fs::create_directory(target);
  Write(target / "README.txt", "precious");
  fs::create_directory_symlink(target, tmp.path() / "link");
  for (const char* name : {"target", "link"}) {
    auto created = NewPrivateDirectory::Create(tmp.path() / name);
    EXPECT_EQ(created.status().code(), absl::StatusCode::kAlreadyExists) << name;
  }
  EXPECT_EQ(ReadAll(target / "README.txt"), "precious");
  EXPECT_TRUE(fs::is_symlink(tmp.path() / "link"));
}

TEST(PrivateFiles, ADirectoryNotKeptIsRemovedWithEverythingCreatedInIt) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "export";
  {
    auto created = NewPrivateDirectory::Create(dir);
    ASSERT_TRUE(created.ok()) << created.status();
    auto sub = (*created)->CreateSubdirectory("checkpoints");
    ASSERT_TRUE(sub.ok());
    ASSERT_TRUE((*sub)->WriteFile("1.note", "note").ok());
    ASSERT_TRUE((*created)->CreateFile("events.jsonl").ok());
    EXPECT_EQ((*created)->WriteFile("events.jsonl", "again").code(),
              absl::StatusCode::kAlreadyExists);
  }
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_TRUE(fs::is_empty(tmp.path()));
}

TEST(PrivateFiles, AReplacedFileIsPrivateAndASymlinkIsReplacedNotFollowed) {
  TempDir tmp;
  ScopedUmask umask(0022);
  const fs::path victim = tmp.path() / "victim";
  Write(victim, "precious");
  const fs::path report = tmp.path() / "report.html";
  fs::create_symlink(victim, report);
  ASSERT_TRUE(ReplaceWithPrivateFile(report, "<html>1</html>").ok());
  EXPECT_FALSE(fs::is_symlink(report));
  EXPECT_EQ(ReadAll(victim), "precious");
  EXPECT_EQ(ReadAll(report), "<html>1</html>");
  EXPECT_EQ(ModeOf(report), 0600);
  fs::permissions(report, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  ASSERT_TRUE(ReplaceWithPrivateFile(report, "<html>2</html>").ok());
  EXPECT_EQ(ReadAll(report), "<html>2</html>");
  EXPECT_EQ(ModeOf(report), 0600);
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(tmp.path())) ++entries;
  EXPECT_EQ(entries, 2) << "no temporary file left beside the report";
}

}  // namespace
}  // namespace gardefou::common
