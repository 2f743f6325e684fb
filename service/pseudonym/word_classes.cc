// The word lists behind WordClasses: each detector's cue words, in one table.
#include "service/pseudonym/word_classes.h"

#include <array>
#include <bitset>
#include <cstring>
#include <initializer_list>
#include <string>

#include "absl/container/flat_hash_map.h"

namespace gardefou::pseudonym {
namespace {

// One bit per (first letter, last letter, length): most longer words of a text are ruled out
// before any hash.
size_t FilterIndex(absl::string_view w) {
  return ((static_cast<size_t>(w.front()) & 31) * 32 + (static_cast<size_t>(w.back()) & 31)) *
             32 + (w.size() & 31);
}

// Words of up to 7 letters (most cue words, and most words of a text) are packed into one
// integer with their length and looked up in a small open-addressing table.
constexpr size_t kShortMax = 7;
constexpr size_t kSlotBits = 12;

uint64_t Packed(absl::string_view w) {
  uint64_t key = 0;
  std::memcpy(&key, w.data(), w.size());
  return key | (static_cast<uint64_t>(w.size()) << 56);
}

size_t SlotOf(uint64_t key) { return (key * 0x9E3779B97F4A7C15ull) >> (64 - kSlotBits); }

struct Table {
  struct Slot {
    uint64_t key = 0;  // 0: empty (a packed word has a length)
    uint32_t classes = 0;
  };
  std::array<Slot, size_t{1} << kSlotBits> short_words;
  std::bitset<32 * 32 * 32> filter;
  absl::flat_hash_map<std::string, uint32_t> long_words;
};

const Table& TheTable() {
  static const Table* table = [] {
    auto* t = new Table();
    auto add = [&](std::initializer_list<const char*> words, uint32_t bit) {
      for (absl::string_view word : words) {
        if (word.size() > kShortMax) {
          t->long_words[word] |= bit;
          t->filter.set(FilterIndex(word));
          continue;
        }
        const uint64_t key = Packed(word);
        size_t slot = SlotOf(key);
        while (t->short_words[slot].key != 0 && t->short_words[slot].key != key) {
          slot = (slot + 1) % t->short_words.size();
        }
        t->short_words[slot].key = key;
        t->short_words[slot].classes |= bit;
      }
    };
    // People outside the roster (other_person_detector.cc).
    add({"mon", "ma", "mes", "notre", "nos", "ton", "ta", "tes", "son", "sa", "ses", "leur",
         "le", "la", "l", "les", "un", "une", "votre"}, kPossessive);
    add({
      "frere", "soeur", "cousin", "cousine", "voisin", "voisine", "tante", "oncle", "pere",
      "mere", "ami", "amie", "copain", "copine", "parrain", "marraine", "grand", "grands",
      "demi", "beau", "belle", "papi", "papy", "mamie", "mamy", "pote", "camarade", "coach",
      "entraineur", "entraineuse", "nounou", "meilleur", "meilleure", "meilleurs", "meilleures",
        "correspondant",
      "correspondante", "fils", "fille", "neveu", "niece", "mari", "femme", "copains", "amis",
      "petit", "petite", "grande", "tuteur", "tutrice", "maitre", "maitresse", "patron",
      "patronne", "chef", "responsable", "directeur", "directrice", "guide", "animateur",
      "animatrice", "moniteur", "monitrice", "collegue", "medecin", "dentiste", "infirmiere",
      "infirmier", "prof", "professeur", "professeure", "surveillant", "surveillante", "eleve",
      "stagiaire", "bebe", "jumeau", "jumelle", "arriere", "meme", "pepe", "tonton",
      "tata", "tatie", "papa", "maman", "copines", "voisins", "cousins", "cousines", "soeurs",
      "freres", "parents", "enfants", "de", "stage"}, kRelation);
    add({
      "meme", "pepe", "mamie", "mamy", "mami", "papi", "papy", "tonton", "tata", "tatie", "tati",
      "mamoune", "nonna", "nonno", "abuela", "abuelo", "avo", "mamama", "opa", "oma", "baba",
      "yaya", "mamina", "mammy", "granny", "bonne", "grand", "tantine", "cousin", "cousine",
      "oncle", "tante", "parrain", "marraine", "jeddi", "jedda", "teta", "sitti", "yemma",
      "mamm", "gozh", "tad", "dadi", "nani", "bibi"}, kFamilyTitle);
    add({"m", "mme", "mlle", "monsieur", "madame", "mademoiselle", "dr", "docteur", "maitre",
         "mr", "mrs", "me", "pr"}, kTitle);
    add({
      "cher", "chere", "coucou", "salut", "bonjour", "bonsoir", "hello", "hey", "merci",
      "bisous", "dear", "bises", "slt", "cc", "wesh",
      "avec", "appelle", "appellent"}, kGreeting);
    add({
      "responsable", "prevenir", "pere", "mere", "tuteur", "tutrice", "parent", "parents",
      "contact", "urgence", "representant", "representante", "nom", "prenom", "signature",
      "referent", "referente", "maitre", "encadrant", "encadrante"}, kPersonField);
    add({"chien", "chienne", "chat", "chatte", "chaton", "hamster", "lapin", "lapine",
         "poisson", "cheval", "jument", "poney", "perroquet", "tortue", "cochon", "chiot",
         "furet", "perruche", "canari", "souris"}, kPet);
    add({"noel", "toussaint", "paques", "pentecote", "ascension", "epiphanie", "chandeleur",
         "assomption"}, kFeast);
    // What a story, a lesson or a town names after a noun: the name is not someone the pupil
    // knows. Story characters ("la princesse Rose"), right after the noun:
    add({"chevalier", "princesse", "prince", "roi", "reine", "geant", "geante", "fee",
         "sorciere", "sorcier", "ogre", "ogresse", "dragon", "lutin", "elfe", "magicien",
         "magicienne", "pirate", "heros", "heroine", "personnage", "sirene", "monstre",
         "fantome", "renard", "loup"}, kStoryCharacter);
    // Storms, ships, popes, laws, streets ("la tempête Philippe", "place Kléber"), right
    // after the noun:
    add({"cyclone", "tempete", "ouragan", "navire", "pape", "loi", "lois", "theoreme", "place",
         "avenue", "rue", "boulevard", "statue"}, kNamedThing);
    // Works, buildings and trades, only with "de" or a name of several words ("le concert
    // d'Angèle", "l'hôpital Victor-Provo", "les laboratoires Pierre Fabre"): "au musée Inès a
    // adoré" is Inès.
    add({"poete", "ecrivain", "auteur", "peintre", "chanteur", "chanteuse", "footballeur",
         "empereur", "imperatrice", "marechal", "president", "ministre", "hopital", "musee",
         "laboratoire", "laboratoires", "fondation", "institut", "concert", "album", "chanson",
         "livres", "roman", "romans", "film", "brigade", "opera", "theatre"}, kMaker);
    // The pupil's own: "ma cousine Léa" is never a character's.
    add({"mon", "ma", "mes", "notre", "nos", "ton", "ta", "tes", "votre", "vos"},
        kOwnPossessive);
    add({"son", "sa", "ses", "leur", "leurs"}, kThirdPerson);

    // Places (place_detector.cc), schools (school_detector.cc), streets and handles
    // (structured_detector.cc), figures (figure_spotter.h).
    // Words after which a commune is a place whatever else it is: "à Vert", "habite Bondy".
    add({"a", "de", "d", "vers", "depuis", "habite", "habitons", "habitent", "pres", "sur", "en",
         "entre", "et", "originaire", "ne", "nee"}, kPlaceCue);
    // Articles that, lower-case before a capitalised word, make it a thing rather than a town:
    // "la Saint-Martin", "le Mont-Blanc", "du Louvre".
    add({"la", "le", "les", "l", "du", "des", "au", "aux", "un", "une"}, kArticle);
    // The small words inside commune names: "Saint-Jean-de-Luz", "Châlons-en-Champagne".
    add({"de", "du", "des", "la", "le", "les", "l", "d", "sur", "sous", "en", "et", "au", "aux",
         "lez", "pres", "a"}, kPlaceParticle);
    // The last word of a form's field that holds a place: "Ville :", "Lieu de naissance :".
    add({"ville", "naissance", "lieu", "commune", "domicile"}, kPlaceField);
    // Things named after a town, which are not where anyone lives: "le château de Versailles",
    // "la grotte de Lascaux", "l'Olympique de Marseille", "l'opéra de Paris".
    add({"chateau", "grotte", "musee", "ossuaire", "cite", "viaduc", "zoo", "bataille", "traite",
         "pont", "cathedrale", "basilique", "abbaye", "tour", "palais", "siege", "olympique",
         "stade", "jardin", "jardins", "parc", "lac", "foret", "plage", "ile", "martyr", "edit",
         "paix", "accords", "concile", "commune", "massacre", "debarquement", "fromage", "vin",
         "chevalier", "chevaliers", "maxime", "mont", "massif", "col", "pic", "cap", "golfe",
         "fleuve", "ecole", "universite", "dame", "baie", "gorges", "canal", "arc", "porte",
         "place", "rue", "avenue", "boulevard", "aeroport", "gare", "port", "fort", "homme",
         "opera", "ensa", "faculte", "parlement", "institut", "conservatoire", "galette",
         "mineurs", "liberation", "hopital", "theatre"}, kLandmark);
    // Words that, shortly before "à X", make X where someone lives, comes from or goes: "chez ma
    // grand-mère à Braga", "on a déménagé à Kayseri", "elle est arrivée de Caen".
    add({"chez", "habite", "habites", "habitons", "habitent", "habiter", "habitait", "vis",
         "vit", "vivons", "vivent", "vivre", "vivait", "voir", "demenage", "demenager",
         "originaire", "viens", "vient", "venons", "viennent", "parents", "famille", "retourne",
         "parti", "partie", "partis", "allee", "alle", "alles", "sejour", "vacances",
         "installes", "installe", "installee", "grandi", "residence", "domicile", "adresse",
         "ville", "commune", "village", "arrive", "arrivee", "arrives", "arrivees", "arrivons",
         "venu", "venue", "rentrer", "rentre", "rentree", "rentres", "jusqu", "travaille",
         "travaillent", "travaillait", "travailler"}, kHomeCue);
    // Words that make a sentence the pupil's own life: "je", "on", "mon", "chez", "tu", a birth.
    add({"je", "j", "on", "nous", "mon", "ma", "mes", "notre", "nos", "tu", "t", "ton", "ta",
         "tes", "vous", "votre", "vos", "moi", "me", "m", "chez", "toi", "te", "ne", "nee",
         "nes", "nees", "naissance"}, kPersonal);
    // The prepositions a place's name follows: "à Rennes", "au Havre", "des Sables-d'Olonne".
    add({"a", "au", "aux", "du", "des"}, kPlacePreposition);
    // Words that name a kind of school: "collège", "clg", "lycée", "école", "LP", "EREA"...
    add({"college", "clg", "lycee", "lyc", "ecole", "lp", "lpo", "erea", "segpa", "institution"
        }, kSchoolWord);
    // Words that may stand between a school word and its name: "lycée pro Éluard", "école
    // élémentaire Jaurès", "groupe scolaire", "collège privé".
    add({"pro", "professionnel", "general", "technologique", "polyvalent", "agricole",
         "elementaire", "primaire", "maternelle", "scolaire", "prive", "public", "publique",
         "privee", "de", "du", "des", "la", "le", "l", "d"}, kSchoolQualifier);
    // The first word of a street named without a number: "rue de la Marne", "lieu-dit Kerhallet".
    add({"rue", "avenue", "av", "impasse", "chemin", "allee", "boulevard", "bd", "route", "quai",
         "lieu", "lieudit", "section", "hameau", "lotissement", "residence", "ferme"
        }, kStreetWord);
    // Networks a handle is given after without its '@': "insta : lea.dessine".
    add({"insta", "instagram", "snap", "snapchat", "tiktok", "twitch", "discord", "pseudo",
         "twitter", "youtube", "yt"}, kNetwork);
    // A saint's word before a saint's name: "la Saint-Valentin", "São João".
    add({"saint", "sainte", "st", "ste", "san", "santa", "santo", "sao", "sant"}, kSaint);
    // Besides titles (kTitle), words after which a figure's name is someone's: "je m'appelle
    // Fontaine", "Cher Chérubin", "le prof Hugo".
    add({"prof", "professeur", "appelle", "appelles", "appelait", "nom", "cher", "chere"},
        kNamesSomeone);
    // The first words of what says a copy is a story (other_person_detector.cc, IsFiction).
    add({"il", "histoire", "invente", "inventez", "recit", "suite", "ecrivez", "ecris"},
        kStoryMarker);
    return t;
  }();
  return *table;
}

}  // namespace

uint32_t WordClasses(absl::string_view folded_word) {
  if (folded_word.empty() || folded_word.size() >= 32) return 0;
  const Table& table = TheTable();
  if (folded_word.size() <= kShortMax) {
    const uint64_t key = Packed(folded_word);
    for (size_t slot = SlotOf(key);; slot = (slot + 1) % table.short_words.size()) {
      if (table.short_words[slot].key == key) return table.short_words[slot].classes;
      if (table.short_words[slot].key == 0) return 0;
    }
  }
  if (!table.filter.test(FilterIndex(folded_word))) return 0;
  auto it = table.long_words.find(folded_word);
  return it == table.long_words.end() ? 0 : it->second;
}

}  // namespace gardefou::pseudonym
