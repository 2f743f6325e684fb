#!/usr/bin/env python3
# make_pii_corpus.py: writes gardefou's own labelled corpus of pupils' copies,
# used to measure the pseudonymiser's recall (see tests/data/pii/README.md).
#
#   python3 scripts/make_pii_corpus.py OUTDIR   ->  OUTDIR/rosters.json
#                                                   OUTDIR/copies.jsonl
#
# Every pupil, teacher, relative, address and number is invented: names and
# places are drawn from the hand-written lists in tests/data/pii/lists/, the
# identifiers (INE, NIR, UAI, phone numbers) are random but well-formed.
# Each copy lists the personal data it contains ("pii") and the phrases that
# must come out unchanged ("traps"). The output is deterministic: a fixed seed,
# no iteration over sets, Python 3 standard library only.

import json
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20240902
LISTS_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "pii" / "lists"
MAX_TRIES = 80          # attempts to write one copy whose labels are unambiguous

# --------------------------------------------------------------------------
# Reading the lists


def read_entries(name):
    """(section, entry) pairs of a list file; '# --- xxx' lines open a section."""
    out, section = [], ""
    for raw in (LISTS_DIR / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("# ---"):
            section = line[5:].strip()
        elif line and not line.startswith("#"):
            out.append((section, line))
    return out


def read_plain(name):
    return [entry for _, entry in read_entries(name)]


@dataclass(frozen=True)
class Commune:
    name: str
    postcode: str
    region: str


@dataclass(frozen=True)
class Figure:
    name: str
    domain: str
    fact: str
    short: str


@dataclass(frozen=True)
class TrapLine:
    keys: tuple
    text: str


def read_trap_lines(name):
    lines = []
    for entry in read_plain(name):
        keys, text = entry.split("|", 1)
        lines.append(TrapLine(tuple(k for k in keys.split(",") if k != "-"), text))
    return lines


class Lists:
    """All the hand-written lists the generator draws from."""

    def __init__(self):
        self.girls = read_plain("prenoms_filles.txt")
        self.boys = read_plain("prenoms_garcons.txt")
        self.women = read_plain("prenoms_adultes_femmes.txt")
        self.men = read_plain("prenoms_adultes_hommes.txt")
        self.surnames = read_entries("noms.txt")
        self.nicknames = {}
        for entry in read_plain("surnoms.txt"):
            first, nick = entry.split("|")
            self.nicknames.setdefault(first, []).append(nick)
        self.communes = [Commune(*e.split(";"), region=r) for r, e in read_entries("communes.txt")]
        self.foreign = read_entries("villes_etrangeres.txt")
        self.patrons = read_plain("patrons.txt")
        self.streets = read_plain("rues.txt")
        self.figures = [Figure(*e.split("|")) for e in read_plain("figures.txt")]
        self.works = [tuple(e.split("|")) for e in read_plain("oeuvres.txt")]
        self.word_traps = read_trap_lines("pieges_mots.txt")
        self.history_traps = read_trap_lines("dates_historiques.txt")
        self.science_traps = read_trap_lines("pieges_sciences.txt")
        self.mail_traps = read_trap_lines("pieges_courrier.txt")
        self.games = [e for sec, e in read_entries("jeux_series.txt") if sec == "jeux"]
        self.shows = [e for sec, e in read_entries("jeux_series.txt") if sec != "jeux"]
        self.sights = read_plain("lieux_visites.txt")
        self.regions = []
        for c in self.communes:
            if c.region not in self.regions:
                self.regions.append(c.region)
        # lowercase forms of words that are also names: never write such a
        # name in lowercase, it would be indistinguishable from the word
        self.common_words = set()
        for line in self.all_trap_lines():
            for k in line.keys:
                self.common_words.add(k.lower())

    def all_trap_lines(self):
        return self.word_traps + self.history_traps + self.science_traps + self.mail_traps

    def communes_in(self, region):
        return [c for c in self.communes if c.region == region]

    def foreign_in(self, section):
        return [name for s, name in self.foreign if s == section]


# --------------------------------------------------------------------------
# Small text helpers


def strip_accents(s):
    s = s.replace("ı", "i").replace("œ", "oe").replace("Œ", "OE")
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch))


PARTICLES = {"le", "la", "les", "de", "du", "des", "da", "dos", "ben", "el", "ait",
             "n", "d", "l", "saint", "sainte", "van"}


def name_tokens(name):
    """Lowercase unaccented parts of a name, particles left out."""
    parts = re.split(r"[\s\-'’]+", strip_accents(name).lower())
    return [p for p in parts if p and p not in PARTICLES]


def slug(name):
    """ASCII lowercase form for e-mail addresses and handles."""
    return re.sub(r"[^a-z0-9]", "", strip_accents(name).lower())


def upper_name(name):
    return name.upper()


VOWELS = "AEIOUÂÀÉÈÊËÎÏÔÖÛÜaeiouâàéèêëîïôöûüœŒ"


def starts_with_vowel(s):
    """True when 'de' must become d' before s (Yves yes, Yanis no)."""
    if not s:
        return False
    if s[0] in "Yy":
        return len(s) > 1 and s[1] not in VOWELS
    return s[0] in VOWELS


MONTHS = ["", "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
          "août", "septembre", "octobre", "novembre", "décembre"]

# --------------------------------------------------------------------------
# Identifiers: UAI, INE, NIR, phone numbers

LETTERS23 = "ABCDEFGHJKLMNPRSTUVWXYZ"


def dept_code(commune):
    pc = commune.postcode
    if pc.startswith("97"):
        return pc[:3]
    if pc.startswith("20"):
        return "2A" if int(pc) < 20200 else "2B"
    return pc[:2]


def make_uai(rng, commune):
    dept = dept_code(commune)
    prefix = {"2A": "620", "2B": "720"}.get(dept, dept if len(dept) == 3 else "0" + dept)
    digits = prefix + "".join(rng.choice("0123456789") for _ in range(4))
    return digits + LETTERS23[int(digits) % 23]


def make_ine(rng):
    digits = lambda n: "".join(rng.choice("0123456789") for _ in range(n))
    if rng.random() < 0.5:
        return digits(9) + rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return digits(10) + rng.choice(LETTERS23)


def nir_key(body13):
    """Key of a NIR: 97 - (13 digits mod 97), Corsica 2A/2B read as 19/18."""
    if body13[5:7] in ("2A", "2B"):
        body13 = body13[:5] + {"2A": "19", "2B": "18"}[body13[5:7]] + body13[7:]
    return "%02d" % (97 - int(body13) % 97)


def make_nir(rng, sex_digit, year, month, birth_commune):
    dept = dept_code(birth_commune)
    place = dept + ("%02d" % rng.randint(1, 34) if len(dept) == 3 else "%03d" % rng.randint(1, 420))
    body = "%s%02d%02d%s%03d" % (sex_digit, year % 100, month, place, rng.randint(1, 999))
    return body + nir_key(body)


def format_nir(nir, layout):
    groups = [nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:15]]
    if layout == "spaced":
        return " ".join(groups)
    if layout == "key_apart":
        return nir[:13] + " " + nir[13:]
    if layout == "key_slash":
        return " ".join(groups[:6]) + " / " + groups[6]
    return nir


NIR_LAYOUTS = ["spaced", "spaced", "compact", "key_apart", "key_slash"]

LANDLINE_PREFIX = {"Île-de-France": "01", "Hauts-de-France": "03", "Normandie": "02",
                   "Bretagne": "02", "Pays de la Loire": "02", "Centre-Val de Loire": "02",
                   "Grand Est": "03", "Bourgogne-Franche-Comté": "03",
                   "Auvergne-Rhône-Alpes": "04", "Nouvelle-Aquitaine": "05",
                   "Occitanie": "05", "Provence-Alpes-Côte d'Azur": "04", "Corse": "04"}
DOM_PREFIX = {"971": "0590", "972": "0596", "973": "0594", "974": "0262", "976": "0269"}


def random_digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def make_mobile(rng):
    return "0" + rng.choice("67") + rng.choice("123456789") + random_digits(rng, 7)


def make_landline(rng, commune):
    prefix = DOM_PREFIX.get(commune.postcode[:3]) or LANDLINE_PREFIX.get(commune.region, "09")
    return prefix + str(rng.randint(1, 9)) + random_digits(rng, 10 - len(prefix) - 1)


def pairs(digits):
    return " ".join(digits[i:i + 2] for i in range(0, len(digits), 2))


def format_phone(d, layout):
    if layout == "spaced":
        return pairs(d)
    if layout == "dots":
        return pairs(d).replace(" ", ".")
    if layout == "dashes":
        return pairs(d).replace(" ", "-")
    if layout == "intl":
        return "+33 " + d[1] + " " + pairs(d[2:])
    if layout == "intl_paren":
        return "+33 (0)" + d[1] + " " + pairs(d[2:])
    if layout == "intl_compact":
        return "+33" + d[1:]
    if layout == "double_zero":
        return "0033 " + d[1] + " " + pairs(d[2:])
    return d


PHONE_LAYOUTS = [("spaced", 30), ("dots", 14), ("compact", 14), ("dashes", 6), ("intl", 12),
                 ("intl_paren", 8), ("intl_compact", 5), ("double_zero", 4)]


def format_date(date, fmt):
    y, m, d = date
    day = "1er" if d == 1 else str(d)
    return {
        "slash": "%02d/%02d/%d" % (d, m, y),
        "slash_short": "%d/%d/%d" % (d, m, y),
        "dot": "%02d.%02d.%d" % (d, m, y),
        "dash": "%02d-%02d-%d" % (d, m, y),
        "yy": "%02d/%02d/%02d" % (d, m, y % 100),
        "long": "%s %s %d" % (day, MONTHS[m], y),
        "long_cap": "%s %s %d" % (day, MONTHS[m].capitalize(), y),
        "noyear": "%s %s" % (day, MONTHS[m]),
        "noyear_num": "%02d/%02d" % (d, m),
    }[fmt]


DOB_FORMATS = [("slash", 30), ("slash_short", 6), ("dot", 10), ("dash", 8), ("yy", 3),
               ("long", 30), ("long_cap", 6)]


def random_date(rng, year):
    m = rng.randint(1, 12)
    d = rng.randint(1, [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1])
    return (year, m, d)


# --------------------------------------------------------------------------
# People, schools, classes


@dataclass
class Person:
    first: str
    last: str
    gender: str                     # "F" or "M"
    pid: str = None                 # roster id; None for people outside the roster
    origin: str = ""                # section of the surname list
    title: str = ""                 # "M." / "Mme" for staff
    subject: str = ""
    aliases: list = field(default_factory=list)
    ine: str = ""
    dob: tuple = None
    home: Commune = None
    birthplace: Commune = None
    address: tuple = None           # (number, street)
    mobile: str = ""
    email: str = ""
    handle: str = ""
    nir: str = ""
    landline: str = ""
    place: object = None            # where a person outside the roster lives
    family: dict = field(default_factory=dict)
    owner: object = None            # the pupil whose relative this person is
    relation: str = ""


@dataclass
class School:
    kind: str                       # Collège, Lycée, Lycée professionnel
    patron: str
    city: Commune
    uai: str

    @property
    def hyphenated(self):
        return self.patron.replace(" ", "-")

    @property
    def name(self):
        return self.kind + " " + self.hyphenated


@dataclass
class SchoolClass:
    cid: str
    school: School
    level: str
    label: str
    students: list = field(default_factory=list)
    teachers: list = field(default_factory=list)
    tokens: set = field(default_factory=set)      # membership only
    names: set = field(default_factory=set)       # exact names, membership only


