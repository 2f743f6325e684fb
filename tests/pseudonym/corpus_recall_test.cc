// The pseudonymiser's quality bar on the labelled corpora (tests/data/pii, and the one named
// by GARDEFOU_CORPUS when set): recall 100% for roster people, school, place and hard
// identifiers; >= 98% for addresses, birth dates and handles; >= 80% for people outside the
// roster; >= 98% of trap phrases kept.
#include <gtest/gtest.h>

#include "tests/support/pii_scoring.h"

namespace gardefou::testing {
namespace {

class CorpusRecall : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusRecall, MeetsTheBar) {
  auto score = ScoreCorpus(GetParam());
  ASSERT_TRUE(score.ok()) << score.status();
  std::cout << GetParam() << "\n" << FormatScore(*score);
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

INSTANTIATE_TEST_SUITE_P(Corpora, CorpusRecall, ::testing::ValuesIn(CorporaUnderTest()),
                         [](const auto& info) {
                           return info.index == 0 ? std::string("InRepo")
                                                  : std::string("FromEnvironment");
                         });

}  // namespace
}  // namespace gardefou::testing
