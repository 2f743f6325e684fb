// `make pii-report`: prints the pseudonymiser's per-type recall, the traps kept, the copies
// the leak gate blocks and which bars are not met, on the project's corpora (tests/data/pii,
// tests/data/pii_realistic) and GARDEFOU_CORPUS when set; --corpus DIR for that one only.
// With --misses, also what it missed.
#include <iostream>
#include <string>
#include <vector>

#include "tests/support/pii_scoring.h"

int main(int argc, char** argv) {
  std::vector<std::string> dirs;
  bool misses = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--misses") {
      misses = true;
    } else if (arg == "--corpus" && i + 1 < argc) {
      if (argv[++i][0] != 0) dirs.emplace_back(argv[i]);
    } else {
      std::cerr << "usage: pii_report [--corpus DIR] [--misses]\n";
      return 2;
    }
  }
  if (dirs.empty()) {
    for (const auto& corpus : gardefou::testing::CorporaUnderTest()) dirs.push_back(corpus.dir);
  }
  for (const std::string& dir : dirs) {
    auto score = gardefou::testing::ScoreCorpus(dir);
    if (!score.ok()) {
      std::cerr << "pii_report: " << score.status().message() << "\n";
      return 2;
    }
    std::cout << "Pseudonymisation recall on " << dir << "\n\n" << FormatScore(*score);
    if (misses) {
      for (const auto& [type, t] : score->by_type) {
        for (const auto& m : t.missed) std::cout << "missed " << type << ": " << m << "\n";
      }
      for (const auto& t : score->traps_lost) std::cout << "trap lost: " << t << "\n";
      for (const auto& b : score->blocked) std::cout << "gate blocks " << b << "\n";
    }
    std::cout << "\n";
  }
  return 0;
}
