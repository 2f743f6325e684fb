// Placeholder recognition (case, accents, brackets and separator tolerant) and restoration.
#include "service/pseudonym/reidentify.h"

#include <re2/re2.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "service/pseudonym/fold.h"

namespace gardefou::pseudonym {
namespace {

constexpr char kNames[] =
    "[EÉeé]l[eèéEÈÉ]ve|prof|[EÉeé]tablissement|ville|e-?mail|t[eé]l|ine|nir|adresse|"
    "date[ _]naissance|personne|compte";

}  // namespace

Restored Reidentify(absl::string_view text, const std::map<std::string, MappingEntry>& mapping) {
  // Either bracketed with any separator, or bare with an underscore.
  static const RE2* placeholder = new RE2(absl::StrCat(
      R"((?i)(\[\s*()", kNames, R"()[\s_\-]*(\d{1,4})\s*\]|\b()", kNames, R"()_(\d{1,4})\b))"));
  Restored out;
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece whole, name1, number1, name2, number2;
  size_t copied = 0;
  while (RE2::FindAndConsume(&input, *placeholder, &whole, &name1, &number1, &name2, &number2)) {
    const re2::StringPiece name = name1.empty() ? name2 : name1;
    const re2::StringPiece number = name1.empty() ? number2 : number1;
    std::string prefix = absl::AsciiStrToUpper(FoldString(absl::string_view(name.data(), name.size())));
    for (char& c : prefix) {
      if (c == ' ') c = '_';
    }
    if (prefix == "E-MAIL") prefix = "EMAIL";
    const std::string canonical =
        absl::StrCat("[", prefix, "_", absl::string_view(number.data(), number.size()), "]");
    const size_t begin = whole.data() - text.data();
    absl::StrAppend(&out.text, text.substr(copied, begin - copied));
    auto it = mapping.find(canonical);
    if (it != mapping.end()) {
      absl::StrAppend(&out.text, it->second.surface);
    } else {
      absl::StrAppend(&out.text, absl::string_view(whole.data(), whole.size()));
      out.unknown.push_back(std::string(whole.data(), whole.size()));
    }
    copied = begin + whole.size();
  }
  absl::StrAppend(&out.text, text.substr(copied));
  return out;
}

}  // namespace gardefou::pseudonym
