// The RE2 patterns and the checks (NIR key, UAI letter, birth-date context) behind them.
// The text is not searched once per pattern: one pass lists where a value can start (digit
// runs, '@' signs) and each pattern is tried anchored there, so RE2 only reads a few bytes.
#include "service/pseudonym/structured_detector.h"

#include <algorithm>
#include <cstring>

#include <re2/re2.h>

#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "service/pseudonym/word_classes.h"

namespace gardefou::pseudonym {
namespace {

// The values alone. RE2 has no lookaround: "not preceded/followed by a digit" and the like
// are checked around the anchored match.
constexpr char kEmail[] = R"((?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,})";
constexpr char kUrl[] = R"((?i)(?:https?://|www\.|(?:instagram|tiktok|twitch|youtube|snapchat|facebook|twitter|x|discord|github|linktr|soundcloud|pinterest)\.(?:com|tv|gg|ee)/)[^\s<>"]+[^\s<>".,;:!?)])";
// An INE typed in groups ("0812 94736 HD", "0912 044 578 H"), taken only after "INE".
constexpr char kSpacedIne[] = R"(\d(?:[ .\-]?\d){8,9}[ .\-]?[A-Z]{1,2})";
constexpr size_t kIneCueWindow = 32;
// A street named without a number: "rue de la Marne", "lieu-dit Kerhallet", "section
// Boisripeaux", "résidence Les Mouettes", starting at a street word of the text.
constexpr char kNamedStreet[] =
    R"((?i:rue|avenue|av\.|impasse|chemin|all[ée]e|boulevard|bd|route|quai|lieu-dit|lieudit|section|hameau|lotissement|r[ée]sidence|ferme)[ \t]+(?:(?:de[ \t]+la|de[ \t]+l['’]|du|des|de|d['’])[ \t]*)?\p{Lu}[\p{L}'’\-]+(?:[ \t]+(?:(?:de|du|des|la|le|les)[ \t]+|d['’])?\p{Lu}[\p{L}'’\-]+){0,3})";
// A handle given without its '@' after the network's name: "insta : lea.dessine", "snap:
// the_real_max". The handle is group 1.
constexpr char kNamedHandle[] =
    R"((?i)(?:insta(?:gram)?|snap(?:chat)?|tiktok|twitch|discord|pseudo|twitter|youtube|yt)\s*(:|=|,|c'est|c’est)?\s*@?([a-z0-9_][a-z0-9_.\-]{1,29}[a-z0-9_]))";
constexpr char kHandle[] = R"(@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}[A-Za-z0-9_])";
// French numbers, mainland and overseas: 0X XX XX XX XX, +33 / 0033, and the overseas
// country codes (+590 Guadeloupe, +594 Guyane, +596 Martinique, +262 Réunion/Mayotte, +269,
// +508, +681, +687, +689) before nine digits.
constexpr char kPhone[] =
    R"((?:(?:\+|00)(?:33|590|594|596|262|269|508|681|687|689)[\s.\-]{0,3}(?:\(0\)[\s.\-]{0,3})?|0)[1-9](?:[\s.\-]?\d{2}){4})";
// Digits may be grouped as people type them: a department of three digits overseas
// ("974 11 233"), "2A" for Corsica, a "/" before the key; the key is checked.
constexpr char kNir[] =
    R"([1-478](?:[ .]?\d){4}[ .]?(?:\d[ .]?\d|2[AaBb])(?:[ .]?\d){6}(?:[ .]?/[ .]?|[ .]?)\d[ .]?\d)";
constexpr char kIne[] = R"(\d{9}[A-Z]{2}|\d{10}[A-HJ-NPR-Z]|\d{4}A\d{5}[A-HJ-NPR-Z])";
constexpr char kUai[] = R"(\d{7}[A-HJ-NPR-Z])";
constexpr char kAddress[] =
    R"(\d{1,4}(?:\s?(?i:bis|ter))?,?\s+(?i:rue|avenue|av\.|boulevard|bd|all[ée]e|impasse|chemin|place|route|quai|cours|square|r[ée]sidence|lotissement|hameau|chauss[ée]e|passage|sentier)(?:[ \t]+[\p{L}'’\-]+){1,6}(?:,?\s*\d{5}(?:[ \t]+[\p{Lu}][\p{L}'’\-]*(?:[ \t\-]+(?:sur|sous|en|le|la|les|de|du|des|[\p{Lu}][\p{L}'’\-]*))*)?(?:\s+(?i:cedex))?(?:\s+\d{1,2}\b)?)?)";
constexpr char kMonths[] =
    R"((?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|janv\.?|f[ée]vr?\.?|avr\.?|juil\.?|sept?\.?|oct\.?|nov\.?|d[ée]c\.?))";

constexpr char kDate[] = R"(\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|(?:1er|\d{1,2})\s+)";

// What ends right before a date of birth; the window is the bytes looked at. Its blanks
// (\s) also match the no-break spaces typed before "?" and ":"; an accent may be a
// combining mark (NFD).
constexpr char kBirthCue[] =
    R"((?i)(?:\bn[ée]\p{Mn}?e?s?\s+(?:le|un)\s*:?|date\s+de\s+naissance\s*:?|ann?iv(?:ersaire)?\s*[,?:!(]*\s*(?:(?:c'|c’|c\s)?\s*est\s+)?(?:le\s+)?|\bn[ée]\p{Mn}?e?s?\s*:|f[êe]\p{Mn}?te\s+ses\s+\d+\s+ans\s+le)\s*$)";
constexpr size_t kBirthCueWindow = 48;
// What may follow a date of birth instead: "le 3 août, c'est mon anniversaire", "le 3 aout
// c'est le jour de mon anniv".
constexpr char kBirthCueAfter[] =
    R"((?i)^(?:\s|[,.;:!()-])*(?:c'|c’|c\s)?\s*(?:est|[ée]tait)?\s*(?:le\s+)?(?:jour\s+de\s+)?(?:mon|son|ton|notre)\s+ann?iv)";

bool IsDigit(char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); }
bool IsWord(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string Digits(absl::string_view s) {
  std::string out;
  for (char c : s) {
    if ((c >= '0' && c <= '9') || c == 'A' || c == 'B' || c == 'a' || c == 'b') out.push_back(c);
  }
  return absl::AsciiStrToUpper(out);
}

int YearOf(absl::string_view date) {
  // The last run of 4 digits, or 0.
  for (size_t i = date.size(); i >= 4; --i) {
    absl::string_view tail = date.substr(i - 4, 4);
    int year = 0;
    if (absl::SimpleAtoi(tail, &year) && (i == 4 || !absl::ascii_isdigit(date[i - 5]))) {
      return year;
    }
  }
  return 0;
}

// The first digit at or after `i`, or text.size(). Eight bytes at a time: most of a copy has
// no digit. With t = byte ^ '0', a digit is t < 10; the classic "has a byte less than n" test
// flags it, and the lowest flag is always a true one (borrows only move upwards).
size_t NextDigit(absl::string_view text, size_t i) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, text.data() + i, 8);
    const uint64_t t = x ^ (kOnes * '0');
    const uint64_t hit = (t - kOnes * 10) & ~t & kHigh;
    if (hit != 0) return i + static_cast<size_t>(__builtin_ctzll(hit) >> 3);
  }
  while (i < text.size() && !IsDigit(text[i])) ++i;
  return i;
}

