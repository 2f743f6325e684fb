// Unit tests of the pseudonymiser: every form of a roster name, the pitfalls of French
// pupils' writing (docs/design.md, "Pseudonymiser"), and what must be left alone.
#include "service/pseudonym/pseudonymizer.h"

#include <gtest/gtest.h>

#include "service/pseudonym/leak_gate.h"

namespace gardefou::pseudonym {
namespace {

model::RosterRecord Roster() {
  model::RosterRecord r;
  r.class_id = "4B";
  r.school = {"Collège Albert Camus", "0750001A", "Saint-Médard-d'Aunis", "17220"};
  r.teachers = {{"t1", "Claire", "Dubreuil", "Mme", "", {}},
                {"t2", "Olivier", "Masson", "M.", "", {}}};
  r.students = {{"s1", "Inès", "Garnier", "", "123456789AB", {"Nénès"}},
                {"s2", "Jean-Pierre", "Le Goff", "", "2345678901C", {}},
                {"s3", "Rose", "Martin", "", "", {}},
                {"s4", "Hadrien", "Lefebvre-Dumont", "", "", {}},
                {"s5", "Léo", "Ben Salah", "", "", {}},
                {"s6", "Ophélie", "Petit", "", "", {}},
                {"s7", "Alice", "Noé", "", "", {}},
                {"s8", "Victor", "Lamy", "", "", {}}};
  return r;
}

class PseudonymizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto lexicon = Lexicon::Shared(GARDEFOU_SOURCE_DIR "/data");
    ASSERT_TRUE(lexicon.ok()) << lexicon.status();
    lexicon_ = *lexicon;
  }
  std::string Run(const std::string& text, const std::string& author = "s1") {
    Pseudonymizer p(Roster(), author, *lexicon_);
    return p.Apply(text).text;
  }
  static const Lexicon* lexicon_;
};
const Lexicon* PseudonymizerTest::lexicon_ = nullptr;

TEST_F(PseudonymizerTest, TheAuthorIsAlwaysEleve1AndOthersAreNumberedConsistently) {
  EXPECT_EQ(Run("Ophélie et Inès. Puis Ophélie Petit."),
            "[ELEVE_2] et [ELEVE_1]. Puis [ELEVE_2].");
}

TEST_F(PseudonymizerTest, EveryWrittenFormOfAName) {
  for (const char* form : {"Inès Garnier", "Garnier Inès", "GARNIER Inès", "Inès", "ines",
                           "INES GARNIER", "garnier", "I. Garnier", "Ine\xCC\x80s Garnier",
                           "Nénès"}) {
    EXPECT_EQ(Run(std::string("Bonjour ") + form + " !", "s2"), "Bonjour [ELEVE_2] !") << form;
  }
}

TEST_F(PseudonymizerTest, CompoundAndHyphenatedNames) {
  EXPECT_EQ(Run("Jean-Pierre Le Goff"), "[ELEVE_2]");
  EXPECT_EQ(Run("Jean Pierre"), "[ELEVE_2]");
  EXPECT_EQ(Run("Jean-\nPierre est là"), "[ELEVE_2] est là");
  EXPECT_EQ(Run("Pierre m'a aidé"), "[ELEVE_2] m'a aidé");
  EXPECT_EQ(Run("le goff"), "[ELEVE_2]");
  EXPECT_EQ(Run("Lefebvre-Dumont et Dumont"), "[ELEVE_2] et [ELEVE_2]");
  EXPECT_EQ(Run("Ben Salah"), "[ELEVE_2]");
  EXPECT_EQ(Run("Le chat et de la joie"), "Le chat et de la joie") << "particles alone stay";
}

TEST_F(PseudonymizerTest, NamesInLoginsWithDigits) {
  EXPECT_EQ(Run("mon identifiant ENT est ophelie.petit35"), "mon identifiant ENT est [ELEVE_2]35");
  EXPECT_EQ(Run("login: opetit2 ou ophelie_petit"), "login: [ELEVE_2]2 ou [ELEVE_2]");
  EXPECT_EQ(Run("un petit2 et une opale"), "un petit2 et une opale")
      << "a common word stays lowercase even beside digits";
}

