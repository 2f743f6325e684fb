// The line format of events.jsonl and the fast reader of chain fields.
#include "service/audit/export_format.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace gardefou::audit {
namespace {

constexpr absl::string_view kHead = "{\"event\":";
constexpr absl::string_view kHashKey = ",\"hash\":\"";
constexpr absl::string_view kTail = "\"}";
constexpr size_t kHexHash = 64;

bool IsLowerHex(absl::string_view s) {
  return s.find_first_not_of("0123456789abcdef") == absl::string_view::npos;
}

}  // namespace

std::string FormatExportLine(absl::string_view canonical, absl::string_view hash) {
  return absl::StrCat(kHead, canonical, kHashKey, hash, kTail);
}

absl::StatusOr<ExportLine> ParseExportLine(absl::string_view line) {
  const size_t fixed = kHead.size() + kHashKey.size() + kHexHash + kTail.size();
  if (line.size() <= fixed || !absl::StartsWith(line, kHead) || !absl::EndsWith(line, kTail)) {
    return absl::InvalidArgumentError("not an {\"event\":...,\"hash\":\"...\"} line");
  }
  const size_t hash_at = line.size() - kTail.size() - kHexHash;
  if (line.substr(hash_at - kHashKey.size(), kHashKey.size()) != kHashKey) {
    return absl::InvalidArgumentError("the line does not end with a \"hash\" field");
  }
  ExportLine out;
  out.canonical = line.substr(kHead.size(), hash_at - kHashKey.size() - kHead.size());
  out.hash = line.substr(hash_at, kHexHash);
  if (!IsLowerHex(out.hash)) return absl::InvalidArgumentError("the hash is not lower-case hex");
  return out;
}

std::string CheckpointFileName(int64_t tree_size) {
  return absl::StrFormat("%012d.note", tree_size);
}

absl::StatusOr<ChainFields> ReadChainFields(absl::string_view canonical) {
  // Inside JSON strings a quote is always escaped, so `,"prev_hash":"` only appears as a
  // key; the object's own key is the last one (only "seq", "tenant", "time_us" follow).
  constexpr absl::string_view kPrev = ",\"prev_hash\":\"";
  constexpr absl::string_view kSeq = "\",\"seq\":";
  const size_t at = canonical.rfind(kPrev);
  if (at == absl::string_view::npos) return absl::InvalidArgumentError("no prev_hash field");
  absl::string_view rest = canonical.substr(at + kPrev.size());
  ChainFields out;
  out.prev_hash = rest.substr(0, kHexHash);
  if (out.prev_hash.size() != kHexHash || !IsLowerHex(out.prev_hash)) {
    return absl::InvalidArgumentError("prev_hash is not 64 hex digits");
  }
  rest.remove_prefix(kHexHash);
  if (!absl::ConsumePrefix(&rest, kSeq)) return absl::InvalidArgumentError("no seq after prev_hash");
  const size_t end = rest.find(',');
  if (end == absl::string_view::npos || !absl::SimpleAtoi(rest.substr(0, end), &out.seq) ||
      out.seq < 1) {
    return absl::InvalidArgumentError("seq is not a positive integer");
  }
  return out;
}

}  // namespace gardefou::audit
