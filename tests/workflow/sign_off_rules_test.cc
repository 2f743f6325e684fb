// Unit tests of the pure sign-off rules (invariant 2) without a server or a database.
#include "service/workflow/sign_off_rules.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gardefou::workflow {
namespace {

using model::Origin;

model::AssignmentRecord Rubric() {
  model::AssignmentRecord a;
  a.criteria = {{"c1", "A", 6, {}}, {"c2", "B", 8, {}}};
  return a;
}

model::SuggestionRecord Evaluation() {
  model::SuggestionRecord s;
  s.purpose = model::Purpose::kEvaluation;
  s.ready = true;
  s.criteria = {{"c1", 4.5, ""}, {"c2", 6, ""}};
  return s;
}

TEST(CheckScores, AcceptsEachOriginUsedCorrectly) {
  auto eval = Evaluation();
  EXPECT_TRUE(CheckScores(Rubric(), {{"c1", 4.5, Origin::kAcceptedSuggestion},
                                     {"c2", 7, Origin::kModified}},
                          &eval)
                  .ok());
  EXPECT_TRUE(CheckScores(Rubric(), {{"c1", 0, Origin::kTeacherOnly},
                                     {"c2", 8, Origin::kTeacherOnly}},
                          nullptr)
                  .ok());
}

TEST(CheckScores, BoundsAreInclusiveAndStrict) {
  EXPECT_TRUE(CheckScores(Rubric(), {{"c1", 6, Origin::kTeacherOnly},
                                     {"c2", 0, Origin::kTeacherOnly}},
                          nullptr)
                  .ok());
  EXPECT_FALSE(CheckScores(Rubric(), {{"c1", 6.0001, Origin::kTeacherOnly},
                                      {"c2", 0, Origin::kTeacherOnly}},
                           nullptr)
                   .ok());
  EXPECT_FALSE(CheckScores(Rubric(), {{"c1", -0.0001, Origin::kTeacherOnly},
                                      {"c2", 0, Origin::kTeacherOnly}},
                           nullptr)
                   .ok());
}

TEST(CheckScores, AcceptedNeverHidesAChange) {
  auto eval = Evaluation();
  absl::Status st = CheckScores(Rubric(), {{"c1", 5, Origin::kAcceptedSuggestion},
                                           {"c2", 6, Origin::kAcceptedSuggestion}},
                                &eval);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("c1"), absl::string_view::npos);
}

TEST(CheckScores, ProposalsAreNeededForAcceptedOrModified) {
  EXPECT_FALSE(CheckScores(Rubric(), {{"c1", 4.5, Origin::kAcceptedSuggestion},
                                      {"c2", 6, Origin::kTeacherOnly}},
                           nullptr)
                   .ok());
  auto partial = Evaluation();
  partial.criteria.pop_back();
  EXPECT_FALSE(CheckScores(Rubric(), {{"c1", 4.5, Origin::kAcceptedSuggestion},
                                      {"c2", 5, Origin::kModified}},
                           &partial)
                   .ok());
}

TEST(CheckExtraWork, TeacherOnlyItemsStandAlone) {
  EXPECT_TRUE(CheckExtraWork({{"Relire le chapitre 3.", Origin::kTeacherOnly, ""}}, nullptr).ok());
  EXPECT_FALSE(CheckExtraWork({{"Relire.", Origin::kTeacherOnly, "x1"}}, nullptr).ok());
  EXPECT_FALSE(CheckExtraWork({{"", Origin::kTeacherOnly, ""}}, nullptr).ok());
  std::vector<model::ExtraWorkItemRecord> many(21, {"Exercice.", Origin::kTeacherOnly, ""});
  EXPECT_FALSE(CheckExtraWork(many, nullptr).ok());
}

TEST(TotalPoints, SumsTheFinalScores) {
  EXPECT_DOUBLE_EQ(TotalPoints({{"a", 1.5, Origin::kTeacherOnly}, {"b", 2, Origin::kModified}}),
                   3.5);
}

}  // namespace
}  // namespace gardefou::workflow
