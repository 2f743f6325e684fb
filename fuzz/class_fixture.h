// What the pseudonymisation targets share: a small class of a real-looking school, and the
// lexicon, loaded once from the repository's data/ directory.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "service/pseudonym/lexicon.h"
#include "service/model/records.h"

namespace gardefou::fuzz {

inline const model::RosterRecord& Class() {
  static const model::RosterRecord roster = [] {
    model::RosterRecord r;
    r.class_id = "c01";
    r.school = {"Collège Jean-Moulin", "0470181S", "Villeneuve-sur-Lot", "47300"};
    r.teachers = {{"t011", "Paulette", "Dos Reis", "Mme", "", {}},
                  {"t012", "Hüseyin", "Ziani", "M.", "", {}}};
    r.students = {{"s0101", "Salim", "Riou", "", "330109710GX", {}},
                  {"s0102", "Léa", "Meyer", "", "583773948QY", {"Lélé"}},
                  {"s0104", "Louis", "Çelik", "", "5338284453C", {}},
                  {"s0107", "Rose", "Pasteur", "", "438660386TS", {}},
                  {"s0111", "Nassim", "Édouard", "", "266933421NU", {}}};
    return r;
  }();
  return roster;
}

inline const pseudonym::Lexicon& SharedLexicon() {
  static const pseudonym::Lexicon* lexicon = [] {
    absl::StatusOr<const pseudonym::Lexicon*> loaded =
        pseudonym::Lexicon::Shared(GARDEFOU_SOURCE_DIR "/data");
    if (!loaded.ok()) {
      std::fprintf(stderr, "cannot load the lexicon: %s\n", loaded.status().ToString().c_str());
      std::abort();
    }
    return *loaded;
  }();
  return *lexicon;
}

}  // namespace gardefou::fuzz
