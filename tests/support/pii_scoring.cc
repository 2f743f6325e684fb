// Implementation of the corpus scoring.
#include "tests/support/pii_scoring.h"

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "service/common/files.h"
#include "service/pseudonym/leak_gate.h"
#include "service/pseudonym/pseudonymizer.h"
#include "service/pseudonym/roster_json.h"

namespace gardefou::testing {
namespace {

bool WordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

}  // namespace

bool OccursAsWord(const std::string& text, const std::string& surface) {
  for (size_t at = text.find(surface); at != std::string::npos; at = text.find(surface, at + 1)) {
    const bool left = at == 0 || !WordByte(text[at - 1]) || !WordByte(surface.front());
    const size_t end = at + surface.size();
    const bool right = end >= text.size() || !WordByte(text[end]) || !WordByte(surface.back());
    if (left && right) return true;
  }
  return false;
}

const std::map<std::string, double>& RecallBar() {
  static const auto* bar = new std::map<std::string, double>{
      {"STUDENT", 1.0}, {"STAFF", 1.0},         {"SCHOOL", 1.0},  {"PLACE", 0.90},
      {"EMAIL", 1.0},   {"PHONE", 1.0},         {"INE", 1.0},     {"NIR", 1.0},
      {"ADDRESS", 0.98}, {"DATE_OF_BIRTH", 0.98}, {"HANDLE", 0.98}, {"PERSON_OTHER", 0.90}};
  return *bar;
}

std::vector<std::string> BarsNotMet(const CorpusScore& score) {
  std::vector<std::string> out;
  for (const auto& [type, minimum] : RecallBar()) {
    const auto it = score.by_type.find(type);
    const double recall = it == score.by_type.end() ? 0.0 : it->second.recall();
    if (recall < minimum) {
      out.push_back(absl::StrFormat("%s %.1f%% < %.0f%%", type, 100 * recall, 100 * minimum));
    }
  }
  if (score.traps_ratio() < kTrapsBar) {
    out.push_back(absl::StrFormat("traps kept %.1f%% < %.0f%%", 100 * score.traps_ratio(),
                                  100 * kTrapsBar));
  }
  const double blocked = score.copies == 0 ? 0.0 : 1.0 * score.blocked.size() / score.copies;
  if (blocked > kGateBlocksBar) {
    out.push_back(absl::StrFormat("gate blocks %.1f%% > %.0f%%", 100 * blocked,
                                  100 * kGateBlocksBar));
  }
  return out;
}

std::vector<CorpusUnderTest> CorporaUnderTest() {
  std::vector<CorpusUnderTest> corpora = {{GARDEFOU_SOURCE_DIR "/tests/data/pii"},
                                          {GARDEFOU_SOURCE_DIR "/tests/data/pii_realistic", 0.94}};
  const char* extra = std::getenv("GARDEFOU_CORPUS");
  if (extra != nullptr && extra[0] != 0) corpora.push_back({extra});
  return corpora;
}

absl::StatusOr<CorpusScore> ScoreCorpus(const std::string& dir) {
  auto lexicon = pseudonym::Lexicon::Shared(GARDEFOU_SOURCE_DIR "/data");
  if (!lexicon.ok()) return lexicon.status();
  auto text = common::ReadFileToString(dir + "/rosters.json");
  if (!text.ok()) return text.status();
  auto rosters = pseudonym::ParseRosters(*text);
  if (!rosters.ok()) return rosters.status();
  std::map<std::string, model::RosterRecord> by_class;
  for (auto& r : *rosters) by_class[r.class_id] = r;

  std::ifstream copies(dir + "/copies.jsonl");
  if (!copies) return absl::NotFoundError(absl::StrCat("no corpus at ", dir));
  CorpusScore score;
  std::string line;
  while (std::getline(copies, line)) {
    if (line.empty()) continue;
    const nlohmann::json copy = nlohmann::json::parse(line);
    const int number = ++score.copies;
    pseudonym::Pseudonymizer p(by_class[copy["class_id"].get<std::string>()],
                               copy["student_id"].get<std::string>(), **lexicon);
    const model::RosterRecord& roster = by_class[copy["class_id"].get<std::string>()];
    std::string output = p.Apply(copy["text"].get<std::string>()).text;
    // What the server would do next: the independent leak gate on the same text.
    const std::map<std::string, int> gate = pseudonym::LeakGate(roster, **lexicon).Scan(output);
    if (!gate.empty()) {
      std::string types;
      for (const auto& [type, count] : gate) {
        score.gate_hits[type] += count;
        absl::StrAppend(&types, types.empty() ? "" : " ", type);
      }
      score.blocked.push_back(absl::StrCat("copy ", number, ": ", types));
    }
    std::string without_traps = output;
    for (const auto& trap : copy["traps"]) {
      const std::string phrase = trap.get<std::string>();
      ++score.traps_total;
      if (output.find(phrase) != std::string::npos) {
        ++score.traps_kept;
      } else {
        score.traps_lost.push_back(absl::StrCat(phrase, "  (copy ", number, ")"));
      }
      for (size_t at = without_traps.find(phrase); at != std::string::npos;
           at = without_traps.find(phrase, at)) {
        without_traps.replace(at, phrase.size(), std::string(phrase.size(), ' '));
      }
    }
    for (const auto& pii : copy["pii"]) {
      TypeScore& t = score.by_type[pii["type"].get<std::string>()];
      const std::string surface = pii["surface"].get<std::string>();
      ++t.total;
      if (OccursAsWord(without_traps, surface)) {
        t.missed.push_back(absl::StrCat(surface, "  (copy ", number, ")"));
        if (gate.empty()) ++score.leaked;
      } else {
        ++t.caught;
      }
    }
  }
  return score;
}

std::string FormatScore(const CorpusScore& score) {
  std::string out = absl::StrFormat("%-15s %7s %7s %8s\n", "type", "total", "caught", "recall");
  for (const auto& [type, t] : score.by_type) {
    absl::StrAppend(&out, absl::StrFormat("%-15s %7d %7d %7.1f%%\n", type, t.total, t.caught,
                                          100 * t.recall()));
  }
  absl::StrAppend(&out, absl::StrFormat("%-15s %7d %7d %7.1f%%\n", "traps kept", score.traps_total,
                                        score.traps_kept, 100 * score.traps_ratio()));
  absl::StrAppend(&out, absl::StrFormat("(%d copies)\n", score.copies));
  absl::StrAppend(&out, absl::StrFormat(
      "copies the leak gate would block: %d (%.1f%%); labelled mentions that would reach a "
      "provider: %d\n", static_cast<int>(score.blocked.size()),
      score.copies == 0 ? 0.0 : 100.0 * score.blocked.size() / score.copies, score.leaked));
  const std::vector<std::string> not_met = BarsNotMet(score);
  absl::StrAppend(&out, not_met.empty() ? "bars: all met\n"
                                        : absl::StrCat("bars not met: ",
                                                       absl::StrJoin(not_met, "; "), "\n"));
  return out;
}

}  // namespace gardefou::testing
