// Finds people outside the roster from the cues pupils use to introduce them: "mon frère
// Amaury", "ma tutrice, Fatma Legrand", "Mme Perrin", "Mémé Ginette", "Chère Rania", "avec
// Kenza", "il s'appelle Yanis", a form's "Responsable légal : BRAHIMI Kamel" (the capitalised
// words after the cue), then everywhere that name recurs. Without a cue, a capitalised first
// name of the gazetteer that is not also a common word counts, with the surname beside it
// ("Virginie Mukendi", "CARVALHO Marjorie"), except after an article ("La France"), after a
// pet ("notre chienne Nala"), for a feast ("à Noël"), in a game ("on joue à Zelda") and
// inside a listed public figure.
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