LEVELS = ["6e", "6e", "5e", "5e", "4e", "4e", "3e", "3e", "3e", "2de", "2de", "1re", "Tle", "1re pro"]
SCHOOL_OF_CLASS = [0, 1, 2, 0, 3, 2, 4, 5, 1, 6, 7, 6, 8, 9]
SCHOOL_KINDS = ["Collège"] * 6 + ["Lycée"] * 3 + ["Lycée professionnel"]
BIRTH_YEAR = {"6e": 2013, "5e": 2012, "4e": 2011, "3e": 2010, "2de": 2009, "1re": 2008,
              "Tle": 2007, "1re pro": 2008}
SUBJECTS = {
    "college": ["français", "mathématiques", "histoire-géographie", "anglais", "SVT",
                "physique-chimie", "technologie", "EPS", "arts plastiques", "espagnol",
                "éducation musicale", "allemand"],
    "lycee": ["français", "mathématiques", "histoire-géographie", "anglais", "SVT",
              "physique-chimie", "SES", "philosophie", "EPS", "espagnol", "SNT"],
    "pro": ["vente", "français", "mathématiques", "anglais", "économie-droit", "EPS",
            "histoire-géographie"],
}
SUBJECT_SHORT = {"mathématiques": "maths", "histoire-géographie": "histoire-géo",
                 "physique-chimie": "physique", "éducation musicale": "musique",
                 "arts plastiques": "arts plastiques", "philosophie": "philo",
                 "technologie": "techno", "économie-droit": "éco-droit"}


SUBJECT_WITH_ARTICLE = {
    "français": "le français", "mathématiques": "les maths", "histoire-géographie": "l'histoire-géo",
    "anglais": "l'anglais", "SVT": "les SVT", "physique-chimie": "la physique-chimie",
    "technologie": "la techno", "EPS": "l'EPS", "arts plastiques": "les arts plastiques",
    "espagnol": "l'espagnol", "éducation musicale": "la musique", "allemand": "l'allemand",
    "SES": "les SES", "philosophie": "la philo", "SNT": "la SNT", "vente": "la vente",
    "économie-droit": "l'éco-droit"}
SCIENCES = ("physique-chimie", "SVT", "technologie", "mathématiques", "SNT")


def stage_of(level):
    if level == "1re pro":
        return "pro"
    return "lycee" if level in ("2de", "1re", "Tle") else "college"


def class_label(rng, level):
    if level == "1re pro":
        return "1re Bac Pro MCV"
    if level in ("2de", "1re", "Tle"):
        return "%s %d" % (level, rng.randint(1, 8))
    return "%s%s%s" % (level, rng.choice(["", " "]), rng.choice("ABCDEF"))


def make_schools(rng, lists):
    """One school per region; the first is named after Jean Moulin, the most
    common school name in France, so that essays about him collide with it."""
    regions = rng.sample(lists.regions, len(SCHOOL_KINDS))
    others = [p for p in lists.patrons if p != "Jean Moulin"]
    patrons = ["Jean Moulin"] + rng.sample(others, len(SCHOOL_KINDS) - 1)
    schools = []
    for kind, region, patron in zip(SCHOOL_KINDS, regions, patrons):
        city = rng.choice(lists.communes_in(region))
        schools.append(School(kind, patron, city, make_uai(rng, city)))
    return schools


def tokens_free(cls, name):
    return not any(t in cls.tokens for t in name_tokens(name))


def claim(cls, *names):
    for n in names:
        cls.names.add(n)
        for t in name_tokens(n):
            cls.tokens.add(t)


def pick_free(rng, cls, pool, tries=400):
    for _ in range(tries):
        name = rng.choice(pool)
        if tokens_free(cls, name):
            return name
    raise RuntimeError("no free name left in pool")


def pick_surname(rng, cls, lists):
    for _ in range(400):
        section, name = rng.choice(lists.surnames)
        if tokens_free(cls, name):
            return section, name
    raise RuntimeError("no free surname")


PRIORITY_FIRSTS = ["Rose", "Pierre", "Olivier", "Marine", "Ambre", "Jade", "Constant", "Blanche"]
PRIORITY_LASTS = ["Martin", "Petit", "Bon", "Leblanc", "Boulanger", "Lenoir"]
HOMONYMS_PER_CLASS = 3


def homonym_queue(rng, names, priority):
    """Collision names in the order classes get them: the brief's examples first."""
    rest = [n for n in names if n not in priority]
    return [n for n in priority if n in names] + rng.sample(rest, len(rest))


def collision_names(lists):
    """First names and surnames that also appear as trap keys (Rose, Martin...)."""
    keys = []
    for line in lists.all_trap_lines():
        for k in line.keys:
            if k not in keys:
                keys.append(k)
    firsts = [k for k in keys if k in lists.girls or k in lists.boys]
    lasts = [k for k in keys if any(k == n for _, n in lists.surnames)]
    return firsts, lasts


def add_student(rng, lists, cls, index, first=None, last=None):
    if first is None or not tokens_free(cls, first):
        gender = rng.choice("FM")
        first = pick_free(rng, cls, lists.girls if gender == "F" else lists.boys)
    gender = "F" if first in lists.girls else "M"
    claim(cls, first)
    if last is not None and tokens_free(cls, last):
        section = next(s for s, n in lists.surnames if n == last)
    else:
        section, last = pick_surname(rng, cls, lists)
    claim(cls, last)
    st = Person(first, last, gender, pid="s%s%02d" % (cls.cid[1:], index), origin=section)
    cls.students.append(st)
    return st


def add_teachers(rng, lists, cls):
    subjects = rng.sample(SUBJECTS[stage_of(cls.level)], rng.randint(3, 5))
    if "français" not in subjects:
        subjects[0] = "français"
    for i, subject in enumerate(subjects, 1):
        gender = rng.choice("FM")
        first = pick_free(rng, cls, lists.women if gender == "F" else lists.men)
        claim(cls, first)
        section, last = pick_surname(rng, cls, lists)
        claim(cls, last)
        cls.teachers.append(Person(first, last, gender, pid="t%s%d" % (cls.cid[1:], i),
                                   origin=section, title="Mme" if gender == "F" else "M.",
                                   subject=subject))


def add_aliases(rng, lists, cls):
    for st in cls.students:
        for nick in lists.nicknames.get(st.first, []):
            if rng.random() < 0.6 and tokens_free(cls, nick) and nick not in cls.names:
                st.aliases.append(nick)
                claim(cls, nick)


def make_class(rng, lists, index, school, firsts, lasts):
    """A class of 22-30 pupils; firsts/lasts: homonym names it must include."""
    level = LEVELS[index]
    cls = SchoolClass("c%02d" % (index + 1), school, level, class_label(rng, level))
    claim(cls, *name_tokens(school.patron))
    # a few pupils named like ordinary words or famous people (Rose, Martin...)
    wishes = [(f, None) for f in firsts] + [(None, l) for l in lasts]
    for i in range(1, rng.randint(22, 30) + 1):
        first, last = wishes[i - 1] if i <= len(wishes) else (None, None)
        add_student(rng, lists, cls, i, first, last)
    rng.shuffle(cls.students)
    for i, st in enumerate(cls.students, 1):       # ids follow the roster order
        st.pid = "s%s%02d" % (cls.cid[1:], i)
    add_teachers(rng, lists, cls)
    add_aliases(rng, lists, cls)
    return cls


# --------------------------------------------------------------------------
# Personal details of the people (only ever shown inside copies)

EMAIL_DOMAINS = ["gmail.com", "gmail.com", "hotmail.fr", "outlook.fr", "yahoo.fr",
                 "laposte.net", "orange.fr", "free.fr", "sfr.fr", "icloud.com", "wanadoo.fr"]

ACADEMY = {}
for _acad, _depts in [
        ("paris", "75"), ("creteil", "77 93 94"), ("versailles", "78 91 92 95"),
        ("lille", "59 62"), ("amiens", "02 60 80"), ("normandie", "14 27 50 61 76"),
        ("rennes", "22 29 35 56"), ("nantes", "44 49 53 72 85"),
        ("orleans-tours", "18 28 36 37 41 45"), ("strasbourg", "67 68"),
        ("nancy-metz", "54 55 57 88"), ("reims", "08 10 51 52"), ("dijon", "21 58 71 89"),
        ("besancon", "25 39 70 90"), ("lyon", "01 42 69"), ("grenoble", "07 26 38 73 74"),
        ("clermont", "03 15 43 63"), ("bordeaux", "24 33 40 47 64"), ("limoges", "19 23 87"),
        ("poitiers", "16 17 79 86"), ("toulouse", "09 12 31 32 46 65 81 82"),
        ("montpellier", "11 30 34 48 66"), ("aix-marseille", "04 05 13 84"), ("nice", "06 83"),
        ("corse", "2A 2B"), ("guadeloupe", "971"), ("martinique", "972"), ("guyane", "973"),
        ("reunion", "974"), ("mayotte", "976")]:
    for _d in _depts.split():
        ACADEMY[_d] = "ac-" + _acad


def make_email(rng, first, last, kind, school=None):
    f, l = slug(first), slug(last)
    if kind == "teacher":
        return "%s.%s@%s.fr" % (f, l, ACADEMY[dept_code(school.city)])
    yy = "%02d" % rng.randint(5, 14)
    local = rng.choice([
        "%s.%s" % (f, l), "%s%s" % (f, l), "%s.%s%s" % (f, l, yy), "%s.%s" % (f[0], l),
        "%s_%s%d" % (f, l[:4], rng.randint(1, 99)), "%s.%s" % (l, f), "%s%s" % (f, yy),
    ])
    if kind == "parent" and rng.random() < 0.3:
        local = "famille.%s" % l
    return local + "@" + rng.choice(EMAIL_DOMAINS)


def make_handle(rng, first, last):
    f, l = slug(first), slug(last)
    return rng.choice([
        "%s.%s" % (f, l), "%s_%s" % (f, l[:4]), "%s%02d" % (f, rng.randint(5, 14)),
        "%s.%s%d" % (f, l[:3], rng.randint(1, 99)), "the.real.%s" % f, "%s.off" % f,
        "%s_%s_" % (f, l), "%s.dessine" % f, "%s.foot%d" % (f, rng.randint(1, 99)),
    ])


def draw_free(rng, cls, taken, pool):
    """A name from pool sharing no part with the class roster nor with taken."""
    for _ in range(500):
        name = rng.choice(pool)
        if tokens_free(cls, name) and not any(t in taken for t in name_tokens(name)):
            return name
    raise RuntimeError("no free name left in pool")


def new_person_outside(rng, lists, cls, taken, gender, adult, relation, last=None):
    """Someone outside the roster whose names collide with no one in the class."""
    pool = (lists.women if gender == "F" else lists.men) if adult else \
        (lists.girls if gender == "F" else lists.boys)
    first = draw_free(rng, cls, taken, pool)
    if last is None:
        last = draw_free(rng, cls, taken, [n for _, n in lists.surnames])
    for t in name_tokens(first) + name_tokens(last):
        taken.add(t)
    return Person(first, last, gender, relation=relation)


ORIGIN_PLACES = {"maghrébins": "Maghreb", "Afrique de l'Ouest et centrale": "Afrique",
                 "portugais": "Portugal", "turcs": "Turquie", "vietnamiens, chinois": "Asie",
                 "Europe de l'Est": "Europe de l'Est"}
ORIGIN_REGIONS = {"bretons": "Bretagne", "corses": "Corse", "Antilles, Réunion, Guyane": "Outre-mer"}


def grandparents_place(rng, lists, st):
    if st.origin in ORIGIN_PLACES and rng.random() < 0.6:
        return rng.choice(lists.foreign_in(ORIGIN_PLACES[st.origin]))
    if st.origin in ORIGIN_REGIONS and rng.random() < 0.7:
        return rng.choice(lists.communes_in(ORIGIN_REGIONS[st.origin]))
    return rng.choice(lists.communes)


