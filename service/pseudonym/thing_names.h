// When a capitalised word that is also a roster name is written as a thing's name, not a
// person's: the roster matcher and the leak gate read it with this one rule, so that what the
// first leaves in clear the second does not refuse.
#pragma once

#include <cstddef>

#include "absl/strings/string_view.h"
#include "service/pseudonym/word_classes.h"

namespace gardefou::pseudonym {

// Word k of a text, with gap(i) the text between words i-1 and i, capitalised(i) and
// classes(i) (WordClasses): after a lower-case article or "un"/"une"
// ("la Toussaint" with a pupil Toussaint, "une Ferrari rouge"), or a story character after a
// determiner and a story noun ("la princesse Rose", "le roi Arthur Martin"). Buildings and
// trades are not enough: "au musée Inès a adoré" is the pupil.
template <typename Gap, typename Capitalised, typename Classes>
bool WrittenAsAThing(size_t k, Gap gap, Capitalised capitalised, Classes classes) {
  if (k == 0 || !capitalised(k) || gap(k) != " ") return false;
  if (!capitalised(k - 1) && (classes(k - 1) & kArticle)) return true;
  size_t start = k;
  while (start > 0 && capitalised(start - 1) && gap(start) == " ") --start;
  return start > 1 && gap(start) == " " && !capitalised(start - 1) &&
         (classes(start - 1) & kStoryCharacter) && gap(start - 1) == " " &&
         (classes(start - 2) & (kArticle | kThirdPerson));
}

}  // namespace gardefou::pseudonym
