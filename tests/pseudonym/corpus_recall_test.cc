// The pseudonymiser's quality bar on the labelled corpora (tests/data/pii, and the one named
// by GARDEFOU_CORPUS when set): recall 100% for roster people, school, place and hard
// identifiers; >= 98% for addresses, birth dates and handles; >= 80% for people outside the
// roster; >= 98% of trap phrases kept.
#include <gtest/gtest.h>

#include "tests/support/pii_scoring.h"

namespace gardefou::testing {
namespace {

// One test over every corpus, found at run time (`make test CORPUS=DIR` adds one).
TEST(CorpusRecall, MeetsTheBarOnEveryCorpus) {
  for (const CorpusUnderTest& corpus : CorporaUnderTest()) {
    SCOPED_TRACE(corpus.dir);
    auto score = ScoreCorpus(corpus.dir);
    ASSERT_TRUE(score.ok()) << score.status();
    std::cout << corpus.dir << "\n" << FormatScore(*score);
    for (const auto& [type, minimum] : RecallBar()) {
      ASSERT_TRUE(score->by_type.contains(type)) << type;
      const TypeScore& t = score->by_type.at(type);
      EXPECT_GE(t.recall(), minimum) << type << " missed e.g. "
                                     << (t.missed.empty() ? "" : t.missed.front());
    }
    EXPECT_GE(score->traps_ratio(), corpus.traps_floor)
        << "lost e.g. " << (score->traps_lost.empty() ? "" : score->traps_lost.front());
    EXPECT_LE(1.0 * score->blocked.size() / score->copies, kGateBlocksBar)
        << "blocked e.g. " << (score->blocked.empty() ? "" : score->blocked.front());
  }
}

}  // namespace
}  // namespace gardefou::testing
