// Finds people outside the roster from the cues pupils use to introduce them: "mon frère
// Amaury", "ma voisine Mme Perrin", "ma tante Zoé" (the capitalised word, and a capitalised
// surname, after the cue and an optional title), then everywhere that name recurs. Without a
// cue, a lone capitalised first name from the gazetteer that is not also a common word
// ("Amaury est venu") counts too; one followed by a capitalised word ("Charles Perrault") is
// taken for a public figure and left alone, as are the listed public figures.
#pragma once

#include <vector>

#include "service/pseudonym/entity.h"
#include "service/pseudonym/fold.h"
#include "service/pseudonym/lexicon.h"
#include "service/pseudonym/tokens.h"

namespace gardefou::pseudonym {

// Appends PERSON_OTHER spans found in `words` to `out`.
void FindOtherPeople(const TokenizedText& words, std::vector<Span>& out);

}  // namespace gardefou::pseudonym
