// Unit tests of the leak gate and of re-identification.
#include "service/pseudonym/leak_gate.h"

#include <gtest/gtest.h>

#include "service/pseudonym/reidentify.h"

namespace gardefou::pseudonym {
namespace {

model::RosterRecord Roster() {
  model::RosterRecord r;
  r.school = {"Collège Jean-Moulin", "", "Vivy", ""};
  r.teachers = {{"t1", "Claire", "Dubreuil", "Mme", "", {}}};
  r.students = {{"s1", "Inès", "Garnier", "", "123456789AB", {}},
                {"s2", "Rose", "Lamy", "", "", {}}};
  return r;
}

std::map<std::string, int> Scan(const std::string& text) {
  return LeakGate(Roster(), **Lexicon::Shared(GARDEFOU_SOURCE_DIR "/data")).Scan(text);
}

TEST(LeakGate, PassesPseudonymisedTextAndOrdinaryWords) {
  EXPECT_TRUE(Scan("[ELEVE_1] a écrit à [PROF_1] : une rose rouge, en 1789.").empty());
  EXPECT_TRUE(Scan("Jean Moulin fut un résistant.").empty()) << "a public figure";
}

TEST(LeakGate, AgreesWithThePseudonymiserOnFiguresSaintsAndThePatronsGivenName) {
  EXPECT_TRUE(Scan("Le dernier combat de Moulin\n\nJean Moulin fut arrêté. Moulin se tut.").empty())
      << "the surname alone after the full name, even before a line break";
  EXPECT_TRUE(Scan("la saint Garnier").empty()) << "a saint's name";
  EXPECT_TRUE(Scan("le moniteur Jean-Baptiste").empty()) << "the patron's given name alone";
  EXPECT_TRUE(Scan("la princesse Rose et une Lamy rouge").empty()) << "a character, a car";
  EXPECT_EQ(Scan("Rose Lamy et la Rose"), (std::map<std::string, int>{{"STUDENT", 2}}));
  EXPECT_EQ(Scan("Au musée Rose rit"), (std::map<std::string, int>{{"STUDENT", 1}}));
  EXPECT_EQ(Scan("au collège Moulin"), (std::map<std::string, int>{{"SCHOOL", 1}}));
  EXPECT_EQ(Scan("Jean Moulin fut arrêté. M. Moulin rit."),
            (std::map<std::string, int>{{"SCHOOL", 1}}))
      << "a title makes the surname someone's";
}

TEST(LeakGate, CatchesNamesInAnyCase) {
  EXPECT_EQ(Scan("merci garnier"), (std::map<std::string, int>{{"STUDENT", 1}}));
  EXPECT_EQ(Scan("Rose viendra"), (std::map<std::string, int>{{"STUDENT", 1}}));
  EXPECT_EQ(Scan("Mme DUBREUIL"), (std::map<std::string, int>{{"STAFF", 1}}));
}

TEST(LeakGate, CatchesIdentifiersInAnyLayout) {
  EXPECT_EQ(Scan("INE 1234 56789 AB"), (std::map<std::string, int>{{"INE", 1}}));
  EXPECT_EQ(Scan("appelle le 06/12/34/56/78"), (std::map<std::string, int>{{"PHONE", 1}}));
  EXPECT_EQ(Scan("x@y.fr"), (std::map<std::string, int>{{"EMAIL", 1}}));
  EXPECT_EQ(Scan("NIR 2130875370187 47"), (std::map<std::string, int>{{"NIR", 1}}));
  EXPECT_TRUE(Scan("NIR 2130875370187 48").empty()) << "wrong key";
}

TEST(Reidentify, ToleratesWhatModelsDoToPlaceholders) {
  std::map<std::string, MappingEntry> mapping = {
      {"[ELEVE_1]", {EntityType::kStudent, "Inès"}},
      {"[DATE_NAISSANCE_1]", {EntityType::kDateOfBirth, "3 mai 2011"}}};
  for (const char* form : {"[ELEVE_1]", "[Eleve_1]", "[ÉLÈVE 1]", "ELEVE_1", "[eleve-1]",
                           "[ ELEVE_1 ]"}) {
    EXPECT_EQ(Reidentify(std::string("Bravo ") + form + " !", mapping).text, "Bravo Inès !")
        << form;
  }
  EXPECT_EQ(Reidentify("né le [DATE NAISSANCE 1]", mapping).text, "né le 3 mai 2011");
}

TEST(Reidentify, UnknownPlaceholdersStayVisibleAndAreReported) {
  std::map<std::string, MappingEntry> mapping = {{"[ELEVE_1]", {EntityType::kStudent, "Inès"}}};
  Restored r = Reidentify("[ELEVE_1] et [ELEVE_2]", mapping);
  EXPECT_EQ(r.text, "Inès et [ELEVE_2]");
  EXPECT_EQ(r.unknown, std::vector<std::string>{"[ELEVE_2]"});
  EXPECT_EQ(Reidentify("ELEVE 1 et eleve", mapping).text, "ELEVE 1 et eleve")
      << "no bracket and no underscore: not a placeholder";
}

// The gate folds hostile text on its own: each disguise of a name is still a hit, even if
// the pseudonymiser before it had missed it.
TEST(LeakGate, CatchesNamesDisguisedWithInvisibleOrLookAlikeCharacters) {
  for (const std::string& disguised :
       {std::string("Gar\u00adnier"), std::string("Gar\u200bnier"), std::string("Gar\u2060nier"),
        std::string("\ufeffGarnier"), std::string("G\u0430rnier"), std::string("G\u03b1rnier"),
        std::string("\uff27\uff41\uff52\uff4e\uff49\uff45\uff52"), std::string("In\u200b\u00e8s")}) {
    EXPECT_EQ(Scan("merci " + disguised), (std::map<std::string, int>{{"STUDENT", 1}}))
        << disguised;
  }
  EXPECT_EQ(Scan("appelle le 06\u200b12\u200b34\u200b56\u200b78"),
            (std::map<std::string, int>{{"PHONE", 1}}));
}

}  // namespace
}  // namespace gardefou::pseudonym
