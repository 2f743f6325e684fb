// Finds the school as pupils name it beyond its full name (which the roster matcher finds):
// by its patron written as a place name ("à Louise-Michel", "JEAN-MOULIN"), after a word for a
// school ("au collège Moulin", "clg Jean Moulin", "lycée pro Éluard"), and other schools
// named after such a word ("le lycée Thiers"). The patron written as a person, without
// hyphens and without a school word ("Jean Moulin fut arrêté"), is a public figure and stays.
#pragma once

#include <string>
#include <vector>

#include "service/pseudonym/entity.h"
#include "service/pseudonym/tokens.h"

namespace gardefou::pseudonym {

class SchoolDetector {
 public:
  // `school_name` is the roster's ("Collège Jean-Moulin").
  explicit SchoolDetector(const std::string& school_name);

  // Appends SCHOOL spans found in `words` to `out`.
  void Find(const TokenizedText& words, std::vector<Span>& out) const;

 private:
  // The folded words of the patron ("jean", "moulin"): the name without its school words.
  std::vector<std::string> patron_;
};

}  // namespace gardefou::pseudonym
