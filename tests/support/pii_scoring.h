// Scores the pseudonymiser on a labelled corpus as tests/data/pii/README.md describes: a
// surface is caught when it no longer occurs as a whole word in the output (outside trap
// phrases); a trap is kept when the exact phrase is still there.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gardefou::testing {

struct TypeScore {
  int total = 0;
  int caught = 0;
  std::vector<std::string> missed;  // "surface  (copy N)"
  double recall() const { return total == 0 ? 1.0 : static_cast<double>(caught) / total; }
};

struct CorpusScore {
  std::map<std::string, TypeScore> by_type;
  int traps_total = 0;
  int traps_kept = 0;
  std::vector<std::string> traps_lost;
  int copies = 0;
  std::vector<std::string> blocked;     // "copy N: TYPE ...": copies the leak gate refuses
  std::map<std::string, int> gate_hits;  // what the gate found, by type
  int leaked = 0;  // missed mentions in copies the gate lets through: they reach a provider
  double traps_ratio() const {
    return traps_total == 0 ? 1.0 : static_cast<double>(traps_kept) / traps_total;
  }
};

// True when `surface` occurs in `text` not glued to a letter or digit on either side (as the
// corpus README defines "occurs as a whole word"; UTF-8 bytes >= 0x80 count as letters).
bool OccursAsWord(const std::string& text, const std::string& surface);

// The minimum recall per type (the quality bar): 100% for roster people, the school and hard
// identifiers; 98% for addresses, birth dates and handles; 90% for people outside the roster
// and home places.
const std::map<std::string, double>& RecallBar();
// At least this share of trap phrases kept, and at most this share of copies blocked by the
// leak gate.
inline constexpr double kTrapsBar = 0.98;
inline constexpr double kGateBlocksBar = 0.02;

// What of the bar `score` misses: "TYPE 97.1% < 98%", "traps kept 95.3% < 98%", "gate blocks
// 3.2% > 2%"; empty when every bar is met.
std::vector<std::string> BarsNotMet(const CorpusScore& score);

struct CorpusUnderTest {
  std::string dir;
  // The traps bar the tests hold this corpus to: kTrapsBar, but for the realistic corpus its
  // current level (a floor against regressions: the 98% target is not met there yet, see
  // README "Current limits").
  double traps_floor = kTrapsBar;
};

// The labelled corpora the tests check: the project's own (tests/data/pii and
// tests/data/pii_realistic) and, when the environment sets GARDEFOU_CORPUS (`make test
// CORPUS=DIR`), that one too.
std::vector<CorpusUnderTest> CorporaUnderTest();

// Reads `dir`/rosters.json and `dir`/copies.jsonl and scores every copy.
absl::StatusOr<CorpusScore> ScoreCorpus(const std::string& dir);

// The per-type table printed by `make pii-report`, with BarsNotMet.
std::string FormatScore(const CorpusScore& score);

}  // namespace gardefou::testing
