// The tables behind FoldCompatible: ranges computed, look-alikes listed.
#include "service/pseudonym/confusables.h"

namespace gardefou::pseudonym {
namespace {

struct LookAlike {
  uint32_t cp;
  const char* latin;
  bool upper;
};

// Cyrillic and Greek letters drawn like Latin ones (UTS #39 confusables, single letters).
constexpr LookAlike kLookAlikes[] = {
    {0x0391, "a", true},  {0x0392, "b", true},  {0x0395, "e", true},  {0x0396, "z", true},
    {0x0397, "h", true},  {0x0399, "i", true},  {0x039A, "k", true},  {0x039C, "m", true},
    {0x039D, "n", true},  {0x039F, "o", true},  {0x03A1, "p", true},  {0x03A4, "t", true},
    {0x03A5, "y", true},  {0x03A7, "x", true},  {0x03B1, "a", false}, {0x03B9, "i", false},
    {0x03BA, "k", false}, {0x03BD, "v", false}, {0x03BF, "o", false}, {0x03C1, "p", false},
    {0x03C4, "t", false}, {0x03C5, "u", false}, {0x03C7, "x", false}, {0x0405, "s", true},
    {0x0406, "i", true},  {0x0408, "j", true},  {0x0410, "a", true},  {0x0412, "b", true},
    {0x0415, "e", true},  {0x041A, "k", true},  {0x041C, "m", true},  {0x041D, "h", true},
    {0x041E, "o", true},  {0x0420, "p", true},  {0x0421, "c", true},  {0x0422, "t", true},
    {0x0423, "y", true},  {0x0425, "x", true},  {0x0430, "a", false}, {0x0435, "e", false},
    {0x043E, "o", false}, {0x0440, "p", false}, {0x0441, "c", false}, {0x0443, "y", false},
    {0x0445, "x", false}, {0x0455, "s", false}, {0x0456, "i", false}, {0x0458, "j", false},
    {0x0501, "d", false}, {0x051B, "q", false}, {0x051D, "w", false}, {0x04BB, "h", false},
    {0x0261, "g", false},
};

// Latin Extended-B letters of names in French schools (Vietnamese, Romanian, Turkish...).
constexpr LookAlike kExtendedB[] = {
    {0x01A0, "o", true},  {0x01A1, "o", false}, {0x01AF, "u", true},  {0x01B0, "u", false},
    {0x0218, "s", true},  {0x0219, "s", false}, {0x021A, "t", true},  {0x021B, "t", false},
    {0x01CD, "a", true},  {0x01CE, "a", false}, {0x01CF, "i", true},  {0x01D0, "i", false},
    {0x01D1, "o", true},  {0x01D2, "o", false}, {0x01D3, "u", true},  {0x01D4, "u", false},
};

constexpr const char* kAsciiLetters[26] = {"a", "b", "c", "d", "e", "f", "g", "h", "i",
                                           "j", "k", "l", "m", "n", "o", "p", "q", "r",
                                           "s", "t", "u", "v", "w", "x", "y", "z"};

}  // namespace

bool IsDefaultIgnorable(uint32_t cp) {
  return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x115F || cp == 0x1160 ||
         cp == 0x17B4 || cp == 0x17B5 || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || cp == 0xFFA0 ||
         (cp >= 0xE0000 && cp <= 0xE0FFF);
}

const char* FoldCompatible(uint32_t cp, bool& upper) {
  upper = false;
  if (cp >= 0xFF21 && cp <= 0xFF3A) {  // fullwidth A-Z
    upper = true;
    return kAsciiLetters[cp - 0xFF21];
  }
  if (cp >= 0xFF41 && cp <= 0xFF5A) return kAsciiLetters[cp - 0xFF41];  // fullwidth a-z
  switch (cp) {  // ligatures
    case 0xFB00: return "ff";
    case 0xFB01: return "fi";
    case 0xFB02: return "fl";
    case 0xFB03: return "ffi";
    case 0xFB04: return "ffl";
    case 0xFB05:
    case 0xFB06: return "st";
  }
  if (cp >= 0x1EA0 && cp <= 0x1EF9) {  // Vietnamese: upper and lower alternate
    upper = cp % 2 == 0;
    if (cp <= 0x1EB7) return "a";
    if (cp <= 0x1EC7) return "e";
    if (cp <= 0x1ECB) return "i";
    if (cp <= 0x1EE3) return "o";
    if (cp <= 0x1EF1) return "u";
    return "y";
  }
  auto find = [&](const auto& table) -> const char* {
    for (const LookAlike& entry : table) {
      if (entry.cp == cp) {
        upper = entry.upper;
        return entry.latin;
      }
    }
    return nullptr;
  };
  const char* latin = find(kLookAlikes);
  return latin != nullptr ? latin : find(kExtendedB);
}

}  // namespace gardefou::pseudonym
