// What a folded word is to the detectors, as bits, looked up once per word of a text
// (Tokenize) instead of once per detector: the cue words of people, places, schools, streets,
// handles and figures. The lists themselves are in word_classes.cc.
#pragma once

#include <cstdint>

#include "absl/strings/string_view.h"

namespace gardefou::pseudonym {

enum WordClass : uint32_t {
  // People outside the roster.
  kPossessive = 1u << 0,     // "mon", "la": before a relation
  kRelation = 1u << 1,       // "frère", "tutrice": after a possessive or an article
  kTitle = 1u << 2,          // "Mme", "M.": before a surname
  kFamilyTitle = 1u << 3,    // "Mémé Ginette", "tonton Karim", "Jeddi"
  kGreeting = 1u << 4,       // "Chère Rania", "coucou Inaya", "avec Marine", "s'appelle Lisandru"
  kPersonField = 1u << 5,    // "Responsable légal 1 : BRAHIMI Kamel"
  kPet = 1u << 6,            // "notre chienne Nala": the name is the animal's
  kFeast = 1u << 7,          // "à Noël", "la Toussaint"
  kStoryCharacter = 1u << 8,  // "le géant Barnabé"
  kThirdPerson = 1u << 9,    // "sa fille Léopoldine": whose, in an essay, may be a figure's
  // Places.
  kPlaceCue = 1u << 10,          // "à", "de", "habite": a commune after it is a place
  kArticle = 1u << 11,           // "la Saint-Martin": a thing, not a town
  kPlaceParticle = 1u << 12,     // "Saint-Jean-de-Luz"
  kPlaceField = 1u << 13,        // "Ville :", "Lieu de naissance :"
  kLandmark = 1u << 14,          // "le château de Versailles"
  kHomeCue = 1u << 15,           // "chez ma grand-mère à Braga"
  kPersonal = 1u << 16,          // "je", "mon", "chez", "née"
  kPlacePreposition = 1u << 17,  // "à", "au", "aux", "du", "des"
  // Schools, streets, handles, figures.
  kSchoolWord = 1u << 18,        // "collège", "lycée"
  kSchoolQualifier = 1u << 19,   // "pro", "élémentaire", "privé"
  kStreetWord = 1u << 20,        // "rue", "lieu-dit", "résidence"
  kNetwork = 1u << 21,           // "insta", "snap"
  kSaint = 1u << 22,             // "saint", "sainte", "san", "são"
  kNamesSomeone = 1u << 23,      // "appelle", "chère" (and titles) before a figure's name
  kStoryMarker = 1u << 24,       // first word of "il était une fois", "histoire inventée"...
  kNamedThing = 1u << 25,        // "le cyclone Dean", "la loi Ferry", "place Kléber"
  kMaker = 1u << 26,             // "le concert d'Angèle", "l'hôpital Victor-Provo"
  kOwnPossessive = 1u << 27,     // "mon", "ma", "tes", "vos": the pupil's own people
};

// The classes of a folded word (0 for most words).
uint32_t WordClasses(absl::string_view folded_word);

}  // namespace gardefou::pseudonym
