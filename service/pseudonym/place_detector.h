// Finds where pupils live and come from: French communes from the commune list ("Saint-Jean-
// de-Luz", "Le Havre", "Tourcoing") written capitalised, or in any case after a place cue
// ("j'habite à bondy"). A commune that is also a common word ("Vert", "Plan") counts only
// after a place preposition ("à", "de", "vers"...); one preceded by an article that is not
// part of its name ("la Saint-Martin", a feast) is left alone, as are public figures.
#pragma once

#include <vector>

#include "absl/strings/string_view.h"

#include "service/pseudonym/entity.h"
#include "service/pseudonym/lexicon.h"
#include "service/pseudonym/tokens.h"

namespace gardefou::pseudonym {

// Appends PLACE spans found in `words` to `out`. A commune of the school's `departement`
// (see DepartementOfPostcode; may be empty) is a place in any sentence: near the school, a
// town narrows down who the pupil is even in an essay.
void FindPlaces(const TokenizedText& words, const Lexicon& lexicon,
                absl::string_view departement, std::vector<Span>& out);

}  // namespace gardefou::pseudonym
