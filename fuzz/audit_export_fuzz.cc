// Fuzz target: `gardefou audit verify DIR` on an export squeezed into one input, its files
// separated by lines "%%":
//
//   <log.pub>\n%%\n<events.jsonl>\n%%\n<checkpoint note>\n%%\n<checkpoint note>...
//
// Each events line is parsed as the verifier of an export does (a damaged line is fed whole),
// then the checkpoints are opened with the key and checked against the rebuilt tree.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "service/audit/export_format.h"
#include "service/audit/log_verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gardefou::audit;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<absl::string_view> files;  // each with its last newline
  size_t start = 0;
  for (size_t at; (at = input.find("\n%%\n", start)) != absl::string_view::npos; start = at + 4) {
    files.push_back(input.substr(start, at + 1 - start));
  }
  files.push_back(input.substr(start));
  std::optional<VerifierKey> key;
  if (absl::StatusOr<VerifierKey> parsed = ParseVerifierKey(files[0]); parsed.ok()) key = *parsed;
  LogVerifier verifier(key);
  absl::string_view events = files.size() > 1 ? files[1] : absl::string_view();
  absl::ConsumeSuffix(&events, "\n");  // the last line's newline ends it, no empty line after
  if (!events.empty()) {
    for (absl::string_view line : absl::StrSplit(events, '\n')) {
      absl::StatusOr<ExportLine> event = ParseExportLine(line);
      verifier.FeedEvent(event.ok() ? event->canonical : line,
                         event.ok() ? event->hash : absl::string_view());
    }
  }
  std::vector<std::string> notes;
  for (size_t i = 2; i < files.size(); ++i) notes.emplace_back(files[i]);
  if (!key && !notes.empty()) return 0;  // refused before verifying, as by the command
  (void)verifier.Finish(std::move(notes), std::nullopt);
  return 0;
}