def make_family(rng, lists, cls, st):
    taken = set(name_tokens(st.last))
    fam = {}
    fam["mère"] = new_person_outside(rng, lists, cls, taken, "F", True, "mère",
                                     st.last if rng.random() < 0.55 else None)
    fam["père"] = new_person_outside(rng, lists, cls, taken, "M", True, "père",
                                     st.last if rng.random() < 0.8 else None)
    siblings = []
    for _ in range(rng.choices([0, 1, 2, 3], [20, 42, 28, 10])[0]):
        g = rng.choice("FM")
        sib = new_person_outside(rng, lists, cls, taken, g, False, "fratrie", st.last)
        sib.dob = random_date(rng, st.dob[0] + rng.choice([-6, -4, -3, -2, 2, 3, 4, 5, 7]))
        siblings.append(sib)
    fam["fratrie"] = siblings
    gp_place = grandparents_place(rng, lists, st)
    for rel, g in [("grand-mère", "F"), ("grand-père", "M")]:
        fam[rel] = new_person_outside(rng, lists, cls, taken, g, True, rel)
        fam[rel].place = gp_place
    for rel, g, adult in [("cousin", "M", False), ("cousine", "F", False),
                          ("voisin", rng.choice("FM"), True), ("entraîneur", rng.choice("FM"), True),
                          ("ami", rng.choice("FM"), False), ("tuteur", rng.choice("FM"), True),
                          ("tante", "F", True), ("oncle", "M", True), ("docteur", rng.choice("FM"), True),
                          ("nounou", "F", True)]:
        fam[rel] = new_person_outside(rng, lists, cls, taken, g, adult, rel)
        fam[rel].place = rng.choice(lists.communes)
    fam["cousin"].dob = random_date(rng, st.dob[0] + rng.choice([-3, -1, 1, 2]))
    fam["cousine"].dob = random_date(rng, st.dob[0] + rng.choice([-2, -1, 1, 3]))
    for p in siblings + [fam[k] for k in fam if k != "fratrie"]:
        p.owner = st
    fam["mère"].mobile = make_mobile(rng)
    fam["père"].mobile = make_mobile(rng)
    fam["mère"].email = make_email(rng, fam["mère"].first, fam["mère"].last, "parent")
    fam["père"].email = make_email(rng, fam["père"].first, fam["père"].last, "parent")
    fam["mère"].nir = make_nir(rng, "2", rng.randint(1968, 1990), rng.randint(1, 12), rng.choice(lists.communes))
    fam["père"].nir = make_nir(rng, "1", rng.randint(1965, 1988), rng.randint(1, 12), rng.choice(lists.communes))
    fam["tuteur"].email = make_email(rng, fam["tuteur"].first, fam["tuteur"].last, "adult")
    fam["tuteur"].mobile = make_mobile(rng)
    return fam


def make_profile(rng, lists, cls, st):
    year = BIRTH_YEAR[cls.level] + (rng.choice([-1, 1]) if rng.random() < 0.15 else 0)
    st.dob = random_date(rng, year)
    city = cls.school.city
    st.home = city if rng.random() < 0.6 else rng.choice(lists.communes_in(city.region))
    st.birthplace = st.home if rng.random() < 0.6 else rng.choice(lists.communes)
    number = str(rng.randint(1, 148)) + rng.choice([""] * 8 + [" bis", " ter"])
    st.address = (number, rng.choice(lists.streets))
    st.mobile = make_mobile(rng)
    st.email = make_email(rng, st.first, st.last, "student")
    st.handle = make_handle(rng, st.first, st.last)
    st.nir = make_nir(rng, "2" if st.gender == "F" else "1", st.dob[0], st.dob[1], st.birthplace)
    st.ine = make_ine(rng)
    st.landline = make_landline(rng, st.home)
    st.family = make_family(rng, lists, cls, st)


def make_staff_details(rng, cls):
    for t in cls.teachers:
        t.email = make_email(rng, t.first, t.last, "teacher", cls.school)


def build_classes(rng, lists):
    schools = make_schools(rng, lists)
    firsts, lasts = collision_names(lists)
    firsts = homonym_queue(rng, firsts, PRIORITY_FIRSTS)
    lasts = homonym_queue(rng, lasts, PRIORITY_LASTS)
    k = HOMONYMS_PER_CLASS
    classes = []
    for i in range(len(LEVELS)):
        mine = lambda q: [q[(i * k + j) % len(q)] for j in range(k)]
        cls = make_class(rng, lists, i, schools[SCHOOL_OF_CLASS[i]], mine(firsts), mine(lasts))
        for st in cls.students:
            make_profile(rng, lists, cls, st)
        make_staff_details(rng, cls)
        classes.append(cls)
    return classes


# --------------------------------------------------------------------------
# Text segments: plain text, labelled personal data, traps


@dataclass(frozen=True)
class Seg:
    text: str
    kind: str            # "txt", "pii" or "trap"
    type: str = None
    ref: str = None


def txt(s):
    return Seg(s, "txt")


def pii(s, typ, ref=None):
    return Seg(s, "pii", typ, ref)


def trap(s):
    return Seg(s, "trap")


def as_segs(value):
    if isinstance(value, str):
        return [txt(value)] if value else []
    if isinstance(value, Seg):
        return [value]
    return list(value)


def elide(segs):
    """'de Inès' -> "d'Inès", 'que Ousmane' -> "qu'Ousmane" across segments."""
    out = list(segs)
    for i in range(len(out) - 1):
        m = re.search(r"\b(de|que) $", out[i].text) if out[i].kind == "txt" else None
        if m and starts_with_vowel(out[i + 1].text):
            out[i] = txt(out[i].text[:m.start()] + m.group(1)[:-1] + "'")
    return out


def fill(template, **slots):
    """'J'habite {at}.' with at=[...segments] -> list of segments."""
    out = []
    for i, part in enumerate(re.split(r"\{(\w+)\}", template)):
        if i % 2 == 0:
            out.extend(as_segs(part))
        else:
            out.extend(as_segs(slots[part]))
    return elide(out)


def bracketed(text):
    """'On a vu [le mont Blanc].' -> segments, the bracketed parts as traps."""
    out = []
    for i, part in enumerate(re.split(r"\[([^\]]*)\]", text)):
        if part:
            out.append(trap(part) if i % 2 else txt(part))
    return out


def de(segs):
    """'de X' or "d'X" by elision."""
    segs = as_segs(segs)
    return [txt("d'" if starts_with_vowel(segs[0].text) else "de ")] + segs


# --------------------------------------------------------------------------
# Documents and typography


class Doc:
    """A copy being written: sentences, paragraphs and lines of segments."""

    def __init__(self):
        self.blocks = []          # (how, segments); how: "s" sentence, "p" paragraph, "l" line

    def s(self, segs):
        self.blocks.append(("s", as_segs(segs)))

    def p(self, segs):
        self.blocks.append(("p", as_segs(segs)))

    def l(self, segs):
        self.blocks.append(("l", as_segs(segs)))


@dataclass
class Style:
    curly: bool          # typographic apostrophe ’
    punct: str           # "plain", "nbsp", "fr" (U+00A0 before ':' and U+202F before ;!?), "tight"
    par_sep: str
    double: bool         # double spaces after some sentences
    nfd: bool            # decomposed accents


def random_style(rng):
    return Style(curly=rng.random() < 0.3,
                 punct=rng.choices(["plain", "nbsp", "fr", "tight"], [55, 15, 15, 15])[0],
                 par_sep=rng.choice(["\n", "\n\n"]),
                 double=rng.random() < 0.12,
                 nfd=rng.random() < 0.08)


def space_before(style, mark):
    if style.punct == "nbsp":
        return "\u00a0"
    if style.punct == "fr":
        return "\u00a0" if mark in ":«»" else "\u202f"
    if style.punct == "tight" and mark in ";:!?":
        return ""
    return " "


def typeset(seg, style):
    t = seg.text
    if style.curly:
        t = t.replace("'", "’")
    if seg.kind == "txt":
        t = re.sub(r" ([;:!?»])", lambda m: space_before(style, m.group(1)) + m.group(1), t)
        t = t.replace("« ", "«" + space_before(style, "«"))
    if style.nfd:
        t = unicodedata.normalize("NFD", t)
    return Seg(t, seg.kind, seg.type, seg.ref)


def render(doc, style, rng):
    """Concatenate the blocks into (text, spans); spans are (start, end, seg)."""
    segs = []
    prev = None
    for how, block in doc.blocks:
        if prev is not None:
            if how == "l" or (how == "s" and prev == "l"):
                sep = "\n"
            elif how == "p":
                sep = style.par_sep
            else:
                sep = "  " if style.double and rng.random() < 0.5 else " "
            segs.append(txt(sep))
        segs.extend(block)
        prev = how
    text, spans, pos = [], [], 0
    for seg in segs:
        seg = typeset(seg, style)
        text.append(seg.text)
        if seg.kind != "txt":
            spans.append((pos, pos + len(seg.text), seg))
        pos += len(seg.text)
    return "".join(text), spans


# --------------------------------------------------------------------------
# Checking that a copy's labels are unambiguous


def is_word_char(ch):
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def occurrences(text, s):
    """Start offsets of s in text where s is not glued to a letter or digit."""
    out, i = [], text.find(s)
    while i >= 0:
        before = text[i - 1] if i > 0 else " "
        after = text[i + len(s)] if i + len(s) < len(text) else " "
        if not is_word_char(before) and not is_word_char(after):
            out.append(i)
        i = text.find(s, i + 1)
    return out


def inside(start, end, spans):
    return any(a <= start and end <= b for a, b, _ in spans)


def overlaps(start, end, spans):
    return any(start < b and a < end for a, b, _ in spans)


def labels_are_sound(text, spans, roster_words):
    """Every occurrence of a labelled surface or of a roster name is labelled
    or inside a trap; no trap overlaps personal data; one label per surface."""
    pii_spans = [sp for sp in spans if sp[2].kind == "pii"]
    trap_spans = [sp for sp in spans if sp[2].kind == "trap"]
    label = {}
    for _, _, seg in pii_spans:
        if not seg.text or seg.text != seg.text.strip():
            return False
        if label.setdefault(seg.text, (seg.type, seg.ref)) != (seg.type, seg.ref):
            return False
    for surface in list(label) + roster_words:
        for i in occurrences(text, surface):
            if not inside(i, i + len(surface), spans):
                return False
    for _, _, seg in trap_spans:
        if not seg.text.strip() or seg.text in label:
            return False
        for i in occurrences(text, seg.text):
            if overlaps(i, i + len(seg.text), pii_spans):
                return False
    return bool(trap_spans) and "{" not in text and "}" not in text


def roster_words(cls):
    """Every name of the class roster, as written in rosters.json."""
    words = []
    for p in cls.students + cls.teachers:
        words += [p.first, p.last] + p.aliases
    return words


def copy_record(cls, author, text, spans):
    mentions, traps, seen = [], [], set()
    for _, _, seg in spans:
        if seg.kind == "pii" and (seg.text, seg.type, seg.ref) not in seen:
            seen.add((seg.text, seg.type, seg.ref))
            mentions.append({"surface": seg.text, "type": seg.type, "ref": seg.ref})
        elif seg.kind == "trap" and seg.text not in traps:
            traps.append(seg.text)
    return {"class_id": cls.cid, "student_id": author.pid, "text": text,
            "pii": mentions, "traps": traps}


# --------------------------------------------------------------------------
# Writing context: how one copy names people, places and numbers