TEST_F(PseudonymizerTest, ElisionAndTitles) {
  EXPECT_EQ(Run("le cahier d'Ophélie et l'Ophélie"), "le cahier d'[ELEVE_2] et l'[ELEVE_2]");
  EXPECT_EQ(Run("Mme Dubreuil et M. Masson"), "Mme [PROF_1] et [PROF_2]");
}

TEST_F(PseudonymizerTest, OneLetterTyposOfLongNamesOnly) {
  EXPECT_EQ(Run("Hadrein est venu"), "[ELEVE_2] est venu");  // transposition, 7 letters
  EXPECT_EQ(Run("Hadrian est venu"), "[ELEVE_2] est venu");  // substitution
  EXPECT_EQ(Run("Hdrien est venu"), "[ELEVE_2] est venu");   // deletion
  EXPECT_EQ(Run("Hadrrien est venu"), "[ELEVE_2] est venu");  // insertion
  EXPECT_EQ(Run("Ophéile est venue"), "[ELEVE_2] est venue");  // transposition, accented
  // Two edits are not a typo of the roster's name.
  EXPECT_EQ(Run("Hodrian est venu"), "Hodrian est venu");
  EXPECT_EQ(Run("Hadrienne est venue"), "Hadrienne est venue");
  // Short names are never fuzzy: "Lea" is not Léo of the roster (the gazetteer knows Léa).
  EXPECT_EQ(Run("Lea est venue"), "[PERSONNE_1] est venue");
}

TEST_F(PseudonymizerTest, ALongTextThenAShortOneOnTheSameObjectLeaveNothingBehind) {
  // Apply reuses its working buffers from one call to the next.
  Pseudonymizer p(Roster(), "s1", *lexicon_);
  EXPECT_EQ(p.Apply("Hadrien Lefebvre-Dumont et Ophélie Petit sont venus avec Rose.").text,
            "[ELEVE_2] et [ELEVE_3] sont venus avec [ELEVE_4].");
  EXPECT_EQ(p.Apply("Léo").text, "[ELEVE_5]");
  EXPECT_EQ(p.Apply("").text, "");
  EXPECT_EQ(p.Apply("Merci Ophélie").text, "Merci [ELEVE_3]");
}

TEST_F(PseudonymizerTest, CommonWordsStayAndCapitalisedNamesGo) {
  EXPECT_EQ(Run("une rose rouge et le martin-pêcheur"), "une rose rouge et le martin-pêcheur");
  EXPECT_EQ(Run("Le Petit Prince"), "Le Petit Prince") << "in a title, Petit stays...";
  EXPECT_EQ(Run("Rose est venue"), "[ELEVE_2] est venue") << "...but Rose on the roster goes";
  EXPECT_EQ(Run("un olivier"), "un olivier");
}

TEST_F(PseudonymizerTest, ACommonWordNameNotOnTheRosterStaysEvenCapitalised) {
  model::RosterRecord r = Roster();
  r.students.erase(r.students.begin() + 2);  // no Rose Martin any more
  Pseudonymizer p(r, "s1", *lexicon_);
  EXPECT_EQ(p.Apply("Rose est une fleur. La pierre est grise.").text,
            "Rose est une fleur. La pierre est grise.");
}

TEST_F(PseudonymizerTest, SubstringsAreNeverMatched) {
  // Léo in Léonard, Ali in Alicia, Noé in notés, Eva in évaluation: no roster pupil here
  // (Alicia, a first name, is another person).
  const std::string out = Run("Léonard et Alicia notés sur l'évaluation");
  EXPECT_EQ(out.find("[ELEVE_"), std::string::npos) << out;
  EXPECT_NE(out.find("Léonard et "), std::string::npos) << out;
  EXPECT_NE(out.find(" notés sur l'évaluation"), std::string::npos) << out;
}

