// `make pii-report`: prints the pseudonymiser's per-type recall on a labelled corpus
// (default tests/data/pii, the project's own; --corpus DIR for another) and, with --misses,
// what it missed.
#include <iostream>
#include <string>

#include "tests/support/pii_scoring.h"

int main(int argc, char** argv) {
  std::string dir = GARDEFOU_SOURCE_DIR "/tests/data/pii";
  bool misses = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--misses") {
      misses = true;
    } else if (arg == "--corpus" && i + 1 < argc) {
      if (argv[++i][0] != 0) dir = argv[i];
    } else {
      std::cerr << "usage: pii_report [--corpus DIR] [--misses]\n";
      return 2;
    }
  }
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
  return 0;
}
