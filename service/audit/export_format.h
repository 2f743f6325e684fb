// The exported trail, read by `gardefou audit verify DIR` with no database and no server:
//
//   DIR/events.jsonl          one line per event, in sequence order:
//                             {"event":<canonical bytes>,"hash":"<hex SHA-256 of them>"}
//                             (the canonical bytes are the Merkle leaf, see audit.proto)
//   DIR/checkpoints/<size>.note  every signed checkpoint (signed-note format)
//   DIR/log.pub               the log's verifier key ("<origin>+<hash>+<base64 key>")
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gardefou::audit {

inline constexpr char kEventsFile[] = "events.jsonl";
inline constexpr char kCheckpointsDir[] = "checkpoints";
inline constexpr char kPublicKeyFile[] = "log.pub";

struct ExportLine {
  absl::string_view canonical;  // views into the line
  absl::string_view hash;
};

std::string FormatExportLine(absl::string_view canonical, absl::string_view hash);
// INVALID_ARGUMENT when the line is not of that shape.
absl::StatusOr<ExportLine> ParseExportLine(absl::string_view line);

// "checkpoints/000000001234.note": names sort in tree order.
std::string CheckpointFileName(int64_t tree_size);

// The seq and prev_hash fields of canonical event bytes, read without a JSON parser (the keys
// are sorted, so these are the last "prev_hash" and "seq" keys of the object).
struct ChainFields {
  int64_t seq = 0;
  absl::string_view prev_hash;
};
absl::StatusOr<ChainFields> ReadChainFields(absl::string_view canonical);

}  // namespace gardefou::audit