TEST_F(PseudonymizerTest, PublicFiguresStayUnlessThePupilIsThePhrase) {
  EXPECT_EQ(Run("Victor Hugo a écrit Les Misérables. Victor a lu."),
            "Victor Hugo a écrit Les Misérables. [ELEVE_2] a lu.");
  EXPECT_EQ(Run("J'étudie au Collège Albert Camus"), "J'étudie au [ETABLISSEMENT_1]");
  EXPECT_EQ(Run("Albert Camus a écrit"), "Albert Camus a écrit");
}

TEST_F(PseudonymizerTest, SchoolCityAndIdentifiers) {
  EXPECT_EQ(Run("J'habite Saint-Médard-d'Aunis."), "J'habite [VILLE_1].");
  EXPECT_EQ(Run("UAI 0750001A, INE 2345678901C."), "UAI [ETABLISSEMENT_1], INE [INE_1].");
}

TEST_F(PseudonymizerTest, PeopleOutsideTheRosterByCue) {
  EXPECT_EQ(Run("Avec mon frère Amaury. Amaury rit."), "Avec mon frère [PERSONNE_1]. [PERSONNE_1] rit.");
  EXPECT_EQ(Run("ma voisine Mme Carmen Perrin"), "ma voisine Mme [PERSONNE_1]");
  EXPECT_EQ(Run("mon ami Romain"), "mon ami [PERSONNE_1]");
  EXPECT_EQ(Run("ma tante. Elle"), "ma tante. Elle");
}

TEST_F(PseudonymizerTest, LoneGazetteerFirstNamesButNotFullNamesOfStrangers) {
  EXPECT_EQ(Run("Hier, Gabriel est venu."), "Hier, [PERSONNE_1] est venu.");
  EXPECT_EQ(Run("Charles Perrault a écrit des contes."), "Charles Perrault a écrit des contes.");
  EXPECT_EQ(Run("Jules Verne et Marie Curie"), "Jules Verne et Marie Curie");
}

TEST_F(PseudonymizerTest, MappingStaysAndCountsAreKept) {
  Pseudonymizer p(Roster(), "s1", *lexicon_);
  p.Apply("Ophélie, 06 12 34 56 78.");
  EXPECT_EQ(p.mapping().at("[ELEVE_2]").surface, "Ophélie");
  EXPECT_EQ(p.mapping().at("[TEL_1]").surface, "06 12 34 56 78");
  EXPECT_EQ(p.counts()[static_cast<int>(EntityType::kPhone)], 1);
}

// Hostile or pasted text: invisible characters, fullwidth letters, ligatures and look-alike
// Cyrillic or Greek letters inside a name do not hide it, and the pupil's text stays as
// written around the placeholder.
TEST_F(PseudonymizerTest, InvisibleAndLookAlikeCharactersDoNotHideAName) {
  for (const std::string& disguised :
       {std::string("Gar\u00adnier"), std::string("Gar\u200bnier"), std::string("Gar\u200dnier"),
        std::string("Gar\u2060nier"), std::string("\ufeffGarnier"), std::string("G\u0430rnier"),
        std::string("G\u03b1rnier"), std::string("\uff27\uff41\uff52\uff4e\uff49\uff45\uff52"),
        std::string("In\u200b\u00e8s"), std::string("\u0406n\u00e8s")}) {
    // An invisible character outside the name stays where the pupil put it.
    const std::string out = Run("Bravo " + disguised + " !");
    const bool leading_bom = disguised.rfind("\ufeff", 0) == 0;
    EXPECT_EQ(out, leading_bom ? "Bravo \ufeff[ELEVE_1] !" : "Bravo [ELEVE_1] !") << disguised;
  }
  EXPECT_EQ(Run("La ﬁn du livre\u200b."), "La ﬁn du livre\u200b.") << "nothing else changes";
}