STUDENT_STYLES = {
    "formal": [("full", 30), ("rev", 8), ("NOM_first", 16), ("first", 18), ("first_NOM", 6),
               ("initial", 5), ("LAST", 4), ("last", 4), ("typo", 4), ("noaccent", 3), ("half", 3)],
    "neutral": [("first", 34), ("full", 14), ("rev", 4), ("last", 6), ("NOM_first", 4),
                ("typo", 7), ("noaccent", 8), ("alias", 14), ("half", 12), ("lower", 5),
                ("initial", 3), ("split", 1)],
    "familiar": [("first", 24), ("lower", 22), ("alias", 22), ("noaccent", 12), ("typo", 8),
                 ("last", 6), ("half", 10), ("LAST", 2), ("lowerfull", 3)],
}
STAFF_STYLES = {
    "formal": [("title", 55), ("title_full", 15), ("title_upper", 10), ("full", 6), ("typo", 3)],
    "neutral": [("title", 62), ("title_upper", 4), ("bare", 5), ("typo", 6), ("full", 4),
                ("title_lower", 6)],
    "familiar": [("title", 38), ("bare", 20), ("title_lower", 25), ("typo", 10), ("lowerbare", 5)],
}
TITLES = {"F": [("Mme ", 60), ("Madame ", 30), ("Mme. ", 4)],
          "M": [("M. ", 55), ("Monsieur ", 30), ("Mr ", 10), ("Mr. ", 5)]}
GENERIC_HALVES = ("Jean", "Marie", "Anne")


def typo(rng, word):
    """Drop or swap one inner letter of a long name."""
    spots = [i for i in range(1, len(word) - 1) if word[i].isalpha() and word[i + 1].isalpha()]
    for _ in range(10):
        i = rng.choice(spots)
        if rng.random() < 0.5:
            out = word[:i] + word[i + 1:]
        else:
            out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if out != word:
            return out
    return word[:-1]


def weighted(rng, options):
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


class Ctx:
    """Everything one copy needs: its author, class, register and random draws."""

    def __init__(self, rng, lists, cls, author, register):
        self.rng, self.L, self.cls, self.author, self.reg = rng, lists, cls, author, register
        self.mates = rng.sample([s for s in cls.students if s is not author], len(cls.students) - 1)
        # often put forward a classmate named like an ordinary word (Rose, Petit...)
        homonyms = [s for s in self.mates if s.first.lower() in lists.common_words
                    or s.last.lower() in lists.common_words]
        if homonyms and rng.random() < 0.45:
            pick = rng.choice(homonyms)
            self.mates.remove(pick)
            self.mates.insert(0, pick)
        self.mentioned = cls.school.patron.split()   # names in play, for trap collisions
        self.used_lines = []

    # ---- small draws
    def any(self, *options):
        """Pick one option; callables are called."""
        o = self.rng.choice(options)
        return o() if callable(o) else o

    def chance(self, p):
        return self.rng.random() < p

    def f(self, template, **slots):
        slots.setdefault("e", "e" if self.author.gender == "F" else "")
        return fill(template, **slots)

    @property
    def me(self):
        return self.author

    @property
    def e(self):
        return "e" if self.author.gender == "F" else ""

    @property
    def fam(self):
        return self.author.family

    @property
    def age(self):
        return str(2024 - self.author.dob[0])

    def mate(self, i):
        return self.mates[i]

    def teacher(self, i=None, subject=None):
        ts = self.cls.teachers
        if subject:
            for t in ts:
                if t.subject == subject:
                    return t
        return ts[i % len(ts)] if i is not None else self.rng.choice(ts)

    # ---- roster people
    def can_lower(self, name):
        return name.lower() not in self.L.common_words

    def style_ok(self, st, style):
        F, Ls = st.first, st.last
        if style == "alias":
            return bool(st.aliases)
        if style == "half":
            return "-" in F
        if style == "initial":
            return not F.startswith("M")
        if style == "typo":
            return len(F) >= 6 or len(Ls) >= 7
        if style == "noaccent":
            return strip_accents(F) != F
        if style in ("lower", "lowerfull"):
            return self.can_lower(F) and self.can_lower(Ls) and F.lower() != F
        return True

    def half(self, first):
        parts = first.split("-")
        good = [p for p in parts if p not in GENERIC_HALVES] or parts
        return self.rng.choice(good)

    def stu(self, st, style=None):
        """A mention of a pupil of the roster, as a list of segments."""
        if style is None:
            valid = [(s, w) for s, w in STUDENT_STYLES[self.reg] if self.style_ok(st, s)]
            style = weighted(self.rng, valid)
        elif not self.style_ok(st, style):
            style = "first"
        F, Ls, ref = st.first, st.last, st.pid
        P = lambda s: pii(s, "STUDENT", ref)
        self.mentioned += [F, Ls]
        if style == "full":
            return [P(F), txt(" "), P(Ls)]
        if style == "split":
            return [P(F), txt("\n"), P(Ls)]
        if style == "rev":
            return [P(Ls), txt(" "), P(F)]
        if style == "NOM_first":
            return [P(upper_name(Ls)), txt(" "), P(F)]
        if style == "first_NOM":
            return [P(F), txt(" "), P(upper_name(Ls))]
        if style == "last":
            return [P(Ls)]
        if style == "LAST":
            return [P(upper_name(Ls))]
        if style == "initial":
            return [P("%s. %s" % (F[0], Ls))]
        if style == "typo":
            return [P(typo(self.rng, F))] if len(F) >= 6 else [P(F), txt(" "), P(typo(self.rng, Ls))]
        if style == "noaccent":
            return [P(strip_accents(F))]
        if style == "half":
            return [P(self.half(F))]
        if style == "alias":
            return [P(self.rng.choice(st.aliases))]
        if style == "lower":
            return [P(F.lower())]
        if style == "lowerfull":
            return [P(F.lower()), txt(" "), P(Ls.lower())]
        return [P(F)]

    def first(self, st):
        return self.stu(st, "alias" if st.aliases and self.chance(0.25) else "first")

    def title(self, person, lower=False):
        t = weighted(self.rng, TITLES[person.gender])
        return t.lower() if lower else t

    def prof(self, t, style=None):
        """A mention of a teacher of the roster."""
        style = style or weighted(self.rng, STAFF_STYLES[self.reg])
        P = lambda s: pii(s, "STAFF", t.pid)
        self.mentioned += [t.first, t.last]
        if style == "title_full":
            return [txt(self.title(t)), P(t.first), txt(" "), P(t.last)]
        if style == "title_upper":
            return [txt(self.title(t)), P(upper_name(t.last))]
        if style == "full":
            return [P(t.first), txt(" "), P(t.last)]
        if style == "bare":
            return [P(t.last)]
        if style == "typo" and len(t.last) >= 6:
            return [txt(self.title(t)), P(typo(self.rng, t.last))]
        if style == "title_lower" and self.can_lower(t.last):
            return [txt(self.title(t, lower=True)), P(t.last.lower())]
        if style == "lowerbare" and self.can_lower(t.last):
            return [P(t.last.lower())]
        return [txt(self.title(t)), P(t.last)]

    # ---- people outside the roster
    def kin(self, p, style="first"):
        """A relative or acquaintance; a surname shared with its pupil is the pupil's."""
        owner = p.owner
        self.mentioned += [p.first, p.last]

        def last(s):
            if owner is not None and p.last == owner.last:
                return pii(s, "STUDENT", owner.pid)
            return pii(s, "PERSON_OTHER")
        first = pii(p.first, "PERSON_OTHER")
        if style == "full":
            return [first, txt(" "), last(p.last)]
        if style == "rev_upper":
            return [last(upper_name(p.last)), txt(" "), first]
        if style == "title":
            return [txt(self.title(p)), last(p.last)]
        if style == "title_full":
            return [txt(self.title(p)), first, txt(" "), last(p.last)]
        if style == "last":
            return [last(p.last)]
        if style == "lower" and self.can_lower(p.first) and p.first.lower() != p.first:
            return [pii(p.first.lower(), "PERSON_OTHER")]
        return [first]

    def sibling(self):
        sibs = self.fam["fratrie"]
        return self.rng.choice(sibs) if sibs else None

    def sibling_word(self, sib):
        older = sib.dob < self.author.dob
        if sib.gender == "F":
            return "grande sœur" if older else "petite sœur"
        return "grand frère" if older else "petit frère"

    def grandma(self, p=None):
        """'Mamie Jeannine', 'ma grand-mère Fatima'..."""
        p = p or self.fam["grand-mère"]
        cue = self.any("Mamie ", "Mamy ", "Mémé ", "ma grand-mère ", "Grand-mère ")
        if p.gender == "M":
            cue = self.any("Papi ", "Papy ", "Pépé ", "mon grand-père ", "Grand-père ")
        return [txt(cue)] + self.kin(p)

    # ---- places
    def place_name(self, place):
        return place.name if isinstance(place, Commune) else place

    def place_form(self, name):
        if self.reg == "familiar" and self.chance(0.4):
            return strip_accents(name).lower() if self.chance(0.5) else name.lower()
        return name

    def pl(self, place):
        return [pii(self.place_form(self.place_name(place)), "PLACE")]

    def at(self, place):
        """'à Lyon', 'au Havre', 'aux Sables-d'Olonne'."""
        name = self.place_name(place)
        for article, prep in (("Le ", "au "), ("Les ", "aux ")):
            if name.startswith(article):
                return [txt(prep), pii(self.place_form(name[len(article):]), "PLACE")]
        return [txt("à ")] + [pii(self.place_form(name), "PLACE")]

    def of(self, place):
        """'de Lyon', "d'Orléans", 'du Havre'."""
        name = self.place_name(place)
        for article, prep in (("Le ", "du "), ("Les ", "des ")):
            if name.startswith(article):
                return [txt(prep), pii(self.place_form(name[len(article):]), "PLACE")]
        return de(pii(self.place_form(name), "PLACE"))

    # ---- the school
    def school_name(self, style=None):
        s = self.cls.school
        kind = s.kind
        short_kind = {"Collège": "collège", "Lycée": "lycée", "Lycée professionnel": "lycée pro"}[kind]
        words = s.patron.split()
        style = style or self.any("full", "lower", "lower", "patron", "patron", "nohyphen", "upper", "short", "abbr")
        if style == "full":
            return kind + " " + s.hyphenated
        if style == "patron":
            return s.hyphenated
        if style == "nohyphen":
            return short_kind + " " + s.patron
        if style == "upper":
            return strip_accents(kind + " " + s.patron).upper() if self.chance(0.5) else (kind + " " + s.hyphenated).upper()
        if style == "short" and len(words) == 2 and words[0] not in ("de", "du"):
            return short_kind + " " + words[1]
        if style == "abbr":
            return {"Collège": "clg ", "Lycée": "lycée ", "Lycée professionnel": "LP "}[kind] + s.hyphenated
        return kind.lower() + " " + s.hyphenated

    def school(self, style=None):
        return [pii(self.school_name(style), "SCHOOL")]

    def school_at(self, style=None):
        name = self.school_name(style)
        if name.split()[0].lower() in ("collège", "lycée", "clg", "lp", "college", "lycee"):
            return [txt("au "), pii(name, "SCHOOL")]
        return [txt("à ")] + [pii(name, "SCHOOL")]

    # ---- numbers, addresses, dates
    def dob(self, date, fmt=None):
        fmt = fmt or weighted(self.rng, DOB_FORMATS)
        return [pii(format_date(date, fmt), "DATE_OF_BIRTH")]

    def phone(self, digits, layout=None):
        return [pii(format_phone(digits, layout or weighted(self.rng, PHONE_LAYOUTS)), "PHONE")]

    def email(self, address):
        return [pii(address, "EMAIL")]

    def nir(self, nir, layout=None):
        return [pii(format_nir(nir, layout or self.rng.choice(NIR_LAYOUTS)), "NIR")]

    def ine(self, ine):
        return [pii(ine, "INE")]

    def address(self, person=None, with_city=None):
        person = person or self.author
        number, street = person.address
        base = "%s %s" % (number, street)
        if street.split()[0] in ("lieu-dit", "hameau", "résidence", "lotissement", "cité") and self.chance(0.5):
            base = street if self.chance(0.5) else "Bât. %s, %s" % (self.any("A", "B", "C"), street)
        elif self.chance(0.15):
            base = "%s, %s" % (number, street)
        if with_city is None:
            with_city = self.chance(0.5)
        if with_city:
            city = person.home
            cname = city.name.upper() if self.chance(0.2) else city.name
            base += self.any(", ", " ", " – ") + city.postcode + " " + cname
        return [pii(base, "ADDRESS")]

    def handle_url(self, person=None):
        person = person or self.author
        h = person.handle
        return self.any(
            lambda: [pii("@" + h, "HANDLE")],
            lambda: [pii("instagram.com/" + h, "HANDLE")],
            lambda: [pii("https://www.instagram.com/%s/" % h, "HANDLE")],
            lambda: [pii("tiktok.com/@" + h, "HANDLE")],
            lambda: [pii("https://www.tiktok.com/@" + h, "HANDLE")],
            lambda: [pii("youtube.com/@" + h.replace(".", ""), "HANDLE")],
            lambda: [pii("twitch.tv/" + h.replace(".", "_"), "HANDLE")],
        )

    def handle_sentence(self, person=None):
        person = person or self.author
        h = person.handle
        site = "https://%s-%s.fr" % (slug(person.first), slug(person.last))
        return self.any(
            lambda: self.f("Mon compte Insta, c'est {h}.", h=pii("@" + h, "HANDLE")),
            lambda: self.f("Ajoute-moi sur Snap : {h} !", h=pii(h, "HANDLE")),
            lambda: self.f("Je poste mes dessins sur {h}.", h=pii("instagram.com/" + h, "HANDLE")),
            lambda: self.f("Abonnez-vous à ma chaîne : {h} !", h=pii("youtube.com/@" + h.replace(".", ""), "HANDLE")),
            lambda: self.f("J'ai même créé mon site, {h}, pour montrer mes photos.", h=pii(site, "HANDLE")),
            lambda: self.f("Suivez-moi sur TikTok, {h}.", h=pii("@" + h, "HANDLE")),
            lambda: self.f("Je stream parfois sur {h} le samedi.", h=pii("twitch.tv/" + h.replace(".", "_"), "HANDLE")),
        )

    # ---- traps
    def trap_line(self, pool=None):
        """A sentence with trap phrases, preferring ones that collide with names here."""
        pool = pool or self.L.word_traps
        fresh = [t for t in pool if t not in self.used_lines] or pool
        hits = [t for t in fresh if any(k in self.mentioned for k in t.keys)]
        near = [t for t in fresh if any(k in self.cls.names for k in t.keys)]
        if hits and self.chance(0.75):
            line = self.rng.choice(hits)
        elif near and self.chance(0.4):
            line = self.rng.choice(near)
        else:
            line = self.rng.choice(fresh)
        self.used_lines.append(line)
        return bracketed(line.text)

    def game(self):
        return trap(self.rng.choice(self.L.games))

    def show(self):
        return trap(self.rng.choice(self.L.shows))

    def figure(self, fig=None):
        return fig or self.rng.choice(self.L.figures)

    def patron_figure(self):
        for fig in self.L.figures:
            if fig.name == self.cls.school.patron:
                return fig
        return None