// The digits (and, with `corsica`, the A/B of Corsican departments) among the at most `span`
// bytes from `begin`, up to the first other letter: a phone needs 10, a NIR 15.
size_t DigitsAhead(absl::string_view text, size_t begin, size_t span, bool corsica) {
  size_t count = 0;
  for (size_t i = begin; i < text.size() && i < begin + span; ++i) {
    const char c = text[i];
    if (IsDigit(c) || (corsica && (c == 'A' || c == 'B' || c == 'a' || c == 'b'))) {
      ++count;
    } else if (absl::ascii_isalpha(static_cast<unsigned char>(c))) {
      break;
    }
  }
  return count;
}

// Whether a month's name (or "er" of "1er") starts at `at`, after the blanks: "3 mars",
// "1er août", "12 déc."; "12 ans" is none.
bool MonthFollows(absl::string_view text, size_t at) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n')) ++at;
  static constexpr absl::string_view kStarts[] = {"jan", "fe", "f\xC3\xA9", "mar", "avr", "mai",
                                                  "jui", "ao", "sep", "oct", "nov", "de",
                                                  "d\xC3\xA9", "er"};
  const std::string head = absl::AsciiStrToLower(text.substr(at, 3));
  for (absl::string_view start : kStarts) {
    if (absl::StartsWith(head, start)) return true;
  }
  return false;
}

