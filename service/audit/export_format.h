// The exported trail, read by `gardefou audit verify DIR` with no database and no server:
//
//   DIR/events.jsonl          one line per event, in sequence order:
//                             {"event":<canonical bytes>,"hash":"<hex SHA-256 of them>"}
//                             (the canonical bytes are the Merkle leaf, see audit.proto)
//   DIR/checkpoints/<size>.note  every signed checkpoint (signed-note format)
//   DIR/log.pub               the log's verifier key ("<origin>+<hash>+<base64 key>")
//   DIR/README.txt            this description, for whoever receives the directory
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gardefou::audit {

inline constexpr char kEventsFile[] = "events.jsonl";
inline constexpr char kCheckpointsDir[] = "checkpoints";
inline constexpr char kPublicKeyFile[] = "log.pub";
inline constexpr char kReadmeFile[] = "README.txt";

// What README.txt says.
inline constexpr char kExportReadme[] =
    "gardefou audit trail export\n"
    "\n"
    "events.jsonl   one line per event, in sequence order:\n"
    "               {\"event\":<canonical JSON of the event>,\"hash\":\"<hex SHA-256 of it>\"}\n"
    "               Each event holds the hash of the one before (prev_hash). The canonical\n"
    "               bytes are also the leaves of an RFC 6962 Merkle tree (leaf hash =\n"
    "               SHA-256(0x00 || bytes), node hash = SHA-256(0x01 || left || right)).\n"
    "checkpoints/   signed tree heads, one file per tree size (transparency-dev signed notes:\n"
    "               origin, size, base64 root hash, then Ed25519 signature lines).\n"
    "log.pub        the log's public key (Go signed-note verifier key format). Compare it\n"
    "               with the one the school published or gave you before.\n"
    "\n"
    "Check it without any server or database:\n"
    "  gardefou audit verify DIR [--trusted-checkpoint NOTE]\n"
    "where NOTE is a checkpoint you kept from an earlier visit: it is what reveals a log\n"
    "rebuilt from scratch. Exit 0: intact; 1: tampered (the first bad event is named).\n";

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