# --------------------------------------------------------------------------
# Genres. Each writes one copy into a Doc; pools of optional sentences are
# drawn in order so that texts keep a natural flow.


def some(c, items, lo, hi):
    """Call between lo and hi of the callables in items, keeping their order."""
    k = min(len(items), c.rng.randint(lo, hi))
    for i in sorted(c.rng.sample(range(len(items)), k)):
        items[i]()


def g_presentation(c):
    d, me = Doc(), c.me
    d.p(c.any(
        lambda: c.f("Je m'appelle {me}, j'ai {age} ans et je suis en {lvl} {sch}.",
                    me=c.stu(me, "full"), age=c.age, lvl=c.cls.label, sch=c.school_at()),
        lambda: c.f("Bonjour, moi c'est {me} !", me=c.stu(me, c.any("first", "full", "alias"))),
        lambda: c.f("Je me présente : {me}, {age} ans, élève de {lvl}.",
                    me=c.stu(me, c.any("full", "rev", "NOM_first")), age=c.age, lvl=c.cls.label),
        lambda: c.f("Je suis {me} et je viens d'arriver {sch}.", me=c.stu(me, "full"), sch=c.school_at()),
    ))
    sib = c.sibling()

    def birth():
        d.s(c.any(
            lambda: c.f("Je suis né{e} le {dob} {at}.", dob=c.dob(me.dob), at=c.at(me.birthplace)),
            lambda: c.f("Je suis né{e} le {dob}.", dob=c.dob(me.dob)),
            lambda: c.f("Mon anniversaire, c'est le {dob}, et j'adore ce jour-là.", dob=c.dob(me.dob, "noyear")),
            lambda: c.f("Ma date de naissance : {dob}.", dob=c.dob(me.dob, c.any("slash", "dot", "dash"))),
        ))

    def home():
        d.s(c.any(
            lambda: c.f("J'habite {at} avec mes parents.", at=c.at(me.home)),
            lambda: c.f("J'habite au {addr}, pas très loin du collège.", addr=c.address(with_city=False)),
            lambda: c.f("On habite {at}, {addr}.", at=c.at(me.home), addr=c.address(with_city=False)),
            lambda: c.f("On a déménagé {frm} {to} l'été dernier.", frm=c.of(c.fam["grand-mère"].place), to=c.at(me.home))
            if c.fam["grand-mère"].place != me.home else c.f("J'habite {at} depuis toujours.", at=c.at(me.home)),
            lambda: c.f("Je viens {frm} mais j'habite maintenant {to}.", frm=c.of(me.birthplace), to=c.at(me.home))
            if me.birthplace != me.home else c.f("Je suis né{e} {at} et j'y habite toujours.", at=c.at(me.home)),
        ))

    def family():
        if sib is None:
            d.s(c.f("Je suis {u}, mais mon cousin {x} est presque comme un frère.",
                    u="fille unique" if me.gender == "F" else "fils unique", x=c.kin(c.fam["cousin"])))
            return
        d.s(c.any(
            lambda: c.f("J'ai un{n} {w}, {x}, qui m'énerve souvent.", n="e" if sib.gender == "F" else "",
                        w=c.sibling_word(sib), x=c.kin(sib)),
            lambda: c.f("Ma {w} s'appelle {x} et elle est née le {dob}.", w=c.sibling_word(sib), x=c.kin(sib),
                        dob=c.dob(sib.dob)) if sib.gender == "F" else
            c.f("Mon {w} s'appelle {x} et il est né le {dob}.", w=c.sibling_word(sib), x=c.kin(sib), dob=c.dob(sib.dob)),
            lambda: c.f("Avec {x}, on se dispute tout le temps pour la télécommande.", x=c.kin(sib)),
        ))

    def parents():
        m, p = c.fam["mère"], c.fam["père"]
        d.s(c.any(
            lambda: c.f("Ma mère, {m}, est infirmière et mon père, {p}, est chauffeur de bus.",
                        m=c.kin(m), p=c.kin(p)),
            lambda: c.f("Ma mère s'appelle {m} et elle travaille à la mairie.", m=c.kin(m, c.any("first", "full"))),
            lambda: c.f("Le week-end, je vais souvent chez {g} {at}.", g=c.grandma(), at=c.at(c.fam["grand-mère"].place)),
        ))

    def friends():
        a, b = c.mate(0), c.mate(1)
        d.s(c.any(
            lambda: c.f("Dans la classe, je m'entends surtout avec {a} et {b}.", a=c.stu(a), b=c.stu(b)),
            lambda: c.f("{w}, c'est {a}, on se connaît depuis la maternelle.", a=c.stu(a),
                        w="Ma meilleure amie" if a.gender == "F" else "Mon meilleur ami"),
            lambda: c.f("Je suis souvent avec {a} à la récré.", a=c.stu(a)),
        ))

    def teacher():
        t = c.teacher(0)
        d.s(c.any(
            lambda: c.f("Ma matière préférée, c'est {s}, surtout avec {t}.", s=SUBJECT_WITH_ARTICLE[t.subject], t=c.prof(t)),
            lambda: c.f("Notre professeur{x} principal{x}, {t}, a l'air sympa.", x="e" if t.gender == "F" else "", t=c.prof(t)),
        ))

    def hobby():
        coach = c.fam["entraîneur"]
        d.s(c.any(
            lambda: c.f("Je fais du handball au club {of} depuis trois ans.", of=c.of(me.home)),
            lambda: c.f("{w}, {k}, dit que je progresse vite.", w="Mon entraîneur" if coach.gender == "M" else "Mon entraîneuse",
                        k=c.kin(coach)),
            lambda: c.f("Le mercredi, je vais au judo avec {k}, un copain de mon quartier.",
                        k=c.kin(c.fam["ami"])) if c.fam["ami"].gender == "M" else
            c.f("Le mercredi, je vais à la danse avec {k}, une copine de mon quartier.", k=c.kin(c.fam["ami"])),
        ))

    some(c, [birth, home, family, parents, friends, teacher, hobby,
             lambda: d.s(c.trap_line()), lambda: d.s(c.handle_sentence())], 3, 7)
    d.s(c.trap_line())
    d.p(c.any("Voilà, c'est moi !", "J'espère passer une bonne année.", "Voilà, vous savez tout sur moi.",
              lambda: c.f("J'espère passer une bonne année {sch}.", sch=c.school_at())))
    return d


def g_letter(c):
    d, me = Doc(), c.me
    gm = c.fam["grand-mère"]
    target = c.any("grand-mère", "cousine", "ami")
    if target == "grand-mère":
        d.l(c.f("{city}, le {date}", city=c.pl(me.home), date=trap(c.any("12 octobre 2024", "3 novembre 2024", "15 janvier 2025", "2 mars 2025"))))
        d.p(c.f("{cue} {x},", cue=c.any("Chère Mamie", "Chère Mamy", "Ma chère grand-mère", "Chère Mémé"), x=c.kin(gm)))
    elif target == "cousine":
        d.p(c.f("Chère {x},", x=c.kin(c.fam["cousine"])))
    else:
        friend = c.fam["ami"]
        d.p(c.f("{cue} {x},", cue="Chère" if friend.gender == "F" else "Cher", x=c.kin(friend)))
    d.p(c.any("Je t'écris pour te donner des nouvelles.", "Comment vas-tu ?",
              "Ça fait longtemps que je ne t'ai pas écrit, pardon !"))
    a, b, t = c.mate(0), c.mate(1), c.teacher()

    def school():
        d.s(c.f("{sch}, tout se passe bien, même si {t} nous donne beaucoup de devoirs.",
                sch=c.any(lambda: c.f("Au {s}", s=c.school("lower")), lambda: c.f("À {s}", s=c.school("patron"))), t=c.prof(t)))

    def mates():
        d.s(c.any(
            lambda: c.f("Je suis assis{e} à côté de {a} en maths, et on rigole beaucoup.", a=c.stu(a)),
            lambda: c.f("{a} et {b} sont venus dormir à la maison samedi.", a=c.stu(a), b=c.stu(b)),
            lambda: c.f("Tu te souviens de {a} ? Elle est dans ma classe cette année !", a=c.stu(a)) if a.gender == "F" else
            c.f("Tu te souviens de {a} ? Il est dans ma classe cette année !", a=c.stu(a)),
        ))

    def family():
        sib = c.sibling()
        if sib:
            d.s(c.f("{x} a perdu sa première dent et il en est très fier.", x=c.kin(sib)) if sib.gender == "M" else
                c.f("{x} commence le violon et c'est un peu dur pour nos oreilles.", x=c.kin(sib)))
        else:
            d.s(c.f("Maman te fait plein de bisous, et {m} aussi.", m=c.kin(c.fam["tante"], c.any("first", "full"))))

    def visit():
        d.s(c.any(
            lambda: c.f("J'ai hâte de venir te voir {at} pendant les vacances.", at=c.at(gm.place)),
            lambda: c.f("Est-ce que {v} a toujours son grand chien ?", v=c.kin(c.fam["voisin"], "title")),
            lambda: c.f("Dis bonjour à {v} de ma part.", v=c.kin(c.fam["voisin"], c.any("title", "first"))),
        ))

    def contact():
        d.s(c.any(
            lambda: c.f("Tu peux m'appeler au {p} quand tu veux.", p=c.phone(me.mobile)),
            lambda: c.f("Tu peux aussi m'écrire sur {m}, je regarde tous les jours.", m=c.email(me.email)),
            lambda: c.f("Mon nouveau numéro : {p}.", p=c.phone(me.mobile)),
        ))

    some(c, [school, mates, family, lambda: d.s(c.trap_line()), visit, contact], 3, 6)
    d.p(c.any(
        lambda: c.f("Je t'embrasse fort,{sep}{me}", sep="\n", me=c.stu(me, "first")),
        lambda: c.f("Gros bisous,{sep}{me}", sep="\n", me=c.stu(me, c.any("first", "alias"))),
        lambda: c.f("À bientôt,{sep}{me}", sep="\n", me=c.stu(me, "full")),
    ))
    return d


