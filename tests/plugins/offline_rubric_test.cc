// Unit tests of the offline-rubric provider: deterministic, bounded, labelled heuristic.
#include "plugins/offline_rubric.h"

#include <gtest/gtest.h>

namespace gardefou::plugins {
namespace {

ProviderRequest Request(model::Purpose purpose, std::string text) {
  ProviderRequest r;
  r.purpose = purpose;
  r.assignment_title = "Essai";
  r.criteria = {{"structure", "Structure", 6, {"introduction et conclusion"}},
                {"argumentation", "Argumentation", 8, {"arguments illustrés d'exemples"}}};
  r.copy_text = std::move(text);
  return r;
}

TEST(OfflineRubric, ScoresEveryCriterionWithinBoundsAndSaysItIsHeuristic) {
  OfflineRubricProvider p;
  auto reply = p.Suggest(Request(model::Purpose::kEvaluation, "Introduction. Un argument."));
  ASSERT_TRUE(reply.ok());
  EXPECT_TRUE(reply->heuristic);
  ASSERT_EQ(reply->criteria.size(), 2u);
  EXPECT_EQ(reply->criteria[0].criterion_id, "structure");
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_GE(reply->criteria[i].proposed_points, 0);
    EXPECT_LE(reply->criteria[i].proposed_points, i == 0 ? 6 : 8);
    EXPECT_NE(reply->criteria[i].rationale.find("Heuristique"), std::string::npos);
  }
}

TEST(OfflineRubric, IsDeterministicAndRewardsCoverage) {
  OfflineRubricProvider p;
  const std::string rich =
      "Introduction : la question se pose. Premier argument, illustré par des exemples. "
      "Deuxième argument avec un exemple précis. Conclusion : il faut nuancer.";
  auto a = p.Suggest(Request(model::Purpose::kEvaluation, rich));
  auto b = p.Suggest(Request(model::Purpose::kEvaluation, rich));
  auto poor = p.Suggest(Request(model::Purpose::kEvaluation, "je sais pas"));
  ASSERT_TRUE(a.ok() && b.ok() && poor.ok());
  EXPECT_EQ(a->criteria[1].proposed_points, b->criteria[1].proposed_points);
  EXPECT_EQ(a->criteria[1].rationale, b->criteria[1].rationale);
  EXPECT_GT(a->criteria[1].proposed_points, poor->criteria[1].proposed_points);
}

TEST(OfflineRubric, CorrectionFlagsLongSentencesAndMissingCapitals) {
  OfflineRubricProvider p;
  std::string long_sentence = "Ceci";
  for (int i = 0; i < 40; ++i) long_sentence += " mot";
  auto reply = p.Suggest(Request(model::Purpose::kCorrection, long_sentence + ". puis une autre."));
  ASSERT_TRUE(reply.ok());
  ASSERT_EQ(reply->annotations.size(), 2u);
  EXPECT_NE(reply->annotations[0].comment.find("longue"), std::string::npos);
  EXPECT_NE(reply->annotations[1].comment.find("Majuscule"), std::string::npos);
}

TEST(OfflineRubric, ExtraWorkTargetsTheWeakestCriterion) {
  OfflineRubricProvider p;
  auto reply = p.Suggest(Request(model::Purpose::kExtraWork, "Introduction et conclusion."));
  ASSERT_TRUE(reply.ok());
  ASSERT_FALSE(reply->extra_work.empty());
  EXPECT_EQ(reply->extra_work[0].item_id, "x1");
  EXPECT_NE(reply->extra_work[0].description.find("Argumentation"), std::string::npos);
}

TEST(OfflineRubric, RefusesAiDetection) {
  OfflineRubricProvider p;
  EXPECT_FALSE(p.Suggest(Request(model::Purpose::kAiDetection, "x")).ok());
}

TEST(ProviderRegistry, FindsBuiltinsByNameOnly) {
  ProviderRegistry registry;
  ASSERT_TRUE(RegisterBuiltinProviders(registry).ok());
  EXPECT_TRUE(registry.Find("offline-rubric").ok());
  EXPECT_EQ(registry.Find("gpt").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(RegisterBuiltinProviders(registry).code(), absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace gardefou::plugins
