// The quality bar of issue 3 on shared/corpus/dev: recall 100% for roster people, school,
// place and hard identifiers; >= 98% for addresses, birth dates and handles; >= 80% for
// people outside the roster; >= 98% of trap phrases kept.
#include <gtest/gtest.h>

#include "tests/support/pii_scoring.h"

namespace gardefou::testing {
namespace {

TEST(CorpusRecall, MeetsTheBar) {
  auto score = ScoreCorpus(GARDEFOU_SOURCE_DIR "/../shared/corpus/dev");
  ASSERT_TRUE(score.ok()) << score.status() << " (the corpus lives in shared/ beside the repo)";
  std::cout << FormatScore(*score);
  const std::map<std::string, double> bar = {
      {"STUDENT", 1.0}, {"STAFF", 1.0},         {"SCHOOL", 1.0},  {"PLACE", 1.0},
      {"EMAIL", 1.0},   {"PHONE", 1.0},         {"INE", 1.0},     {"NIR", 1.0},
      {"ADDRESS", 0.98}, {"DATE_OF_BIRTH", 0.98}, {"HANDLE", 0.98}, {"PERSON_OTHER", 0.80}};
  for (const auto& [type, minimum] : bar) {
    ASSERT_TRUE(score->by_type.contains(type)) << type;
    const TypeScore& t = score->by_type.at(type);
    EXPECT_GE(t.recall(), minimum) << type << " missed e.g. "
                                   << (t.missed.empty() ? "" : t.missed.front());
  }
  EXPECT_GE(score->traps_ratio(), 0.98)
      << "lost e.g. " << (score->traps_lost.empty() ? "" : score->traps_lost.front());
}

}  // namespace
}  // namespace gardefou::testing