def g_holidays(c):
    d, me = Doc(), c.me
    gm, cousin, cousine = c.fam["grand-mère"], c.fam["cousin"], c.fam["cousine"]
    where = c.any("grand-mère", "tante", "camping")
    if where == "grand-mère":
        d.p(c.f("Cet été, je suis parti{e} trois semaines chez {g} {at}.", g=c.grandma(), at=c.at(gm.place)))
    elif where == "tante":
        tante = c.fam["tante"]
        d.p(c.f("Pendant les vacances, je suis allé{e} chez ma tante {t} {at}.", t=c.kin(tante), at=c.at(tante.place)))
    else:
        d.p(c.f("Cet été, on est partis en camping avec {x}.", x=c.any(
            "la tente de mon oncle", "une caravane prêtée par des amis", "nos vélos accrochés à la voiture")))
    friend = c.fam["ami"]

    def road():
        d.s(c.f("On a pris la route {frm} à cinq heures du matin.", frm=c.of(me.home)))

    def cousins():
        d.s(c.any(
            lambda: c.f("Là-bas, j'ai retrouvé mes cousins {a} et {b}.", a=c.kin(cousin), b=c.kin(cousine)),
            lambda: c.f("Mon cousin {a} fêtait ses {n} ans : il est né le {dob}.", a=c.kin(cousin),
                        n=str(2024 - cousin.dob[0]), dob=c.dob(cousin.dob)),
            lambda: c.f("Avec {a}, on a construit une cabane dans le bois.", a=c.kin(cousine)),
        ))

    def met():
        d.s(c.any(
            lambda: c.f("À la plage, j'ai rencontré {k}, qui habite {at}.", k=c.kin(friend, c.any("first", "full")), at=c.at(friend.place)),
            lambda: c.f("Le soir, on jouait aux cartes avec {k} et ses parents.", k=c.kin(friend)),
        ))

    def exchange():
        d.s(c.any(
            lambda: c.f("On s'est échangé nos numéros, le mien c'est le {p}.", p=c.phone(me.mobile)),
            lambda: c.f("Avant de partir, je lui ai donné mon snap : {h}.", h=pii(me.handle, "HANDLE")),
            lambda: c.f("On se parle encore sur Insta, son compte c'est {h}.",
                        h=pii("@" + make_handle(c.rng, friend.first, friend.last), "HANDLE")),
        ))

    def classmate():
        a = c.mate(0)
        d.s(c.any(
            lambda: c.f("Par hasard, j'ai croisé {a} au marché, elle était en vacances à côté !", a=c.stu(a)) if a.gender == "F" else
            c.f("Par hasard, j'ai croisé {a} au marché, il était en vacances à côté !", a=c.stu(a)),
            lambda: c.f("J'ai envoyé une carte postale à {a}.", a=c.stu(a)),
        ))

    some(c, [road, cousins, lambda: d.s(c.trap_line()), met, exchange, classmate,
             lambda: d.s(c.trap_line())], 3, 6)
    d.p(c.any("C'étaient les meilleures vacances de ma vie.", "J'ai hâte d'y retourner l'année prochaine.",
              "Le retour à la maison a été difficile.",
              lambda: c.f("Le plus dur, c'était de rentrer {at}.", at=c.at(me.home))))
    return d


SUBJECTS_STORY = ["Racontez une journée inoubliable au collège.", "Racontez un souvenir d'enfance.",
                  "Racontez une dispute et sa réconciliation.", "Imaginez la suite de l'histoire.",
                  "Racontez un moment où vous avez eu très peur."]


def g_story(c):
    d, me = Doc(), c.me
    a, b, k, t = c.mate(0), c.mate(1), c.mate(2), c.teacher()
    if c.chance(0.3):
        d.l(c.f("{me} – {dob} – {lvl}", me=c.stu(me, c.any("NOM_first", "full")), dob=c.dob(me.dob, c.any("slash", "dot")),
                lvl=c.cls.label))
    elif c.chance(0.5):
        d.l(c.f("{me} – {lvl}", me=c.stu(me, c.any("NOM_first", "full")), lvl=c.cls.label))
    d.l("Sujet : " + c.rng.choice(SUBJECTS_STORY))
    d.p(c.any(
        lambda: c.f("Ce jour-là, {t} est entré{x} en classe avec un grand sourire.", t=c.prof(t), x="e" if t.gender == "F" else ""),
        lambda: c.f("C'était un lundi comme les autres {sch}.", sch=c.school_at()),
        lambda: c.f("Tout a commencé quand {a} a oublié son sac dans le bus.", a=c.stu(a)),
    ))

    def s1():
        d.s(c.any(
            lambda: c.f("{a} a levé la main et a posé une question bizarre.", a=c.stu(a)),
            lambda: c.f("J'étais assis{e} à côté de {a}, comme d'habitude.", a=c.stu(a)),
        ))

    def s2():
        d.p(c.any(
            lambda: c.f("— {b}, tu viens avec nous ? a crié {a}.", b=c.first(b), a=c.first(a)),
            lambda: c.f("« {b} ! » a appelé quelqu'un au fond du couloir.", b=c.stu(b, c.any("first", "alias", "last"))),
            lambda: c.f("— Arrête, {b} ! ai-je dit en riant.", b=c.first(b)),
        ))

    def s3():
        d.s(c.any(
            lambda: c.f("Tout le monde a éclaté de rire, même {k}.", k=c.stu(k)),
            lambda: c.f("À la récré, {k} m'a raconté un secret incroyable.", k=c.stu(k)),
            lambda: c.f("Le surveillant, {sv}, nous a regardés d'un air sévère.", sv=c.kin(c.fam["voisin"], c.any("title", "first"))),
        ))

    def s4():
        d.s(c.any(
            lambda: c.f("Le soir, j'ai tout raconté à ma mère et à {sib}.", sib=c.kin(c.sibling()) if c.sibling() else c.kin(c.fam["cousine"])),
            lambda: c.f("{t} nous a finalement laissés partir plus tôt.", t=c.prof(t)),
        ))

    some(c, [s1, s2, lambda: d.s(c.trap_line()), s3, s4, lambda: d.s(c.trap_line())], 3, 6)
    d.p(c.any("Je n'oublierai jamais cette journée.", "Depuis, on en rit encore.",
              lambda: c.f("Depuis, {a} et moi sommes inséparables.", a=c.stu(a))))
    return d


def essay_body(c, d, fig, n):
    """Sentences about a public figure: all its names are traps."""
    other = c.rng.choice([f for f in c.L.figures if f is not fig])
    name = [trap(fig.name)]
    short = [trap(fig.short)] if fig.short else name
    options = [
        lambda: d.s(c.f("{F} {fact}.", F=name, fact=bracketed(fig.fact))),
        lambda: d.s(c.f("Selon moi, {F} reste un exemple aujourd'hui.", F=short)),
        lambda: d.s(c.f("On peut rapprocher {F} de {G}, qui {fact}.", F=short, G=trap(other.name), fact=bracketed(other.fact))),
        lambda: d.s(c.f("Ce qui m'a le plus marqué{e}, c'est le courage de {F}.", F=name)),
        lambda: d.s(c.trap_line(c.L.history_traps)),
        lambda: d.s(c.f("{F} a marqué son époque.", F=short)),
    ]
    some(c, options, n, n + 1)


ESSAY_TOPICS = ["La littérature peut-elle changer le monde ?", "Faut-il s'engager ?",
                "Qu'est-ce qu'un héros ?", "L'art doit-il dénoncer ?",
                "Peut-on apprendre de l'histoire ?", "Commentaire de texte"]


def g_essay(c):
    d, me = Doc(), c.me
    t = c.teacher(subject=c.any("français", "histoire-géographie", "philosophie")) or c.teacher(0)
    d.l(c.any(
        lambda: c.f("{me} – {lvl}", me=c.stu(me, c.any("NOM_first", "rev", "full", "LAST")), lvl=c.cls.label),
        lambda: c.f("Devoir de {me}, {lvl}", me=c.stu(me, "full"), lvl=c.cls.label),
        lambda: c.f("Nom : {me}", me=c.stu(me, c.any("NOM_first", "full"))),
    ))
    d.l("Sujet : " + c.rng.choice(ESSAY_TOPICS))
    fig = c.patron_figure() if c.chance(0.4) else None
    fig = fig or c.figure()
    d.p(c.f("Pour répondre, je m'appuierai sur l'exemple de {F}.", F=trap(fig.name)))
    if fig.name == c.cls.school.patron:
        d.s(c.f("Notre établissement porte d'ailleurs son nom : le {s}.", s=c.school(c.any("lower", "full"))))
    essay_body(c, d, fig, c.rng.randint(2, 4))
    if c.chance(0.5):
        d.s(c.f("Comme nous l'a expliqué {t} en cours, il faut replacer chaque œuvre dans son contexte.", t=c.prof(t)))
    work = c.rng.choice(c.L.works)
    author = "" if work[1] == "-" else work[1]
    d.p(c.f("Enfin, {W}{by} montre aussi que les mots peuvent agir.", W=trap(work[0]),
            by=[txt(", ")] + de(trap(author)) + [txt(",")] if author else ""))
    if c.chance(0.3):
        d.s(c.f("J'ai choisi ce livre après en avoir parlé avec {a}.", a=c.stu(c.mate(0))))
    return d


def g_expose(c):
    d, me = Doc(), c.me
    fig = c.patron_figure() if c.chance(0.6) else None
    fig = fig or c.figure()
    a = c.mate(0)
    d.l(c.f("Exposé : {F}", F=trap(fig.name)))
    d.l(c.f("Par {me} et {a}", me=c.stu(me, c.any("full", "first")), a=c.stu(a, c.any("full", "first", "rev"))))
    d.p(c.f("Nous avons choisi de parler de {F}.", F=trap(fig.name)))
    if fig.name == c.cls.school.patron:
        d.s(c.any(
            lambda: c.f("Notre {k} porte son nom, le {s}, mais on ne connaissait presque rien de son histoire.",
                        k=c.cls.school.kind.split()[0].lower(), s=c.school("lower")),
            lambda: c.f("On passe tous les jours devant son portrait {sch}.", sch=c.school_at()),
        ))
    essay_body(c, d, fig, c.rng.randint(2, 3))
    doc_t = c.teacher()
    d.p(c.any(
        lambda: c.f("Nous avons trouvé nos informations au CDI, avec l'aide de {t}.", t=c.prof(doc_t)),
        lambda: c.f("Merci à {t} de nous avoir prêté des livres.", t=c.prof(doc_t)),
        lambda: c.f("{a} a fait les recherches et moi les diapos.", a=c.stu(a, "first")),
    ))
    return d


