// Pattern generation from the roster and the token-level matcher.
#include "service/pseudonym/roster_matcher.h"

#include <algorithm>
#include <cstring>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_join.h"
#include "service/pseudonym/figure_spotter.h"
#include "service/pseudonym/thing_names.h"

namespace gardefou::pseudonym {
namespace {

constexpr size_t kFuzzyMinLength = 6;
constexpr size_t kMaxGap = 3;
constexpr size_t kShapeBits = 1 << 16;
constexpr size_t kMaxTypoLength = 40;

// Index of the two letters at `pos` with the length, for the typo filters.
size_t EndsIndex(absl::string_view word, size_t pos, size_t length) {
  auto letter = [](char c) { return static_cast<size_t>(static_cast<unsigned char>(c)) & 63; };
  return (letter(word[pos]) * 64 + letter(word[pos + 1])) * (kMaxTypoLength + 2) +
         std::min(length, kMaxTypoLength + 1);
}

bool IsRelation(absl::string_view w) {
  static const auto* relations = new absl::flat_hash_set<absl::string_view>{
      "cousin", "cousine", "frere", "soeur", "copain", "copine", "ami", "amie", "pote"};
  return relations->contains(w);
}

// Where a lower-case word that is also a common word is still a name, as pupils write in
// messages: after a greeting ("hello romain"), "avec", a relation and "de" ("le cousin de
// diane") or "à côté de".
bool LowerCaseNameContext(const TokenizedText& words, size_t i) {
  if (i == 0) return false;
  static const auto* greetings = new absl::flat_hash_set<absl::string_view>{
      "hello", "slt", "salut", "coucou", "cc", "bonjour", "hey", "wesh", "avec"};
  const absl::string_view before = words.word(i - 1);
  if (greetings->contains(before)) return true;
  // "le cousin de diane", "assis à côté de romain".
  return (before == "de" || before == "d") && i >= 2 &&
         (IsRelation(words.word(i - 2)) || words.word(i - 2) == "cote");
}

}  // namespace

// A one-word match that reads as a thing, not a name: a feast where it reads as one ("à
// Noël", "les vacances de Noël" with a pupil named Noël), or as WrittenAsAThing says. A
// common word opening a sentence ("Bon courage" with a pupil Bon) is not told apart: it stays
// a name.
bool RosterMatcher::ThingNotName(const TokenizedText& words, size_t i, size_t length,
                                 const Pattern& pattern) {
  if (length != 1 || pattern.type == EntityType::kSchool || pattern.type == EntityType::kPlace) {
    return false;
  }
  const absl::string_view w = words.word(i);
  if (i > 0 && (w == "noel" || w == "toussaint" || w == "paques")) {
    // The feast after "à", "au", "père", or "de" not after a relation ("les vacances de
    // Noël"; "le cousin de Noël" is the pupil).
    const absl::string_view before = words.word(i - 1);
    if (before == "a" || before == "au" || before == "pere") return true;
    if (before == "de" && !(i > 1 && IsRelation(words.word(i - 2)))) return true;
  }
  return WrittenAsAThing(
      i, [&](size_t k) { return words.gap_before(k); },
      [&](size_t k) { return words.capitalised(k); }, [&](size_t k) { return words.classes[k]; });
}

namespace {

// "M.T.", "T. B.": capital letters each followed by a full stop; "m t" or "M T" are not.
bool WrittenAsInitials(const TokenizedText& words, size_t i) {
  const std::string& f = words.folded->text;
  if (i + 1 >= words.tokens.size()) return false;
  for (size_t k = i; k < i + 2; ++k) {
    if (!words.capitalised(k) || words.tokens[k].end >= f.size() || f[words.tokens[k].end] != '.') {
      return false;
    }
  }
  return true;
}

bool IsParticle(absl::string_view w) {
  static const auto* particles = new absl::flat_hash_set<std::string>{
      "le", "la", "les", "de", "du", "des", "da", "di", "del", "van", "von", "der", "den",
      "ben", "bin", "ibn", "el", "al", "d", "l", "mac", "mc", "saint", "st", "ter", "ten",
      "dos", "das", "do", "y", "et"};
  return particles->contains(w);
}

bool AllDigits(absl::string_view w) {
  return std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A gap between two words of one name: none (a letter run meets a digit run), spaces,
// hyphens, apostrophes ("Saint-Médard-d'Aunis"), line breaks, the dots and underscores of
// logins ("ophelie.petit"); a few characters.
bool NameGap(absl::string_view gap) {
  if (gap.empty()) return true;  // letters then digits of one word: an INE, "garnier35"
  if (gap.size() > kMaxGap) return false;
  return std::all_of(gap.begin(), gap.end(),
                     [](char c) {
                       return c == ' ' || c == '-' || c == '\'' || c == '\n' || c == '\t' ||
                              c == '\r' || c == '.' || c == '_';
                     });
}

// Damerau–Levenshtein (optimal string alignment) distance at most 1: equal, or one letter
// changed, added, removed, or two adjacent letters swapped.
bool WithinOneEdit(absl::string_view a, absl::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;
  if (a.size() < b.size()) return a.substr(i) == b.substr(i + 1);
  if (a.substr(i + 1) == b.substr(i + 1)) return true;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
}

// Polynomial hashes (mod 2^64) of a word and of the words left when one letter is removed:
// two words within one edit share one of these. Hashes only select candidates; each is
// confirmed with WithinOneEdit.
constexpr uint64_t kHashBase = 0x100000001B3ull;
constexpr int kFilterBits = 20;  // a 128 KiB bit set in front of the variant table

size_t FilterBit(uint64_t hash) { return (hash * 0x9E3779B97F4A7C15ull) >> (64 - kFilterBits); }
constexpr size_t kMaxHashedLength = 64;

// Calls `visit(hash)` for the whole word, then for the word without letter 0, 1, ...
// until `visit` returns true. O(length) in all. `word` holds 1 to kMaxHashedLength letters.
template <typename Visit>
bool VisitDeletionHashes(absl::string_view word, Visit visit) {
  uint64_t prefix[kMaxHashedLength + 1];
  prefix[0] = 0;
  for (size_t k = 0; k < word.size(); ++k) {
    prefix[k + 1] = prefix[k] * kHashBase + static_cast<unsigned char>(word[k]);
  }
  const uint64_t whole = prefix[word.size()];
  if (visit(whole)) return true;
  // Without letter i: whole + (prefix[i] - prefix[i + 1]) * base^(n - 1 - i).
  uint64_t power[kMaxHashedLength];
  power[word.size() - 1] = 1;
  for (size_t i = word.size() - 1; i > 0; --i) power[i - 1] = power[i] * kHashBase;
  for (size_t i = 0; i < word.size(); ++i) {
    if (visit(whole + (prefix[i] - prefix[i + 1]) * power[i])) return true;
  }
  return false;
}

}  // namespace

size_t RosterMatcher::WordShape(absl::string_view word) {
  // The length with the first four and the last four letters (two fixed-size loads).
  uint64_t packed = word.size();
  if (word.size() >= 4) {
    uint32_t head, tail;
    std::memcpy(&head, word.data(), 4);
    std::memcpy(&tail, word.data() + word.size() - 4, 4);
    packed ^= (static_cast<uint64_t>(head) << 8) ^ (static_cast<uint64_t>(tail) << 31);
  } else {
    for (size_t i = 0; i < word.size(); ++i) {
      packed ^= static_cast<uint64_t>(static_cast<unsigned char>(word[i])) << (8 * i + 8);
    }
  }
  return (packed * 0x9E3779B97F4A7C15ull) >> 48;
}

bool RosterMatcher::MayStartPattern(absl::string_view word) const {
  return starts_[WordShape(word)] != 0;
}

bool RosterMatcher::MayBeTypo(absl::string_view word) const {
  return typo_heads_[EndsIndex(word, 0, word.size())] ||
         typo_tails_[EndsIndex(word, word.size() - 2, word.size())];
}

RosterMatcher::RosterMatcher(const model::RosterRecord& roster, const Lexicon& lexicon)
    : lexicon_(lexicon),
      trie_(1),
      typo_heads_(64 * 64 * (kMaxTypoLength + 2)),
      typo_tails_(64 * 64 * (kMaxTypoLength + 2)),
      starts_(kShapeBits),
      fuzzy_filter_((size_t{1} << kFilterBits) / 64) {
  for (const auto& p : roster.students) AddPerson(p, EntityType::kStudent);
  for (const auto& p : roster.teachers) AddPerson(p, EntityType::kStaff);
  AddInitials(roster);
  Add(FoldedWords(FoldString(roster.school.name)), EntityType::kSchool, "school");
  Add(FoldedWords(FoldString(roster.school.city)), EntityType::kPlace, "place");
  if (!roster.school.uai.empty()) {
    Add(FoldedWords(FoldString(roster.school.uai)), EntityType::kSchool, "school");
  }
}

void RosterMatcher::Add(std::vector<std::string> tokens, EntityType type, const std::string& key) {
  if (tokens.empty()) return;
  const bool single = tokens.size() == 1;
  if (single && (tokens[0].size() < 2 || IsParticle(tokens[0]))) return;
  const bool needs_capital = single && lexicon_.IsCommonWord(tokens[0]);
  const size_t index = patterns_.size();
  if (single && type != EntityType::kIne && tokens[0].size() >= kFuzzyMinLength &&
      !AllDigits(tokens[0])) {
    const std::string& t = tokens[0];
    for (size_t length = t.size() - 1; length <= t.size() + 1; ++length) {
      typo_heads_[EndsIndex(t, 0, length)] = true;
      typo_tails_[EndsIndex(t, t.size() - 2, length)] = true;
    }
    if (t.size() <= kMaxHashedLength) {
      VisitDeletionHashes(t, [&](uint64_t hash) {
        const size_t bit = FilterBit(hash);
        fuzzy_filter_[bit / 64] |= uint64_t{1} << (bit % 64);
        std::vector<uint32_t>& indexes = fuzzy_[hash];
        if (indexes.empty() || indexes.back() != index) indexes.push_back(static_cast<uint32_t>(index));
        return false;
      });
    }
  }
  // Initials ("m", "t") are tried only where the text has initials (see Find): a one-letter
  // shape would send every "l'", "d'", "j'" of a text to the trie.
  if (tokens[0].size() > 1 || tokens.size() == 1) starts_[WordShape(tokens[0])] = 1;
  int node = 0;
  for (const std::string& t : tokens) {
    auto it = trie_[node].next.find(t);
    if (it == trie_[node].next.end()) {
      trie_.emplace_back();
      it = trie_[node].next.emplace(t, static_cast<int>(trie_.size() - 1)).first;
    }
    node = it->second;
  }
  const int owner = owners_.try_emplace(key, static_cast<int>(owners_.size())).first->second;
  trie_[node].endings.push_back({index, owner, needs_capital});
  patterns_.push_back({std::move(tokens), type, key, owner, needs_capital});
}

void RosterMatcher::AddInitials(const model::RosterRecord& roster) {
  // Initials that are also abbreviations ("P.S.", "N.B.", "A.S.") name no one.
  static const auto* abbreviations = new absl::flat_hash_set<std::string>{
      "ps", "nb", "as", "jc", "cv", "td", "tp", "pv", "ce", "cm", "rh", "dm", "ds", "qg",
      "tv", "pc", "ok", "mr", "st", "sa", "ko", "fc", "om", "ue", "us", "rc"};
  absl::flat_hash_map<std::string, int> count;
  auto initials = [](const model::PersonRecord& p) {
    const std::vector<std::string> first = FoldedWords(FoldString(p.first));
    const std::vector<std::string> last = FoldedWords(FoldString(p.last));
    return first.empty() || last.empty() ? std::string()
                                         : std::string{first[0][0], last.back()[0]};
  };
  for (const auto* people : {&roster.students, &roster.teachers}) {
    for (const auto& p : *people) ++count[initials(p)];
  }
  for (const auto* people : {&roster.students, &roster.teachers}) {
    const EntityType type = people == &roster.students ? EntityType::kStudent : EntityType::kStaff;
    for (const auto& p : *people) {
      const std::string pair = initials(p);
      if (pair.size() != 2 || count[pair] != 1 || abbreviations->contains(pair)) continue;
      Add({std::string(1, pair[0]), std::string(1, pair[1])}, type,
          (type == EntityType::kStudent ? "student:" : "staff:") + p.id);
    }
  }
}

void RosterMatcher::AddPerson(const model::PersonRecord& person, EntityType type) {
  const std::string key =
      (type == EntityType::kStudent ? "student:" : "staff:") + person.id;
  const std::vector<std::string> first = FoldedWords(FoldString(person.first));
  const std::vector<std::string> last = FoldedWords(FoldString(person.last));
  if (!first.empty() && !last.empty()) {
    std::vector<std::string> full = first, reversed = last;
    full.insert(full.end(), last.begin(), last.end());
    reversed.insert(reversed.end(), first.begin(), first.end());
    Add(std::move(full), type, key);
    Add(std::move(reversed), type, key);
  }
  Add(first, type, key);
  if (first.size() > 1) {
    for (const auto& part : first) {
      if (part.size() >= 3) Add({part}, type, key);
    }
  }
  Add(last, type, key);
  std::vector<std::string> core;
  for (const auto& part : last) {
    if (!IsParticle(part)) core.push_back(part);
  }
  if (core.size() != last.size()) Add(core, type, key);
  if (core.size() > 1) {
    for (const auto& part : core) {
      if (part.size() >= 4) Add({part}, type, key);
    }
  }
  for (const auto& alias : person.aliases) Add(FoldedWords(FoldString(alias)), type, key);
  // Logins glued together: "opetit", "opheliepetit", "petito" (digits split off already).
  if (!first.empty() && !core.empty()) {
    const std::string surname = absl::StrJoin(core, "");
    const std::string given = absl::StrJoin(first, "");
    for (std::string login : {given.substr(0, 1) + surname, given + surname, surname + given,
                              surname + given.substr(0, 1)}) {
      if (login.size() >= 5 && !lexicon_.IsCommonWord(login)) Add({std::move(login)}, type, key);
    }
  }
  if (!person.ine.empty()) {
    Add(FoldedWords(FoldString(person.ine)), EntityType::kIne, "ine:" + FoldString(person.ine));
  }
}

RosterMatcher::Match RosterMatcher::LongestAt(const FoldedText& text,
                                             const std::vector<Token>& tokens, size_t at,
                                             int preferred_owner, int only_owner,
                                             bool name_context) const {
  const absl::string_view folded = text.text;
  const bool capital = text.upper[tokens[at].begin] || name_context;
  Match best;
  int node = 0;
  for (size_t k = at; k < tokens.size(); ++k) {
    if (k > at && !NameGap(folded.substr(tokens[k - 1].end, tokens[k].begin - tokens[k - 1].end))) {
      break;
    }
    auto it = trie_[node].next.find(folded.substr(tokens[k].begin, tokens[k].end - tokens[k].begin));
    if (it == trie_[node].next.end()) break;
    node = it->second;
    const Ending* chosen = nullptr;
    for (const Ending& e : trie_[node].endings) {
      if (only_owner >= 0 ? e.owner != only_owner : (e.needs_capital && !capital)) continue;
      if (chosen == nullptr || e.owner == preferred_owner) chosen = &e;
    }
    if (chosen != nullptr) best = {&patterns_[chosen->pattern], k - at + 1};
  }
  return best;
}

bool RosterMatcher::FuzzyMatch(absl::string_view word, uint8_t flags, bool flags_known,
                               const Pattern*& found) const {
  // A typo may drop a letter: "Vctor" for Victor.
  if (word.size() + 1 < kFuzzyMinLength || word.size() > kMaxHashedLength || !MayBeTypo(word) ||
      AllDigits(word)) {
    return false;
  }
  if (!flags_known) flags = lexicon_.Flags(word);
  if (flags & Lexicon::kCommonWord) return false;
  return VisitDeletionHashes(word, [&](uint64_t hash) {
    const size_t bit = FilterBit(hash);
    if (!(fuzzy_filter_[bit / 64] >> (bit % 64) & 1)) return false;  // most variants stop here
    auto it = fuzzy_.find(hash);
    if (it == fuzzy_.end()) return false;
    for (uint32_t index : it->second) {
      if (WithinOneEdit(word, patterns_[index].tokens[0])) {
        found = &patterns_[index];
        return true;
      }
    }
    return false;
  });
}

void RosterMatcher::Find(const TokenizedText& words, std::vector<Span>& out,
                         const std::string& preferred_key) const {
  const FoldedText& text = *words.folded;
  const absl::string_view folded = text.text;
  const std::vector<Token>& tokens = words.tokens;
  auto word = [&](size_t i) { return words.word(i); };
  const auto preferred = owners_.find(preferred_key);
  const int preferred_owner = preferred == owners_.end() ? -1 : preferred->second;
  const auto& figures = words.figures;
  // Inside a figure's full name ("Marc Chagall" with a pupil called Chagall), or a word that
  // alone stands for a figure or a saint ("Cicéron", "la Saint-Pierre"); a figure's surname
  // after its full name ("Chagall" after "Marc Chagall") is still the pupil.
  auto inside_figure = [&](size_t first, size_t count) {
    if (count == 1 && words.in_figure[first] == kStandsForFigure) return true;
    for (const auto& [start, length] : figures) {
      if (first >= start && first + count <= start + length && count < length) return true;
    }
    return false;
  };

  for (size_t i = 0; i < tokens.size();) {
    Match match;
    if (MayStartPattern(word(i)) || WrittenAsInitials(words, i)) {
      match = LongestAt(text, tokens, i, preferred_owner, -1, LowerCaseNameContext(words, i));
    }
    const Pattern* best = match.pattern;
    size_t best_len = match.length;
    if (best == nullptr && FuzzyMatch(word(i), words.flags[i], words.capitalised(i), best)) {
      best_len = 1;
    }
    if (best == nullptr || inside_figure(i, best_len) || ThingNotName(words, i, best_len, *best) ||
        (best->tokens.size() == 2 && best->tokens[0].size() == 1 &&
         best->tokens[1].size() == 1 && !WrittenAsInitials(words, i))) {
      ++i;
      continue;
    }
    const bool person = best->type == EntityType::kStudent || best->type == EntityType::kStaff;
    size_t first = i;
    if (person) {
      // Words of the same person written right beside the match belong to the mention.
      while (i + best_len < tokens.size() &&
             NameGap(folded.substr(tokens[i + best_len - 1].end,
                                   tokens[i + best_len].begin - tokens[i + best_len - 1].end))) {
        const size_t more =
            LongestAt(text, tokens, i + best_len, preferred_owner, best->owner).length;
        if (more == 0) break;
        best_len += more;
      }
      while (first > 0 && NameGap(folded.substr(tokens[first - 1].end,
                                                tokens[first].begin - tokens[first - 1].end)) &&
             LongestAt(text, tokens, first - 1, preferred_owner, best->owner).length == 1) {
        --first;
      }
    }
    size_t begin = tokens[first].begin;
    size_t end = tokens[i + best_len - 1].end;
    // Initials written before ("J. Dupont", "J.-P. Martin") or after ("Léa N.") a name.
    if (person && first > 0 && tokens[first - 1].end - tokens[first - 1].begin == 1 &&
        folded[tokens[first - 1].end] == '.' && tokens[first - 1].end + 2 >= tokens[first].begin) {
      begin = tokens[first - 1].begin;
      if (first > 1 && tokens[first - 2].end - tokens[first - 2].begin == 1 &&
          folded.substr(tokens[first - 2].end, 2) == ".-" &&
          tokens[first - 2].end + 2 == tokens[first - 1].begin) {
        begin = tokens[first - 2].begin;
      }
    }
    const size_t next = i + best_len;
    if (person && next < tokens.size() && tokens[next].end - tokens[next].begin == 1 &&
        tokens[next].begin == end + 1 && folded[end] == ' ' && tokens[next].end < folded.size() &&
        folded[tokens[next].end] == '.') {
      end = tokens[next].end + 1;
    }
    out.push_back({text.origin[begin], text.origin[end], best->type, best->key,
                   best->type == EntityType::kSchool ? 2 : 1});
    i = next;
  }
}

}  // namespace gardefou::pseudonym