// A necessary condition for kAddress after a street number ending at `end`, without RE2:
// optional "bis"/"ter", optional comma, blanks, then a word starting like a street type.
bool StreetTypeMayFollow(absl::string_view text, size_t end) {
  auto space = [&](size_t k) {
    return k < text.size() && absl::ascii_isspace(static_cast<unsigned char>(text[k]));
  };
  size_t i = end;
  const size_t suffix = space(i) ? i + 1 : i;
  if (suffix + 3 <= text.size()) {
    const std::string word = absl::AsciiStrToLower(text.substr(suffix, 3));
    if (word == "bis" || word == "ter") i = suffix + 3;
  }
  if (i < text.size() && text[i] == ',') ++i;
  if (!space(i)) return false;
  while (space(i)) ++i;
  return i < text.size() &&
         absl::string_view("rabicpqslh").find(absl::ascii_tolower(static_cast<unsigned char>(
             text[i]))) != absl::string_view::npos;
}

}  // namespace

bool NirKeyValid(absl::string_view digits15) {
  std::string d = Digits(digits15);
  if (d.size() != 15) return false;
  if (d[6] == 'A' || d[6] == 'B') d.replace(5, 2, d[6] == 'A' ? "19" : "18");  // Corsica
  uint64_t body = 0;
  int key = 0;
  if (!absl::SimpleAtoi(d.substr(0, 13), &body) || !absl::SimpleAtoi(d.substr(13, 2), &key)) {
    return false;
  }
  return key == static_cast<int>(97 - body % 97);
}

bool UaiCheckValid(absl::string_view uai) {
  static constexpr char kLetters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
  int n = 0;
  if (uai.size() != 8 || !absl::SimpleAtoi(uai.substr(0, 7), &n)) return false;
  return kLetters[n % 23] == uai[7];
}

struct StructuredDetector::Patterns {
  RE2 email{kEmail};
  RE2 url{kUrl};
  RE2 handle{kHandle};
  RE2 phone{kPhone};
  RE2 nir{kNir};
  RE2 ine{kIne};
  RE2 uai{kUai};
  RE2 address{kAddress};
  RE2 date{std::string("(?i)(?:") + kDate + kMonths + R"((?:\s+\d{4})?)(?:\b|$))"};
  RE2 named_handle{kNamedHandle};
  RE2 spaced_ine{kSpacedIne};
  RE2 named_street{kNamedStreet};
  RE2 birth_cue{absl::StrReplaceAll(kBirthCue, {{R"(\s)", R"([\s\x{00A0}\x{202F}])"}})};
  RE2 birth_cue_after{
      absl::StrReplaceAll(kBirthCueAfter, {{R"(\s)", R"([\s\x{00A0}\x{202F}])"}})};
};

StructuredDetector::StructuredDetector() : patterns_(std::make_unique<Patterns>()) {}
StructuredDetector::~StructuredDetector() = default;