def g_email(c):
    d, me = Doc(), c.me
    t = c.teacher()
    if c.chance(0.4):
        d.l(c.f("De : {m}", m=c.email(me.email)))
        d.l(c.f("À : {m}", m=c.email(t.email)))
    d.l("Objet : " + c.any("devoir maison", "absence de lundi", "question sur l'exposé", "inscription Pix", "mon bulletin"))
    d.p(c.f("{hello} {t},", hello=c.any("Bonjour", "Bonsoir"), t=c.prof(t, c.any("title", "title", "title_upper"))))
    d.p(c.any("J'espère que vous allez bien.", "Je me permets de vous écrire.", "Désolé" + c.e + " de vous déranger."))
    m, p = c.fam["mère"], c.fam["père"]

    def who():
        d.p(c.f("Je suis {me}, élève de {lvl}.", me=c.stu(me, c.any("full", "rev", "NOM_first", "first_NOM")), lvl=c.cls.label))

    def why():
        d.s(c.any(
            lambda: c.f("Je n'ai pas pu rendre mon devoir car j'étais malade, j'avais rendez-vous chez le docteur {doc}.",
                        doc=c.kin(c.fam["docteur"], "last")),
            lambda: c.f("Je vous écris car je ne comprends pas l'exercice 4, et {a} non plus.", a=c.stu(c.mate(0))),
            lambda: c.f("Je voulais savoir si je pouvais faire l'exposé avec {a} au lieu de {b}.", a=c.stu(c.mate(0)), b=c.stu(c.mate(1))),
            lambda: c.f("Pour l'inscription sur Pix, on me demande mon INE : c'est bien {ine} ?", ine=c.ine(me.ine)),
            lambda: c.f("Pour le dossier de bourse, le numéro de sécurité sociale de ma mère est le {nir}.", nir=c.nir(m.nir)),
        ))

    def parent():
        d.s(c.any(
            lambda: c.f("Ma mère, {m}, peut vous appeler au {ph} si besoin.", m=c.kin(m, c.any("title_full", "full", "title")), ph=c.phone(m.mobile)),
            lambda: c.f("Mon père ({p}) vous a écrit sur Pronote hier soir.", p=c.kin(p, c.any("full", "rev_upper", "title"))),
            lambda: c.f("Vous pouvez joindre ma mère au {ph} ou sur {em}.", ph=c.phone(m.mobile), em=c.email(m.email)),
        ))

    def reply():
        d.s(c.any(
            lambda: c.f("Vous pouvez me répondre sur {em}.", em=c.email(me.email)),
            lambda: c.f("Mon numéro est le {ph}.", ph=c.phone(me.mobile)),
        ))

    some(c, [who, why, parent, reply], 2, 4)
    d.s(c.trap_line(c.L.mail_traps))
    d.p(c.f("{bye}{sep}{me}", bye=c.any("Cordialement,", "Merci d'avance,", "Bonne soirée,", "Bien à vous,"),
            sep="\n", me=c.stu(me, c.any("full", "full", "rev", "first"))))
    return d


def g_form(c):
    d, me = Doc(), c.me
    m, p = c.fam["mère"], c.fam["père"]
    d.l(c.any("FICHE DE RENSEIGNEMENTS", "Fiche d'inscription – Association sportive",
              "Fiche élève – rentrée 2024", "Inscription au voyage en Espagne"))
    if c.chance(0.5):
        d.l(c.f("Nom : {n}", n=pii(upper_name(me.last), "STUDENT", me.pid)))
        d.l(c.f("Prénom : {n}", n=pii(me.first, "STUDENT", me.pid)))
    else:
        d.l(c.f("Nom et prénom : {n}", n=c.stu(me, c.any("NOM_first", "rev", "full"))))
    one_of = lambda *options: (lambda: c.any(*options))
    fields = [
        one_of(lambda: d.l(c.f("Né{e} le : {dob} à {pl}", dob=c.dob(me.dob), pl=c.pl(me.birthplace))),
               lambda: d.l(c.f("Date de naissance : {dob}", dob=c.dob(me.dob)))),
        lambda: d.l(c.f("Classe : {lvl}   Établissement : {s}", lvl=c.cls.label, s=c.school(c.any("full", "upper")))),
        lambda: d.l(c.f("N° INE : {ine}", ine=c.ine(me.ine))),
        one_of(lambda: d.l(c.f("Adresse : {a}", a=c.address(with_city=True))),
               lambda: d.l(c.f("Adresse : {a}   Ville : {v}", a=c.address(with_city=False), v=c.pl(me.home)))),
        lambda: d.l(c.f("Téléphone de l'élève : {ph}", ph=c.phone(me.mobile))),
        lambda: d.l(c.f("Mail : {em}", em=c.email(me.email))),
        lambda: d.l(c.f("Responsable légal 1 : {m} – {ph}", m=c.kin(m, c.any("full", "rev_upper", "title_full")), ph=c.phone(m.mobile))),
        lambda: d.l(c.f("Responsable légal 2 : {p} – {em}", p=c.kin(p, c.any("full", "rev_upper")), em=c.email(p.email))),
        one_of(lambda: d.l(c.f("N° de sécurité sociale : {nir}", nir=c.nir(me.nir))),
               lambda: d.l(c.f("N° de sécurité sociale du responsable : {nir}", nir=c.nir(c.any(m, p).nir)))),
        lambda: d.l(c.f("Personne à prévenir en cas d'urgence : {g} ({r}) au {ph}", g=c.kin(c.fam["tante"], "full"),
                        r="tante", ph=c.phone(make_mobile(c.rng)))),
        lambda: d.l(c.f("Téléphone domicile : {ph}", ph=c.phone(me.landline))),
    ]
    some(c, fields, 6, 10)
    d.l(c.any("Régime : demi-pensionnaire", "Régime : externe", "Allergies : aucune", "Sport choisi : badminton"))
    d.p(c.f("Motivation : {m}", m=c.trap_line()))
    return d


GREETINGS = ["slt", "coucou", "wesh", "yo", "hello", "cc"]


def g_message(c):
    d, me = Doc(), c.me
    a, b, t = c.mate(0), c.mate(1), c.teacher()
    d.l(c.f("{hi} {a} {q}", hi=c.rng.choice(GREETINGS), a=c.stu(a, c.any("first", "lower", "alias", "noaccent")),
            q=c.any("cv ?", "t'es là ?", "tu fais quoi ?", "!!")))
    lines = [
        lambda: d.l(c.f("t'as fait l'exo de {s} pour {t} ?", s=SUBJECT_SHORT.get(t.subject, t.subject), t=c.prof(t))),
        lambda: d.l(c.f("{t} a dit que le contrôle était reporté à jeudi", t=c.prof(t))),
        lambda: d.l(c.f("dis à {b} de me rendre mon chargeur stp", b=c.stu(b))),
        lambda: d.l(c.f("ce we je suis chez {g} {at} donc je peux pas", g=c.grandma(), at=c.at(c.fam["grand-mère"].place))),
        lambda: d.l(c.f("ajoute moi sur snap c'est {h}", h=pii(me.handle, "HANDLE"))),
        lambda: d.l(c.f("mon insta c'est {h}", h=c.handle_url())),
        lambda: d.l(c.f("mon nouveau num : {ph}", ph=c.phone(me.mobile, c.any("compact", "spaced", "dots")))),
        lambda: d.l(c.f("on joue à {g} ce soir ?", g=c.game())),
        lambda: d.l(c.f("t'as vu le dernier épisode de {g} ???", g=c.show())),
        lambda: d.l(c.f("{sib} a cassé ma manette mdrr", sib=c.kin(c.sibling(), c.any("first", "lower")) if c.sibling() else c.kin(c.fam["cousin"]))),
        lambda: d.l(c.any(lambda: c.f("on se rejoint devant {s} à 8h", s=c.school("patron")),
                          lambda: c.f("on se rejoint devant le {s} à 8h", s=c.school(c.any("lower", "abbr", "nohyphen"))))),
        lambda: d.l(c.f("{k} vient aussi, c'est {w} de {b}", k=c.kin(c.fam["ami"], c.any("first", "lower")), b=c.stu(b),
                        w="la cousine" if c.fam["ami"].gender == "F" else "le cousin")),
    ]
    some(c, lines, 2, 4)
    if not any(seg.kind == "trap" for _, block in d.blocks for seg in block):
        d.l(c.any(lambda: c.f(c.any("on joue à {g} ce soir ?", "jsuis trop nul{e} à {g}"), g=c.game()),
                  lambda: c.f("tu regardes {g} ce soir ?", g=c.show())))
    d.l(c.any("bisous", "a+", "bye", "😂😂", "jte laisse", lambda: c.stu(me, c.any("first", "lower", "alias"))))
    return d


def g_lab(c):
    d, me = Doc(), c.me
    scientists = [t for t in c.cls.teachers if t.subject in SCIENCES]
    t = c.rng.choice(scientists) if scientists else c.teacher()
    a = c.mate(0)
    d.l(c.f("Compte rendu de TP n°{n} – {s}", n=str(c.rng.randint(1, 9)),
            s=t.subject if t.subject in SCIENCES else "sciences"))
    d.l(c.f("Binôme : {me} et {a}", me=c.stu(me, c.any("full", "NOM_first", "first")), a=c.stu(a, c.any("full", "NOM_first", "first", "last"))))
    d.l(c.f("Professeur : {t}", t=c.prof(t, c.any("title", "title_upper", "title_full"))))
    d.l(c.f("Date du TP : {date}", date=trap(c.any("14/03/2025", "07/11/2024", "20 janvier 2025", "mardi 3 décembre 2024"))))
    d.p("But : " + c.any("vérifier une loi vue en cours.", "observer des cellules au microscope.",
                         "mesurer la vitesse d'un mobile.", "étudier la dissolution du sel."))
    some(c, [lambda: d.s(c.trap_line(c.L.science_traps)), lambda: d.s(c.trap_line(c.L.science_traps)),
             lambda: d.s(c.f("{a} a noté les mesures pendant que je réglais l'appareil.", a=c.stu(a, "first"))),
             lambda: d.s(c.f("{t} nous a aidés à refaire le montage.", t=c.prof(t))),
             lambda: d.s("Nous avons répété la mesure trois fois pour être sûrs.")], 2, 4)
    d.p("Conclusion : " + c.any("l'hypothèse est vérifiée.", "nos résultats sont proches de la théorie.",
                                "il faudrait refaire l'expérience avec plus de soin."))
    return d


