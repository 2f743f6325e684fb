// The RE2 patterns and the checks (NIR key, UAI letter, birth-date context) behind them.
#include "service/pseudonym/structured_detector.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <string>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace gardefou::pseudonym {
namespace {

// Each pattern has one capturing group: the span to replace. RE2 has no lookaround, so the
// "not preceded/followed by" conditions are explicit groups around it.
constexpr char kEmail[] = R"((?i)([a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}))";
constexpr char kUrl[] = R"((?i)((?:https?://|www\.)[^\s<>"]+[^\s<>".,;:!?)]))";
constexpr char kHandle[] = R"((?:^|[^\w@.])(@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}[A-Za-z0-9_]))";
constexpr char kPhone[] =
    R"((?:^|[^\d])((?:(?:\+|00)33[\s.\-]{0,3}(?:\(0\)[\s.\-]{0,3})?|0)[1-9](?:[\s.\-]?\d{2}){4})(?:[^\d]|$))";
constexpr char kNir[] =
    R"((?:^|[^\d])([1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AaBb]) ?\d{3} ?\d{3} ?\d{2})(?:[^\d]|$))";
constexpr char kIne[] =
    R"((?:^|[^\w])(\d{9}[A-Z]{2}|\d{10}[A-HJ-NPR-Z]|\d{4}A\d{5}[A-HJ-NPR-Z])(?:[^\w]|$))";
constexpr char kUai[] = R"((?:^|[^\w])(\d{7}[A-HJ-NPR-Z])(?:[^\w]|$))";
constexpr char kAddress[] =
    R"((\d{1,4}(?:\s?(?i:bis|ter))?,?\s+(?i:rue|avenue|av\.|boulevard|bd|all[ée]e|impasse|chemin|place|route|quai|cours|square|r[ée]sidence|lotissement|hameau|chauss[ée]e|passage|sentier)(?:[ \t]+[\p{L}'’\-]+){1,6}(?:,?\s*\d{5}(?:[ \t]+[\p{Lu}][\p{L}'’\-]*(?:[ \t\-]+(?:sur|sous|en|le|la|les|de|du|des|[\p{Lu}][\p{L}'’\-]*))*)?(?:\s+(?i:cedex))?(?:\s+\d{1,2}\b)?)?))";
constexpr char kMonths[] =
    R"((?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|janv\.?|f[ée]vr?\.?|avr\.?|juil\.?|sept?\.?|oct\.?|nov\.?|d[ée]c\.?))";

std::string DatePattern() {
  return std::string(R"((\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|(?:1er|\d{1,2})\s+)") +
         kMonths + R"(\s+\d{4}))";
}

std::string BirthContextPattern() {
  return R"((?i)(?:n[ée]e?s?\s+le|date\s+de\s+naissance\s*:?|anniversaire\s+(?:est\s+)?(?:le\s+)?|n[ée]e?s?\s*:)\s*)" +
         DatePattern();
}

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
  Patterns() : any(RE2::DefaultOptions, RE2::UNANCHORED) {
    for (const RE2* re : {&phone, &nir, &ine, &uai, &address, &birth_context, &date}) {
      any.Add(re->pattern(), nullptr);
    }
    any.Compile();
  }
  RE2 email{kEmail};
  RE2 url{kUrl};
  RE2 handle{kHandle};
  RE2 phone{kPhone};
  RE2 nir{kNir};
  RE2 ine{kIne};
  RE2 uai{kUai};
  RE2 address{kAddress};
  RE2 birth_context{BirthContextPattern()};
  RE2 date{std::string("(?i)") + DatePattern()};
  // One pass over the text tells which of the digit patterns can match at all.
  RE2::Set any;
};

StructuredDetector::StructuredDetector() : patterns_(std::make_unique<Patterns>()) {}
StructuredDetector::~StructuredDetector() = default;

void StructuredDetector::Find(absl::string_view text, std::vector<Span>& out) const {
  const re2::StringPiece input(text.data(), text.size());
  auto scan = [&](const RE2& re, EntityType type, int priority, auto keep, auto key_of) {
    re2::StringPiece rest = input, group;
    while (RE2::FindAndConsume(&rest, re, &group) && !group.empty()) {
      const size_t begin = group.data() - input.data();
      const absl::string_view value(group.data(), group.size());
      if (keep(value)) {
        out.push_back({begin, begin + group.size(), type, key_of(value), priority});
      }
      // Resume right after the group: the context character after it may open the next match.
      const size_t resume = begin + group.size();
      rest = re2::StringPiece(input.data() + resume, input.size() - resume);
    }
  };
  auto always = [](absl::string_view) { return true; };
  auto lower = [](absl::string_view v) { return absl::AsciiStrToLower(v); };
  auto digits = [](absl::string_view v) { return Digits(v); };
  auto national_digits = [](absl::string_view v) {
    std::string d = Digits(v);
    if (d.rfind("0033", 0) == 0) d = "0" + d.substr(4);
    else if (d.rfind("33", 0) == 0 && d.size() == 11) d = "0" + d.substr(2);
    return d;
  };
  const Patterns& p = *patterns_;
  // Cheap prefilters: most patterns cannot match without an '@', a '/' or '.', or a digit.
  const bool at_sign = text.find('@') != absl::string_view::npos;
  if (at_sign) {
    scan(p.email, EntityType::kEmail, 5, always, lower);
    scan(p.handle, EntityType::kHandle, 4, always, lower);
  }
  if (text.find("http") != absl::string_view::npos || text.find("www.") != absl::string_view::npos) {
    scan(p.url, EntityType::kHandle, 5, always, lower);
  }
  if (text.find_first_of("0123456789") == absl::string_view::npos) return;
  std::vector<int> matched;
  if (!p.any.Match(input, &matched)) return;
  auto has = [&](int index) {
    return std::find(matched.begin(), matched.end(), index) != matched.end();
  };
  // Indexes follow the order of Patterns::any.
  if (has(0)) scan(p.phone, EntityType::kPhone, 3, always, national_digits);
  if (has(1)) {
    scan(p.nir, EntityType::kNir, 4, [](absl::string_view v) { return NirKeyValid(v); }, digits);
  }
  if (has(2)) scan(p.ine, EntityType::kIne, 4, always, lower);
  if (has(3)) {
    scan(p.uai, EntityType::kSchool, 4, [](absl::string_view v) { return UaiCheckValid(v); },
         [](absl::string_view) { return std::string("school"); });
  }
  if (has(4)) scan(p.address, EntityType::kAddress, 3, always, lower);
  if (has(5)) scan(p.birth_context, EntityType::kDateOfBirth, 3, always, lower);
  if (has(6)) scan(p.date, EntityType::kDateOfBirth, 3,
       [](absl::string_view v) {
         const int year = YearOf(v);
         return year >= 2004 && year <= 2022;
       },
       lower);
  // A birth date found by context and by its year is one span.
  std::sort(out.begin(), out.end(), [](const Span& a, const Span& b) {
    return std::tie(a.begin, a.end, a.priority) < std::tie(b.begin, b.end, b.priority);
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Span& a, const Span& b) {
                          return a.begin == b.begin && a.end == b.end && a.type == b.type;
                        }),
            out.end());
}

}  // namespace gardefou::pseudonym