void StructuredDetector::Find(absl::string_view text, std::vector<Span>& out) const {
  const Patterns& p = *patterns_;
  const re2::StringPiece input(text.data(), text.size());
  // The length of `re`'s match starting exactly at `at`, or 0.
  auto match_at = [&](const RE2& re, size_t at) -> size_t {
    re2::StringPiece m;
    return re.Match(input, at, input.size(), RE2::ANCHOR_START, &m, 1) ? m.size() : 0;
  };
  // Tries `re` at each candidate start in order; a match hides the candidates it covers.
  // `after_ok(end)` checks what follows; `keep(begin, value)` vets the value.
  auto scan = [&](const RE2& re, EntityType type, int priority, const auto& starts,
                  auto after_ok, auto keep, auto key_of) {
    size_t free_from = 0;
    for (size_t at : starts) {
      if (at < free_from) continue;
      const size_t length = match_at(re, at);
      if (length == 0 || !after_ok(at + length)) continue;
      const absl::string_view value = text.substr(at, length);
      if (!keep(at, value)) continue;
      out.push_back({at, at + length, type, key_of(value), priority});
      free_from = at + length;
    }
  };
  auto not_digit_after = [&](size_t end) { return end == text.size() || !IsDigit(text[end]); };
  auto not_word_after = [&](size_t end) { return end == text.size() || !IsWord(text[end]); };
  auto anything_after = [](size_t) { return true; };
  auto always = [](size_t, absl::string_view) { return true; };
  auto lower = [](absl::string_view v) { return absl::AsciiStrToLower(v); };

  // An e-mail's local part runs back from its '@' over the characters it may hold.
  absl::InlinedVector<size_t, 4> locals, handles;
  for (size_t at = text.find('@'); at != absl::string_view::npos; at = text.find('@', at + 1)) {
    size_t begin = at;
    while (begin > 0 && (absl::ascii_isalnum(static_cast<unsigned char>(text[begin - 1])) ||
                         absl::string_view("._%+-").find(text[begin - 1]) !=
                             absl::string_view::npos)) {
      --begin;
    }
    locals.push_back(begin);
    if (at == 0 || (!IsWord(text[at - 1]) && text[at - 1] != '@' && text[at - 1] != '.')) {
      handles.push_back(at);
    }
  }
  scan(p.email, EntityType::kEmail, 5, locals, anything_after, always, lower);
  scan(p.handle, EntityType::kHandle, 4, handles, anything_after, always, lower);
  // A Discord tag: a name, '#' and four digits ("kyky#4821").
  for (size_t hash = text.find('#'); hash != absl::string_view::npos;
       hash = text.find('#', hash + 1)) {
    size_t end = hash + 1;
    while (end < text.size() && end < hash + 6 && IsDigit(text[end])) ++end;
    if (end != hash + 5 || (end < text.size() && IsWord(text[end]))) continue;
    size_t begin = hash;
    while (begin > 0 && hash - begin < 32 && (IsWord(text[begin - 1]) || text[begin - 1] == '.')) {
      --begin;
    }
    if (hash - begin < 2) continue;
    out.push_back({begin, end, EntityType::kHandle, lower(text.substr(begin, end - begin)), 4});
  }
  if (text.find("http") != absl::string_view::npos || text.find("www.") != absl::string_view::npos ||
      text.find(".com/") != absl::string_view::npos || text.find(".tv/") != absl::string_view::npos ||
      text.find(".gg/") != absl::string_view::npos) {
    re2::StringPiece m;
    for (size_t pos = 0; pos < text.size() &&
                         p.url.Match(input, pos, input.size(), RE2::UNANCHORED, &m, 1) && !m.empty();
         pos = m.data() + m.size() - input.data()) {
      const size_t begin = m.data() - input.data();
      out.push_back({begin, begin + m.size(), EntityType::kHandle,
                     lower(absl::string_view(m.data(), m.size())), 5});
    }
  }
  // One pass over the runs of digits lists where each digit pattern may start.
  size_t digits_total = 0;
  absl::InlinedVector<size_t, 16> phone_starts, nir_starts, ine_starts, uai_starts,
      address_starts, date_starts;
  for (size_t i = NextDigit(text, 0); i < text.size(); i = NextDigit(text, i)) {
    const size_t begin = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    const size_t end = i;
    const size_t length = end - begin;
    digits_total += length;
    const char first = text[begin];
    const char after = end < text.size() ? text[end] : 0;
    const bool word_before = begin > 0 && IsWord(text[begin - 1]);
    // Digits counted ahead rule out most runs before RE2: "12 ans", "en 2024".
    if (first == '0' && DigitsAhead(text, begin, 20, false) >= 10) phone_starts.push_back(begin);
    if ((first == '3' || first == '5' || first == '2' || first == '6') && begin > 0 &&
        text[begin - 1] == '+' && (begin == 1 || !IsDigit(text[begin - 2])) &&
        DigitsAhead(text, begin, 24, false) >= 11) {
      phone_starts.push_back(begin - 1);
    }
    if (absl::string_view("12478").find(first) != absl::string_view::npos &&
        DigitsAhead(text, begin, 32, true) >= 15) {
      nir_starts.push_back(begin);
    }
    if (!word_before && (length == 9 || length == 10 || (length == 4 && after == 'A'))) {
      ine_starts.push_back(begin);
    }
    if (!word_before && length == 7 && absl::ascii_isupper(static_cast<unsigned char>(after))) {
      uai_starts.push_back(begin);
    }
    if (StreetTypeMayFollow(text, end)) address_starts.push_back(end - std::min<size_t>(length, 4));
    // A day is followed by a separator and a digit, or by a month's name or "er".
    const bool numeric_date = (after == '/' || after == '.' || after == '-') &&
                              end + 1 < text.size() && IsDigit(text[end + 1]);
    if (numeric_date || ((after == ' ' || after == '\t' || after == '\n' || after == 'e') &&
                         MonthFollows(text, end))) {
      date_starts.push_back(end - std::min<size_t>(length, 2));
    }
  }
  if (digits_total >= 10) {
    scan(p.phone, EntityType::kPhone, 3, phone_starts, not_digit_after, always,
         [](absl::string_view v) {
           std::string d = Digits(v);
           if (d.rfind("00", 0) == 0) d = d.substr(2);
           if (d.size() == 11 && d.rfind("33", 0) == 0) d = "0" + d.substr(2);
           return d;
         });
  }
  if (digits_total >= 13) {
    scan(p.nir, EntityType::kNir, 4, nir_starts, not_digit_after,
         [](size_t, absl::string_view v) { return NirKeyValid(v); },
         [](absl::string_view v) { return Digits(v); });
  }
  scan(p.ine, EntityType::kIne, 4, ine_starts, not_word_after, always, lower);
  // An INE typed in groups, right after "INE": the groups joined must be an INE.
  for (size_t cue = text.find("INE"); cue != absl::string_view::npos;
       cue = text.find("INE", cue + 3)) {
    const size_t at = NextDigit(text, cue + 3);
    if (at >= text.size() || at > cue + kIneCueWindow) continue;
    const size_t length = match_at(p.spaced_ine, at);
    if (length == 0 || !not_word_after(at + length)) continue;
    std::string joined;
    for (char c : text.substr(at, length)) {
      if (absl::ascii_isalnum(static_cast<unsigned char>(c))) joined.push_back(c);
    }
    // Written in one piece it is found above; here only the grouped forms.
    if (joined.size() == length || !RE2::FullMatch(joined, p.ine)) continue;
    out.push_back({at, at + length, EntityType::kIne, absl::AsciiStrToLower(joined), 4});
  }
  scan(p.uai, EntityType::kSchool, 4, uai_starts, not_word_after,
       [](size_t, absl::string_view v) { return UaiCheckValid(v); },
       [](absl::string_view) { return std::string("school"); });
  scan(p.address, EntityType::kAddress, 3, address_starts, anything_after, always, lower);
  // A date is a birth date when its year is in the pupils' range or a cue ("née le",
  // "date de naissance :") ends right before it.
  scan(p.date, EntityType::kDateOfBirth, 3, date_starts, anything_after,
       [&](size_t begin, absl::string_view v) {
         const int year = YearOf(v);
         if (year >= 2004 && year <= 2022) return true;
         // With a cue, a date without a year ("né le 3 mars") or of a living person's
         // birth; "Hugo est né le 26 février 1802" is history.
         if (year != 0 && year < 1930) return false;
         const size_t from = begin > kBirthCueWindow ? begin - kBirthCueWindow : 0;
         const size_t end = begin + v.size();
         return RE2::PartialMatch(re2::StringPiece(text.data() + from, begin - from),
                                  p.birth_cue) ||
                RE2::PartialMatch(re2::StringPiece(text.data() + end,
                                                   std::min(kBirthCueWindow, text.size() - end)),
                                  p.birth_cue_after);
       },
       lower);
}