TEST_F(PseudonymizerTest, VietnameseLettersFoldToTheirBase) {
  model::RosterRecord r = Roster();
  r.students.push_back({"s9", "Hương", "Nguyễn", "", "", {}});
  Pseudonymizer p(r, "s1", *lexicon_);
  EXPECT_EQ(p.Apply("Avec Huong et NGUYEN.").text, "Avec [ELEVE_2] et [ELEVE_2].");
}

TEST_F(PseudonymizerTest, GivenNamesListedInAFormAreAllReplaced) {
  EXPECT_EQ(Run("Nom : GARNIER\nPrénom(s) : Inès, Marie, Zélie\nClasse : 4B"),
            "Nom : [ELEVE_1]\nPrénom(s) : [ELEVE_1], [PERSONNE_1], [PERSONNE_1]\nClasse : 4B");
}

TEST_F(PseudonymizerTest, AFiguresSurnameAloneIsTheFigureUnlessSomeoneIsNamed) {
  const std::string essay = "En 1829, Victor Hugo publie ce roman. Hugo dénonce la peine de mort.";
  EXPECT_EQ(Run(essay), essay);
  EXPECT_EQ(Run("Victor Hugo écrit. Mon frère Hugo lit."),
            "Victor Hugo écrit. Mon frère [PERSONNE_1] lit.")
      << "a cue makes the surname someone's";
  // A pupil called Hugo is the pupil, even after the figure: a signature must not leak.
  model::RosterRecord r = Roster();
  r.students.push_back({"s9", "Hugo", "Perrin", "", "", {}});
  Pseudonymizer p(r, "s1", *lexicon_);
  EXPECT_EQ(p.Apply(essay + "\nHugo").text,
            "En 1829, Victor Hugo publie ce roman. [ELEVE_2] dénonce la peine de mort.\n[ELEVE_2]");
  EXPECT_EQ(LeakGate(r, *lexicon_).Scan(essay), (std::map<std::string, int>{{"STUDENT", 1}}))
      << "the gate does not let the pupil's name through either";
  EXPECT_EQ(p.Apply("Victor Hugo, puis Hugo Perrin et M. Hugo.").text,
            "Victor Hugo, puis [ELEVE_2] et [ELEVE_2].");
  // Nor the pupil's town: "Chrétien de Troyes" does not make Troyes a figure.
  EXPECT_EQ(Run("Nous lisons Chrétien de Troyes. J'habite à Troyes."),
            "Nous lisons Chrétien de Troyes. J'habite à [VILLE_1].");
  // A one-word figure, unless a title or an initial makes it someone's name.
  EXPECT_EQ(Run("Cicéron affirmait que"), "Cicéron affirmait que");
  r.students.push_back({"s10", "Rémi", "Chérubin", "", "", {}});
  EXPECT_EQ(Pseudonymizer(r, "s1", *lexicon_).Apply("Cher R. Chérubin, bonjour").text,
            "Cher [ELEVE_2], bonjour");
}

TEST_F(PseudonymizerTest, SaintsNamesAreFeastsEvenAPupils) {
  EXPECT_EQ(Run("Pour la Sainte-Rose et la saint Martin, Rose Martin danse."),
            "Pour la Sainte-Rose et la saint Martin, [ELEVE_2] danse.");
  EXPECT_EQ(Run("la fête de São João"), "la fête de São João");
}

TEST_F(PseudonymizerTest, CharactersBrandsAndBuildingsAreNotPeople) {
  for (const char* kept :
       {"Il était une fois un chevalier qui s'appelait Arthur. Arthur prend son épée.",
        "Le géant Barnabé avait faim. Barnabé mangea.", "une vidange sur une Clio",
        "une vieille Mercedes", "avec GeoGebra", "la place Kléber", "le cyclone Dean",
        "la loi de Beer-Lambert", "le concert d'Angèle", "la Grande Ourse",
        "rendez-vous à l'hôpital Yanis-Bernard",
        "Victor Hugo pleure sa fille Léopoldine."}) {
    EXPECT_EQ(Run(kept), kept);
  }
  EXPECT_EQ(Run("mon cousin Arthur"), "mon cousin [PERSONNE_1]");
  EXPECT_EQ(Run("un apprenti, Sofiane, m'aide"), "un apprenti, [PERSONNE_1], m'aide");
  EXPECT_EQ(Run("Cher Jeddi, Mamm-gozh Annick t'embrasse"), "Cher Jeddi, Mamm-gozh [PERSONNE_1] t'embrasse");
}

