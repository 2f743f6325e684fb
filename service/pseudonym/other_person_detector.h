// Finds people outside the roster from the cues pupils use to introduce them: "mon frère
// Amaury", "ma voisine Mme Perrin", "ma tante Zoé". The name is the capitalised word (and a
// capitalised surname) after the cue and an optional title.
#pragma once

#include <vector>

#include "service/pseudonym/entity.h"
#include "service/pseudonym/fold.h"
#include "service/pseudonym/lexicon.h"

namespace gardefou::pseudonym {

// Appends PERSON_OTHER spans found in `text` to `out`; `lexicon` tells names from words.
void FindOtherPeople(const FoldedText& text, const Lexicon& lexicon, std::vector<Span>& out);

}  // namespace gardefou::pseudonym