void StructuredDetector::FindAfterCueWords(absl::string_view text, const TokenizedText& words,
                                          std::vector<Span>& out) const {
  const re2::StringPiece input(text.data(), text.size());
  for (size_t k = 0; k < words.tokens.size(); ++k) {
    const uint32_t classes = words.classes[k];
    if (classes & kStreetWord) {
      const size_t at = words.folded->origin[words.tokens[k].begin];
      re2::StringPiece m;
      if (patterns_->named_street.Match(input, at, input.size(), RE2::ANCHOR_START, &m, 1)) {
        out.push_back({at, at + m.size(), EntityType::kAddress,
                       absl::AsciiStrToLower(absl::string_view(m.data(), m.size())), 2});
      }
      continue;
    }
    if (!(classes & kNetwork)) continue;
    // A handle without '@' counts after a colon, or when it has the shape of a login (a
    // digit, '_' or '.'): "sur insta avec Léa" and "sur Twitch, avec" stay; "ma chaîne
    // Twitch, maxlestrade_live" goes.
    const size_t at = words.folded->origin[words.tokens[k].begin];
    re2::StringPiece m[3];
    if (!patterns_->named_handle.Match(input, at, input.size(), RE2::ANCHOR_START, m, 3)) continue;
    const absl::string_view value(m[2].data(), m[2].size());
    if ((m[1].empty() || m[1] == ",") &&
        value.find_first_of("0123456789_.") == absl::string_view::npos) {
      continue;
    }
    const size_t begin = m[2].data() - input.data();
    out.push_back({begin, begin + m[2].size(), EntityType::kHandle, absl::AsciiStrToLower(value), 4});
  }
}

}  // namespace gardefou::pseudonym
