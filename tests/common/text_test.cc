// Unit tests of UTF-8 validation, the characters text fields refuse, and identifier checks.
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
  absl::Status st = CheckText("text", "secret \xFF", 100, true, TextKind::kFreeText);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("text"), absl::string_view::npos);
  EXPECT_EQ(st.message().find("secret"), absl::string_view::npos);
  EXPECT_EQ(CheckText("text", std::string(101, 'a'), 100, true, TextKind::kFreeText).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckText("text", "", 100, true, TextKind::kFreeText).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckText("text", "", 100, false, TextKind::kFreeText).ok());
}

TEST(CheckText, ASingleLineFieldRefusesEveryControlAndBidiCharacter) {
  const std::string bad[] = {
      std::string("Ga\0rnier", 8), "Gar\nnier", "Gar\tnier", "Gar\rnier", "Gar\x1Bnier",
      "Gar\x7Fnier", "Gar\x01nier", "Gar\x1Fnier",
      "Gar\u202Anier", "Gar\u202Enier", "Gar\u2066nier", "Gar\u2069nier", "Gar\u200Enier",
      "Gar\u200Fnier", "Gar\u061Cnier"};
  for (const std::string& value : bad) {
    const absl::Status st =
        CheckText("students[0].last", value, 200, true, TextKind::kSingleLine);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << value;
    EXPECT_NE(st.message().find("students[0].last"), absl::string_view::npos) << st;
    EXPECT_EQ(st.message().find("Gar"), absl::string_view::npos) << "the value is never quoted";
  }
  const absl::Status st = CheckText("title", "a\u202Eb", 300, true, TextKind::kSingleLine);
  EXPECT_NE(st.message().find("U+202E"), absl::string_view::npos) << st;
}

TEST(CheckText, FreeTextAllowsLineBreaksTabsAndBidiControlsButNoOtherControl) {
  EXPECT_TRUE(
      CheckText("text", "Un texte.\n\tSuite,\r\nfin.", 100, true, TextKind::kFreeText).ok());
  EXPECT_TRUE(CheckText("text", "\u0645\u0631\u062D\u0628\u0627 \u200Fok\u202B", 100, true,
                        TextKind::kFreeText).ok());
  for (const std::string& value :
       {std::string("a\0b", 3), std::string("a\x07" "b"), std::string("a\x1B" "b"),
        std::string("a\x0C" "b"), std::string("a\x7F" "b")}) {
    EXPECT_EQ(CheckText("text", value, 100, true, TextKind::kFreeText).code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST(CheckText, PrintableTextOfAnyScriptPasses) {
  for (const char* value : {"Élève Hương Nguyễn", "Дмитрий", "محمد", "李小龙", "O'Brien-Smith",
                            "Gar\u00ADnier", "\u00A0\u2060"}) {
    EXPECT_TRUE(CheckText("first", value, 200, true, TextKind::kSingleLine).ok()) << value;
  }
}

TEST(CheckId, AllowsOnlyASafeAlphabet) {
  EXPECT_TRUE(CheckId("id", "s-1001_A.b:c").ok());
  EXPECT_FALSE(CheckId("id", "").ok());
  EXPECT_FALSE(CheckId("id", "a b").ok());
  EXPECT_FALSE(CheckId("id", "é").ok());
  EXPECT_FALSE(CheckId("id", std::string("s-1\0", 4)).ok());
  EXPECT_FALSE(CheckId("id", "s-1\u202E").ok());
  EXPECT_FALSE(CheckId("id", std::string(65, 'a')).ok());
}

}  // namespace
}  // namespace gardefou::common
