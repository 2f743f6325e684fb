// Unit tests of the policy engine and of the shipped default policy.
#include "policy/policy.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "service/common/hashing.h"

namespace gardefou::policy {
namespace {

TEST(Policy, DefaultIsTheShippedFileByteForByte) {
  std::ifstream in(GARDEFOU_SOURCE_DIR "/policy/default_policy.json", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(Policy::Default().hash(), common::Sha256Hex(text.str()));
  EXPECT_EQ(Policy::Default().max_copy_bytes(), 1024u * 1024u);
  EXPECT_EQ(Policy::Default().default_provider(), "offline-rubric");
}

TEST(Policy, DefaultRefusesAiDetectionAndAllowsTheThreePurposes) {
  const Policy& p = Policy::Default();
  EXPECT_EQ(p.CheckPurpose("AI_DETECTION").code(), absl::StatusCode::kPermissionDenied);
  for (const char* purpose : {"CORRECTION", "EVALUATION", "EXTRA_WORK"}) {
    EXPECT_TRUE(p.CheckPurpose(purpose).ok()) << purpose;
  }
}

TEST(Policy, OnlyTeachersSignOff) {
  const Policy& p = Policy::Default();
  EXPECT_TRUE(p.CheckRole("teacher", "SignOff").ok());
  for (const char* role : {"lms", "inspector", "dpo", "admin", "nobody"}) {
    EXPECT_EQ(p.CheckRole(role, "SignOff").code(), absl::StatusCode::kPermissionDenied) << role;
  }
}

TEST(Policy, MalformedDocumentsNameTheField) {
  auto bad = Policy::Parse(R"({"name":"x","max_copy_bytes":-1})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("max_copy_bytes"), absl::string_view::npos);
  EXPECT_FALSE(Policy::Parse("not json").ok());
  auto roles = Policy::Parse(
      R"({"name":"x","max_copy_bytes":1,"default_provider":"p","purposes_allowed":[],)"
      R"("roles":{"lms":"SubmitCopy"}})");
  ASSERT_FALSE(roles.ok());
  EXPECT_NE(roles.status().message().find("roles.lms"), absl::string_view::npos);
}

}  // namespace
}  // namespace gardefou::policy
