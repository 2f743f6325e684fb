// Word lists the pseudonymiser consults: French common words (a roster name that is also a
// common word matches only when capitalised), public figures (left alone in essays), first
// names (people outside the roster) and French communes (where pupils live).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gardefou::pseudonym {

class Lexicon {
 public:
  Lexicon() = default;
  Lexicon(Lexicon&&) = default;  // figures_by_first_ points into figures_: never copied
  Lexicon& operator=(Lexicon&&) = default;
  Lexicon(const Lexicon&) = delete;
  Lexicon& operator=(const Lexicon&) = delete;

  // Reads the common words from `dictionary_path` (one word per line, e.g. Debian's wfrench
  // /usr/share/dict/french; capitalised entries are proper nouns and skipped), the
  // public-figure list from `figures_path`, the first-name gazetteer from
  // `first_names_path` and the communes from `communes_path` (one name per line, '#'
  // comments). UNAVAILABLE naming the file when one cannot be read.
  static absl::StatusOr<Lexicon> Load(const std::string& dictionary_path,
                                      const std::string& figures_path,
                                      const std::string& first_names_path,
                                      const std::string& communes_path);

  // The lists of a data directory (see service/common/data_dir.h): public_figures.txt,
  // first_names.txt, french_communes.txt, and common_words.txt when the directory has one, else Debian's
  // wfrench list /usr/share/dict/french. Loaded once per directory and kept for the life of
  // the process (the server, the tests and the CLI share it); thread-safe. UNAVAILABLE naming
  // the missing file.
  static absl::StatusOr<const Lexicon*> Shared(const std::string& data_dir);

  // What a folded word is, in one lookup: a bit set of the flags below.
  static constexpr uint8_t kCommonWord = 1;   // a French common word
  static constexpr uint8_t kFirstName = 2;    // a first name of the gazetteer
  static constexpr uint8_t kFigureStart = 4;  // the first word of a public figure's name
  static constexpr uint8_t kCommuneStart = 8;  // the first word of a commune's name
  uint8_t Flags(absl::string_view folded) const {
    auto it = flags_.find(folded);
    return it == flags_.end() ? 0 : it->second;
  }
  bool IsCommonWord(absl::string_view folded) const { return Flags(folded) & kCommonWord; }
  // The number of words of the longest commune name starting at words[0] ("saint", "jean",
  // "de", "luz" gives 4), 0 when none does. At most kMaxCommuneWords words are read.
  static constexpr size_t kMaxCommuneWords = 8;
  size_t CommuneLength(const std::vector<absl::string_view>& words) const;
  // Whether a commune of that folded name (words joined by one space) is in the département
  // ("69", "2A", "971"); false for an empty département.
  bool CommuneIn(absl::string_view name, absl::string_view departement) const;
  // Sets `out` to the figures whose folded name is `first` alone or starts with `first`
  // `second` (usually none).
  void FiguresStartingWith(absl::string_view first, absl::string_view second,
                           std::vector<const std::vector<std::string>*>& out) const;

 private:
  absl::flat_hash_map<std::string, uint8_t> flags_;
  std::vector<std::vector<std::string>> figures_;
  // Keyed by the first folded word of one-word figures and the first two of the others.
  absl::flat_hash_map<std::string, std::vector<const std::vector<std::string>*>> figures_by_first_;
  // Folded words joined by one space -> ",69,01," (its départements, comma-framed).
  absl::flat_hash_map<std::string, std::string> communes_;
};

// The département of a French postcode ("69100" -> "69", "97139" -> "971", "20250" -> "2B"),
// or "" when it is not five digits.
std::string DepartementOfPostcode(absl::string_view postcode);

// Splits folded text into its words: runs of letters and runs of digits ("garnier35" is two).
std::vector<std::string> FoldedWords(absl::string_view folded);

}  // namespace gardefou::pseudonym
