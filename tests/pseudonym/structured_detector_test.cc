// Unit tests of each structured identifier format, with the near-misses that must not match.
#include "service/pseudonym/structured_detector.h"

#include <gtest/gtest.h>

namespace gardefou::pseudonym {
namespace {

std::vector<std::pair<std::string, std::string>> Found(const std::string& text) {
  StructuredDetector d;
  std::vector<Span> spans;
  d.Find(text, spans);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : spans) {
    out.emplace_back(std::string(TypeName(s.type)), text.substr(s.begin, s.end - s.begin));
  }
  return out;
}

using Hits = std::vector<std::pair<std::string, std::string>>;

TEST(Structured, Emails) {
  EXPECT_EQ(Found("écris à jean.dupont35@ac-rennes.fr."),
            (Hits{{"EMAIL", "jean.dupont35@ac-rennes.fr"}}));
}

TEST(Structured, PhonesInEveryUsualLayout) {
  for (const char* phone : {"06 12 34 56 78", "0612345678", "06.12.34.56.78", "06-12-34-56-78",
                            "+33 6 12 34 56 78", "+33612345678", "0033 6 12 34 56 78",
                            "+33 (0)6 12 34 56 78"}) {
    EXPECT_EQ(Found(std::string("tel ") + phone + " !"), (Hits{{"PHONE", phone}})) << phone;
  }
  EXPECT_TRUE(Found("le nombre 061234567899 est long").empty());
  EXPECT_TRUE(Found("en 1789 et 1815").empty());
}

TEST(Structured, NirWithAVerifiedKeyOnly) {
  EXPECT_TRUE(NirKeyValid("213087537018747"));
  EXPECT_EQ(Found("NIR 2 13 08 75 370 187 47."), (Hits{{"NIR", "2 13 08 75 370 187 47"}}));
  EXPECT_EQ(Found("NIR 213087537018747."), (Hits{{"NIR", "213087537018747"}}));
  EXPECT_TRUE(Found("numéro 213087537018748 faux").empty()) << "wrong key";
  EXPECT_TRUE(NirKeyValid("1 85 05 2A 123 456 " + std::to_string(97 - (1850519123456ULL % 97))));
}

TEST(Structured, IneFormats) {
  EXPECT_EQ(Found("INE 123456789AB"), (Hits{{"INE", "123456789AB"}}));
  EXPECT_EQ(Found("INE 1234567890C"), (Hits{{"INE", "1234567890C"}}));
  EXPECT_EQ(Found("INE 1234A56789K"), (Hits{{"INE", "1234A56789K"}}));
  EXPECT_TRUE(Found("code 1234567890I").empty()) << "I and O are not INE letters";
}

TEST(Structured, UaiWithItsCheckLetter) {
  EXPECT_TRUE(UaiCheckValid("0750001A") == ("ABCDEFGHJKLMNPRSTUVWXYZ"[750001 % 23] == 'A'));
  const std::string good = std::string("0750001") + "ABCDEFGHJKLMNPRSTUVWXYZ"[750001 % 23];
  EXPECT_EQ(Found("lycée " + good), (Hits{{"SCHOOL", good}}));
}

TEST(Structured, Addresses) {
  EXPECT_EQ(Found("J'habite 12 bis rue des Lilas, 49680 Vivy. Voilà"),
            (Hits{{"ADDRESS", "12 bis rue des Lilas, 49680 Vivy"}}));
  EXPECT_EQ(Found("au 4 allée des Peupliers"), (Hits{{"ADDRESS", "4 allée des Peupliers"}}));
  EXPECT_EQ(Found("au 3 av. Foch 75016 Paris CEDEX 16."),
            (Hits{{"ADDRESS", "3 av. Foch 75016 Paris CEDEX 16"}}));
}

TEST(Structured, AddressesInEveryNumberForm) {
  EXPECT_EQ(Found("au 3ter, Avenue Foch 75016 Paris"),
            (Hits{{"ADDRESS", "3ter, Avenue Foch 75016 Paris"}}));
  EXPECT_EQ(Found("au 8,\nRUE Haute"), (Hits{{"ADDRESS", "8,\nRUE Haute"}}));
  EXPECT_EQ(Found("au 140 BIS chemin du Moulin"), (Hits{{"ADDRESS", "140 BIS chemin du Moulin"}}));
  EXPECT_EQ(Found("au 12 élèves rue"), (Hits{})) << "a number then another word";
}

TEST(Structured, DigitsAreFoundAtEveryOffset) {
  // Digits are located eight bytes at a time: try every alignment, ASCII and UTF-8 around.
  for (const std::string pad : {"", "é", "xx", "àéî"}) {
    for (size_t offset = 0; offset < 17; ++offset) {
      const std::string before = pad + std::string(offset, 'a') + " ";
      EXPECT_EQ(Found(before + "06 12 34 56 78"), (Hits{{"PHONE", "06 12 34 56 78"}}))
          << offset << " " << pad;
      EXPECT_EQ(Found(before + "06 12 34 56 78 " + before), (Hits{{"PHONE", "06 12 34 56 78"}}))
          << offset << " " << pad;
    }
  }
}

TEST(Structured, BirthDatesNeedContextOrAPupilsYear) {
  EXPECT_EQ(Found("Je suis née le 3 décembre 2010."), (Hits{{"DATE_OF_BIRTH", "3 décembre 2010"}}));
  EXPECT_EQ(Found("date de naissance : 04/06/2013"), (Hits{{"DATE_OF_BIRTH", "04/06/2013"}}));
  EXPECT_TRUE(Found("Le 14 juillet 1789, la Bastille tombe.").empty());
  // A cue after the date: "c'est mon anniversaire".
  EXPECT_EQ(Found("c'etait le 3 aout c'est le jour de mon anniv"),
            (Hits{{"DATE_OF_BIRTH", "3 aout"}}));
  EXPECT_EQ(Found("le 3 août, c'est mon anniversaire"), (Hits{{"DATE_OF_BIRTH", "3 août"}}));
  EXPECT_TRUE(Found("le 3 août, c'est la fête du village").empty());
  EXPECT_TRUE(Found("le 11/11/1918").empty());
}

TEST(Structured, HandlesAndUrls) {
  EXPECT_EQ(Found("Suis-moi sur @thais_yaelle_69 !"), (Hits{{"HANDLE", "@thais_yaelle_69"}}));
  EXPECT_EQ(Found("mon blog https://blog.example.fr/ines."),
            (Hits{{"HANDLE", "https://blog.example.fr/ines"}}));
}

TEST(Structured, DiscordTags) {
  EXPECT_EQ(Found("mon discord : kyky#4821 ou lea.dessine#0007"),
            (Hits{{"HANDLE", "kyky#4821"}, {"HANDLE", "lea.dessine#0007"}}));
  EXPECT_TRUE(Found("le #1 du classement, la note #12345, #4821 seul").empty());
}

}  // namespace
}  // namespace gardefou::pseudonym