TEST_F(PseudonymizerTest, TownsOfAnEssayStayAndTownsOfThePupilsLifeGo) {
  EXPECT_EQ(Run("Jaurès défendait les mineurs de Carmaux."),
            "Jaurès défendait les mineurs de Carmaux.");
  EXPECT_EQ(Run("Il arrive à Paris en 1911."), "Il arrive à Paris en 1911.");
  EXPECT_EQ(Run("Sa fille s'est noyée à Villequier en 1843."),
            "Sa fille s'est noyée à Villequier en 1843.");
  EXPECT_EQ(Run("Je vais chez ma tante à Carmaux."), "Je vais chez ma tante à [VILLE_1].");
  EXPECT_EQ(Run("Elle est arrivée de Caen en septembre."),
            "Elle est arrivée de [VILLE_1] en septembre.");
  // The school is in Charente-Maritime (17): its towns are places in any sentence.
  EXPECT_EQ(Run("La Rochelle fut assiégée en 1627."), "[VILLE_1] fut assiégée en 1627.");
  EXPECT_EQ(Run("J'habite à Privas, en Ardèche."), "J'habite à [VILLE_1], en [VILLE_2].");
  EXPECT_EQ(Run("Lieu : Corte (Haute-Corse)"), "Lieu : [VILLE_1] ([VILLE_2])");
  EXPECT_EQ(Run("dans le quartier de Wazemmes"), "dans le quartier de [VILLE_1]");
  EXPECT_EQ(Run("Saint-Junien, le 2 mars 2025"), "[VILLE_1], le 2 mars 2025");
}

TEST_F(PseudonymizerTest, RosterNamesOfThingsStayAndInitialsGo) {
  EXPECT_EQ(Run("la princesse Rose"), "la princesse Rose");
  EXPECT_EQ(Run("les laboratoires Pierre Lamy"), "les laboratoires [ELEVE_2] [ELEVE_3]")
      << "a building is not enough for a roster name";
  EXPECT_EQ(Run("une Lamy rouge"), "une Lamy rouge");
  EXPECT_EQ(Run("Rose et Lamy rient"), "[ELEVE_2] et [ELEVE_3] rient");
  // Initials written as initials, when no one else in the class has them.
  EXPECT_EQ(Run("Signature : I.G."), "Signature : [ELEVE_1].");
  EXPECT_EQ(Run("dis à O. P. de venir"), "dis à [ELEVE_2]. de venir");
  EXPECT_EQ(Run("i g et O P"), "i g et O P");
}

TEST_F(PseudonymizerTest, NicknamesHandlesAndTheSchoolsShortForm) {
  EXPECT_EQ(Run("mes meilleurs copains c'est Titou"), "mes meilleurs copains c'est [PERSONNE_1]");
  EXPECT_EQ(Run("ma chaîne Twitch, max_live, où je stream"),
            "ma chaîne Twitch, [COMPTE_1], où je stream");
  EXPECT_EQ(Run("sur Twitch, avec mes potes"), "sur Twitch, avec mes potes");
  EXPECT_EQ(Run("venir à Camus en seconde"), "venir à [ETABLISSEMENT_1] en seconde");
  EXPECT_EQ(Run("Camus a écrit L'Étranger"), "Camus a écrit L'Étranger");
}

