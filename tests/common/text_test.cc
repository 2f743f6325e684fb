// Unit tests of UTF-8 validation and identifier checks.
#include "service/common/text.h"

#include <gtest/gtest.h>

namespace gardefou::common {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Élève, cœur, œuvre — «€» 𝄞"));
  EXPECT_TRUE(IsValidUtf8("\xC2\xA0\xE2\x80\xAF"));  // NBSP, narrow NBSP
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong 3-byte
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(CheckText, NamesTheFieldButNeverTheValue) {
  absl::Status st = CheckText("text", "secret \xFF", 100, true);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("text"), absl::string_view::npos);
  EXPECT_EQ(st.message().find("secret"), absl::string_view::npos);
  EXPECT_EQ(CheckText("text", std::string(101, 'a'), 100, true).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckText("text", "", 100, true).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckText("text", "", 100, false).ok());
}

TEST(CheckId, AllowsOnlyASafeAlphabet) {
  EXPECT_TRUE(CheckId("id", "s-1001_A.b:c").ok());
  EXPECT_FALSE(CheckId("id", "").ok());
  EXPECT_FALSE(CheckId("id", "a b").ok());
  EXPECT_FALSE(CheckId("id", "é").ok());
  EXPECT_FALSE(CheckId("id", std::string(65, 'a')).ok());
}

}  // namespace
}  // namespace gardefou::common
