// The signing key file (created 0600, refused when others can read it) and signed checkpoint
// notes: a note opens only with the log's key and exactly as signed.
#include "service/audit/checkpoint.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_replace.h"

namespace gardefou::audit {
namespace {

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gardefou-key-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(CheckpointTest, TheKeyIsCreatedOnceWithMode0600AndReloaded) {
  auto created = LoadOrCreateSigningKey(Path("log.key"), "ent.example.fr/gardefou");
  ASSERT_TRUE(created.ok()) << created.status();
  struct stat st;
  ASSERT_EQ(::stat(Path("log.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = LoadOrCreateSigningKey(Path("log.key"), "another/name");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->verifier.public_key, created->verifier.public_key);
  EXPECT_EQ(again->verifier.name, "ent.example.fr/gardefou") << "an existing key keeps its name";
  const std::string vkey = FormatVerifierKey(created->verifier);
  EXPECT_EQ(vkey.rfind("ent.example.fr/gardefou+", 0), 0u) << vkey;
  auto parsed = ParseVerifierKey(vkey + "\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->public_key, created->verifier.public_key);
  EXPECT_EQ(parsed->key_hash, created->verifier.key_hash);
}

TEST_F(CheckpointTest, AKeyFileOthersCanReadIsRefused) {
  ASSERT_TRUE(LoadOrCreateSigningKey(Path("log.key"), "log").ok());
  std::filesystem::permissions(Path("log.key"), std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  auto key = LoadSigningKey(Path("log.key"));
  EXPECT_EQ(key.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(key.status().message().find("chmod 600"), std::string::npos) << key.status();
}

TEST_F(CheckpointTest, MalformedKeysAreRefused) {
  {
    std::ofstream out(Path("bad.key"));
    out << "not a key\n";
  }
  std::filesystem::permissions(Path("bad.key"), std::filesystem::perms::owner_read);
  EXPECT_EQ(LoadSigningKey(Path("bad.key")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(ParseVerifierKey("log+00000000+AQ==").ok());
  EXPECT_FALSE(ParseVerifierKey("just-a-name").ok());
  auto key = LoadOrCreateSigningKey(Path("log.key"), "log");
  ASSERT_TRUE(key.ok());
  std::string vkey = FormatVerifierKey(key->verifier);
  vkey[4] = vkey[4] == '0' ? '1' : '0';  // the key hash no longer matches
  EXPECT_FALSE(ParseVerifierKey(vkey).ok());
  EXPECT_EQ(LoadOrCreateSigningKey(Path("other.key"), "has space").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CheckpointTest, ANoteOpensOnlyWithItsKeyAndExactlyAsSigned) {
  auto key = LoadOrCreateSigningKey(Path("log.key"), "ent.example.fr/gardefou");
  auto other = LoadOrCreateSigningKey(Path("other.key"), "ent.example.fr/gardefou");
  ASSERT_TRUE(key.ok() && other.ok());
  const Hash root = LeafHash("root");
  const std::string note = SignCheckpoint(42, root, *key);
  EXPECT_EQ(note.rfind("ent.example.fr/gardefou\n42\n", 0), 0u) << note;
  EXPECT_NE(note.find("\n\n\xE2\x80\x94 ent.example.fr/gardefou "), std::string::npos) << note;

  auto opened = OpenCheckpoint(note, key->verifier);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->size, 42u);
  EXPECT_EQ(opened->root, root);

  EXPECT_FALSE(OpenCheckpoint(note, other->verifier).ok()) << "another key with the same name";
  EXPECT_FALSE(OpenCheckpoint(absl::StrReplaceAll(note, {{"\n42\n", "\n43\n"}}), key->verifier).ok());
  std::string changed_root = note;
  const size_t root_at = note.find("\n42\n") + 4;  // first base64 character of the root
  changed_root[root_at] = changed_root[root_at] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(OpenCheckpoint(changed_root, key->verifier).ok());
  std::string changed_signature = note;
  changed_signature[note.size() - 5] = changed_signature[note.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(OpenCheckpoint(changed_signature, key->verifier).ok());
  EXPECT_FALSE(OpenCheckpoint(note.substr(0, note.size() - 1), key->verifier).ok());
  EXPECT_FALSE(OpenCheckpoint(note.substr(0, note.find("\n\n") + 2), key->verifier).ok());
  EXPECT_FALSE(OpenCheckpoint("", key->verifier).ok());
}

}  // namespace
}  // namespace gardefou::audit