def g_portrait(c):
    d, me = Doc(), c.me
    a = c.mate(0)
    pa = a.family
    il = "elle" if a.gender == "F" else "il"
    Il = il.capitalize()
    d.l(c.any("Portrait d'un camarade", "Le journal du collège : l'interview du mois", "Mon binôme"))
    d.p(c.f("Pour ce portrait, j'ai interviewé {a}.", a=c.stu(a, c.any("full", "rev", "first"))))
    sib = pa["fratrie"][0] if pa["fratrie"] else None
    items = [
        lambda: d.s(c.f("{Il} est arrivé{x} {of} en septembre.", Il=Il, x="e" if a.gender == "F" else "", of=c.of(a.home if a.home != c.cls.school.city else a.birthplace))),
        lambda: d.s(c.f("Son anniversaire ? Le {dob}.", dob=c.dob(a.dob, c.any("noyear", "long", "slash")))),
        lambda: d.s(c.f("{Il} a {n} {w} qui s'appelle {s}.", Il=Il, n="une" if sib.gender == "F" else "un",
                        w="sœur" if sib.gender == "F" else "frère", s=c.kin(sib))) if sib else
        d.s(c.f("{Il} est enfant unique mais {il} adore son cousin {k}.", Il=Il, il=il, k=c.kin(pa["cousin"]))),
        lambda: d.s(c.f("Son rêve : devenir vétérinaire comme sa tante {t}.", t=c.kin(pa["tante"]))),
        lambda: d.s(c.f("Sa prof préférée, c'est {t}.", t=c.prof(c.teacher()))),
        lambda: d.s(c.f("Tout le monde l'appelle {al}.", al=c.stu(a, "alias"))) if a.aliases else
        d.s(c.f("Dans la classe, tout le monde connaît {a}.", a=c.stu(a, "first"))),
        lambda: d.s(c.f("Pour voir ses dessins, allez sur {h}.", h=c.handle_url(a))),
        lambda: d.s(c.f("Le week-end, {il} va chez ses grands-parents {at}.", il=il, at=c.at(pa["grand-mère"].place))),
        lambda: d.s(c.trap_line()),
        lambda: d.s(c.f("{w} dans la classe, c'est {b}.", b=c.stu(c.mate(1)),
                        w="Sa meilleure amie" if c.mate(1).gender == "F" else "Son meilleur ami")),
    ]
    some(c, items, 4, 7)
    if c.chance(0.5):
        d.p(c.f("Propos recueillis par {me}.", me=c.stu(me, c.any("full", "first", "initial"))))
    return d


def g_trip(c):
    d, me = Doc(), c.me
    t1, t2 = c.teacher(0), c.teacher(1)
    sight = c.rng.choice(c.L.sights)
    d.p(c.f("{when}, notre classe est allée visiter {s}.", when=c.any("Mardi dernier", "Le 12 mai", "Au mois de mars", "Jeudi"), s=trap(sight)))
    items = [
        lambda: d.s(c.f("Nous étions accompagnés de {a} et de {b}.", a=c.prof(t1), b=c.prof(t2))),
        lambda: d.s(c.f("Le car est parti à 7 heures de devant le {s}.", s=c.school(c.any("lower", "full")))),
        lambda: d.s(c.f("Dans le car, j'étais assis{e} à côté de {a}.", a=c.stu(c.mate(0)))),
        lambda: d.s(c.f("{a} a failli oublier son sac sur l'aire d'autoroute.", a=c.stu(c.mate(1)))),
        lambda: d.s(c.f("La guide, {g}, nous a tout expliqué avec beaucoup d'humour.", g=c.kin(c.fam["nounou"], c.any("first", "title")))),
        lambda: d.s(c.trap_line(c.L.history_traps)),
        lambda: d.s(c.trap_line()),
        lambda: d.s(c.f("On est rentrés {at} vers 19 heures, épuisés.", at=c.at(c.cls.school.city))),
        lambda: d.s(c.f("{t} nous a demandé d'écrire ce compte rendu pour lundi.", t=c.prof(t1))),
    ]
    some(c, items, 3, 7)
    d.p(c.any("C'était une sortie passionnante.", "J'aimerais y retourner avec ma famille.", "Bref, une super journée."))
    return d


COMPANIES = ["la boulangerie du quartier", "la pharmacie du Centre", "un garage automobile",
             "la mairie", "une agence immobilière", "une école maternelle", "un cabinet vétérinaire",
             "la caserne des pompiers", "un salon de coiffure", "un supermarché", "un cabinet d'architectes",
             "une clinique", "un magasin de sport"]


def g_internship(c):
    d, me = Doc(), c.me
    tut = c.fam["tuteur"]
    ref = c.teacher()
    company = c.rng.choice(COMPANIES)
    city = c.any(me.home, c.cls.school.city)
    d.l(c.f("Rapport de stage{x} – {me} – {lvl}", x=" d'observation" if c.cls.level == "3e" else " (PFMP)",
            me=c.stu(me, c.any("full", "NOM_first", "rev")), lvl=c.cls.label))
    d.p(c.f("J'ai effectué mon stage du 9 au 13 décembre dans {co} {at}.", co=company, at=c.at(city)))
    items = [
        lambda: d.s(c.f("Mon tuteur, {t}, est le responsable de l'équipe.", t=c.kin(tut, c.any("title", "title_full", "full")))
                    if tut.gender == "M" else
                    c.f("Ma tutrice, {t}, est la responsable de l'équipe.", t=c.kin(tut, c.any("title", "title_full", "full")))),
        lambda: d.s(c.f("L'entreprise se trouve au {adr}.", adr=[pii("%d %s, %s %s" % (c.rng.randint(1, 90), c.rng.choice(c.L.streets), city.postcode, city.name), "ADDRESS")])),
        lambda: d.s(c.f("Pour la convention, j'ai donné mon numéro de sécurité sociale : {nir}.", nir=c.nir(me.nir))),
        lambda: d.s(c.f("On peut joindre {t} au {ph} ou par mail : {em}.", t=c.kin(tut, "title"), ph=c.phone(tut.mobile), em=c.email(tut.email))),
        lambda: d.s(c.f("Mon professeur référent, {r}, est venu me voir le jeudi.", r=c.prof(ref)) if ref.gender == "M" else
                    c.f("Ma professeure référente, {r}, est venue me voir le jeudi.", r=c.prof(ref))),
        lambda: d.s(c.f("J'ai trouvé ce stage grâce à ma tante {t}, qui connaît la gérante.", t=c.kin(c.fam["tante"]))),
        lambda: d.s(c.trap_line()),
        lambda: d.s(c.f("{a}, de ma classe, faisait son stage juste à côté.", a=c.stu(c.mate(0)))),
        lambda: d.s(c.f("Mon numéro INE, demandé sur la fiche : {ine}.", ine=c.ine(me.ine))),
        lambda: d.s(c.f("Le {s} nous a donné un carnet de bord à remplir.", s=c.school(c.any("lower", "full"))))
        if c.cls.level == "3e" else d.s(c.f("Le {s} nous a donné un livret à remplir.", s=c.school(c.any("lower", "abbr")))),
    ]
    some(c, items, 4, 8)
    d.s(c.trap_line(c.any(c.L.mail_traps, c.L.word_traps)))
    d.p(c.any("Ce stage m'a conforté dans mon projet.", "Je ne veux finalement pas faire ce métier, mais j'ai beaucoup appris.",
              "Je remercie toute l'équipe pour son accueil."))
    return d


def g_application(c):
    d, me = Doc(), c.me
    tut = c.fam["tuteur"]
    d.l(c.stu(me, c.any("full", "first_NOM")))
    d.l(c.address(with_city=True))
    d.l(c.phone(me.mobile))
    d.l(c.email(me.email))
    d.l(c.f("À l'attention de {t}", t=c.kin(tut, c.any("title", "title_full"))))
    d.l(c.f("{city}, le {date}", city=c.pl(me.home), date=trap(c.any("4 novembre 2024", "18 novembre 2024", "6 janvier 2025"))))
    d.l("Objet : demande de stage")
    d.p("Madame, Monsieur,")
    d.p(c.f("Actuellement élève de {lvl} {sch} {at}, je dois effectuer un stage en entreprise.",
            lvl=c.cls.label, sch=c.school_at(c.any("full", "lower")), at=c.at(c.cls.school.city)))
    some(c, [
        lambda: d.s(c.f("{w}, {t}, m'a conseillé de vous écrire.", t=c.prof(c.teacher(0), "title"),
                        w="Ma professeure principale" if c.teacher(0).gender == "F" else "Mon professeur principal")),
        lambda: d.s("Je suis %s et j'aime le travail en équipe." % ("sérieuse, curieuse" if c.e else "sérieux, curieux")),
        lambda: d.s(c.trap_line(c.L.mail_traps)),
        lambda: d.s(c.f("Vous pouvez joindre ma mère, {m}, au {ph}.", m=c.kin(c.fam["mère"], c.any("title_full", "full")), ph=c.phone(c.fam["mère"].mobile))),
    ], 2, 4)
    if not any(seg.kind == "trap" for _, block in d.blocks for seg in block[1:]):
        d.s(c.trap_line(c.L.mail_traps))
    d.p("Je vous prie d'agréer, Madame, Monsieur, mes salutations distinguées.")
    d.l(c.stu(me, c.any("full", "full", "initial")))
    return d


GENRES = {
    "presentation": (g_presentation, "neutral"), "lettre": (g_letter, "neutral"),
    "vacances": (g_holidays, "neutral"), "redaction": (g_story, "neutral"),
    "dissertation": (g_essay, "formal"), "expose": (g_expose, "formal"),
    "email": (g_email, "formal"), "fiche": (g_form, "formal"), "message": (g_message, "familiar"),
    "tp": (g_lab, "formal"), "portrait": (g_portrait, "neutral"), "sortie": (g_trip, "neutral"),
    "stage": (g_internship, "formal"), "motivation": (g_application, "formal"),
}
GENRE_WEIGHTS = {
    "college": {"presentation": 11, "lettre": 10, "vacances": 10, "redaction": 10, "expose": 7,
                "email": 9, "fiche": 11, "message": 11, "tp": 6, "portrait": 8, "sortie": 6},
    "lycee": {"presentation": 6, "lettre": 4, "vacances": 7, "dissertation": 14, "expose": 4,
              "email": 11, "fiche": 11, "message": 11, "tp": 8, "portrait": 5, "sortie": 4,
              "motivation": 5},
    "pro": {"stage": 16, "motivation": 10, "email": 9, "fiche": 10, "message": 9,
            "presentation": 6, "tp": 4, "lettre": 4, "vacances": 5, "portrait": 3},
}


def genre_weights(level):
    weights = dict(GENRE_WEIGHTS[stage_of(level)])
    if level == "3e":
        weights["stage"] = 16
        weights["motivation"] = 5
    return sorted(weights.items())


# --------------------------------------------------------------------------
# Writing the corpus


def write_copy(rng, lists, cls, author, genre):
    """One copy, redrawn until its labels are unambiguous."""
    func, register = GENRES[genre]
    for _ in range(MAX_TRIES):
        c = Ctx(rng, lists, cls, author, register)
        doc = func(c)
        text, spans = render(doc, random_style(rng), rng)
        if labels_are_sound(text, spans, roster_words(cls)):
            return copy_record(cls, author, text, spans)
    raise RuntimeError("could not write a sound %s copy for %s" % (genre, author.pid))


def write_copies(rng, lists, classes):
    copies = []
    for cls in classes:
        options = genre_weights(cls.level)
        for author in cls.students:
            n = 2 if rng.random() < 0.55 else 1
            genres = []
            while len(genres) < n:
                g = rng.choices([o for o, _ in options], [w for _, w in options])[0]
                if g not in genres:
                    genres.append(g)
            for g in genres:
                copies.append(write_copy(rng, lists, cls, author, g))
    return copies


def roster_record(cls):
    s = cls.school
    students = []
    for st in cls.students:
        rec = {"id": st.pid, "first": st.first, "last": st.last, "ine": st.ine}
        if st.aliases:
            rec["aliases"] = list(st.aliases)
        students.append(rec)
    return {
        "class_id": cls.cid,
        "school": {"name": s.name, "uai": s.uai, "city": s.city.name, "postcode": s.city.postcode},
        "teachers": [{"id": t.pid, "title": t.title, "first": t.first, "last": t.last} for t in cls.teachers],
        "students": students,
    }


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: python3 scripts/make_pii_corpus.py OUTDIR")
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    lists = Lists()
    classes = build_classes(rng, lists)
    copies = write_copies(rng, lists, classes)
    with open(out / "rosters.json", "w", encoding="utf-8", newline="\n") as f:
        json.dump([roster_record(c) for c in classes], f, ensure_ascii=False, indent=2)
        f.write("\n")
    with open(out / "copies.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for rec in copies:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print("wrote %d classes and %d copies to %s" % (len(classes), len(copies), out))


if __name__ == "__main__":
    main(sys.argv)