TEST_F(PseudonymizerTest, AStoryKeepsItsCharactersButNotThePupilsPeople) {
  EXPECT_EQ(Run("Il était une fois un reflet. Léonore partit. « Je m'appelle Églantine », dit "
                "le reflet à sa cousine Mirabelle. Ma cousine Léa rit, Rose aussi."),
            "Il était une fois un reflet. Léonore partit. « Je m'appelle Églantine », dit "
            "le reflet à sa cousine Mirabelle. Ma cousine [PERSONNE_1] rit, [ELEVE_2] aussi.");
  EXPECT_EQ(Run("Hier, Léonore partit. Je m'appelle Églantine."),
            "Hier, [PERSONNE_1] partit. Je m'appelle [PERSONNE_2].")
      << "no story: the same names are people";
}

TEST_F(PseudonymizerTest, WhatTheReviewFoundStaysReplaced) {
  // Punctuation between a building noun and a name, a name after a building without "de".
  EXPECT_EQ(Run("On est allés au musée. Yanis a adoré."),
            "On est allés au musée. [PERSONNE_1] a adoré.");
  EXPECT_EQ(Run("Au stade Yanis a marqué."), "Au stade [PERSONNE_1] a marqué.");
  EXPECT_EQ(Run("Au musée Rose a adoré."), "Au musée [ELEVE_2] a adoré.") << "a roster name";
  // "Un jour" is no car.
  EXPECT_EQ(Run("Ma sœur Jade rit. Un jour Jade m'a dit non."),
            "Ma sœur [PERSONNE_1] rit. Un jour [PERSONNE_1] m'a dit non.");
  // A one-word figure before "son frère" is no essay on that figure.
  EXPECT_EQ(Run("Il adore Naruto. Son frère Adam a 15 ans."),
            "Il adore Naruto. Son frère [PERSONNE_1] a 15 ans.");
  // A trade is no story character; the pupil's own people are never characters.
  EXPECT_EQ(Run("Mon cousin est footballeur, il s'appelle Kylian."),
            "Mon cousin est footballeur, il s'appelle [PERSONNE_1].");
  EXPECT_EQ(Run("Il était une fois un dragon. Ma sœur s'appelle Jade."),
            "Il était une fois un dragon. Ma sœur s'appelle [PERSONNE_1].");
  EXPECT_EQ(Run("la princesse Léa dort. Ma cousine Léa rit."),
            "la princesse Léa dort. Ma cousine [PERSONNE_1] rit.");
  EXPECT_EQ(Run("MON FRÈRE KYLLIAN"), "MON FRÈRE [PERSONNE_1]");
  // A parent's workplace is a place; "(2B)" after a town is no crash.
  EXPECT_EQ(Run("Son père travaille à Lorient."), "Son père travaille à [VILLE_1].");
  EXPECT_EQ(Run("J'habite à Bastia (2B)."), "J'habite à [VILLE_1] (2B).");
}

TEST(Departements, OfPostcodesIncludingCorsicaAndOverseas) {
  EXPECT_EQ(DepartementOfPostcode("69100"), "69");
  EXPECT_EQ(DepartementOfPostcode("20000"), "2A");
  EXPECT_EQ(DepartementOfPostcode("20250"), "2B");
  EXPECT_EQ(DepartementOfPostcode("97139"), "971");
  EXPECT_EQ(DepartementOfPostcode("97133"), "977");
  EXPECT_EQ(DepartementOfPostcode("97150"), "978");
  EXPECT_EQ(DepartementOfPostcode("1234"), "");
  EXPECT_EQ(DepartementOfPostcode("69A00"), "");
  const Lexicon& lexicon = **Lexicon::Shared(GARDEFOU_SOURCE_DIR "/data");
  EXPECT_TRUE(lexicon.CommuneIn("villeurbanne", "69"));
  EXPECT_FALSE(lexicon.CommuneIn("villeurbanne", "6"));
  EXPECT_FALSE(lexicon.CommuneIn("villeurbanne", "38"));
  EXPECT_TRUE(lexicon.CommuneIn("saint martin", "67")) << "a name several départements share";
  EXPECT_FALSE(lexicon.CommuneIn("villeurbanne", ""));
}

}  // namespace
}  // namespace gardefou::pseudonym
