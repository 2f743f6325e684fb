// The canonical encoding of an audit event and the hash that chains events together.
// The encoding is specified atop proto/gardefou/v1/audit.proto; this is its only implementation.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "service/model/records.h"

namespace gardefou::audit {

// prev_hash of the first event: 64 zeros.
inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The canonical bytes of `event` (its hash field is ignored). Fails with INVALID_ARGUMENT when
// details_json is not a JSON object or a string is not valid UTF-8.
absl::StatusOr<std::string> CanonicalBytes(const model::AuditEventRecord& event);

// hex(SHA-256(CanonicalBytes(event))).
absl::StatusOr<std::string> EventHash(const model::AuditEventRecord& event);

}  // namespace gardefou::audit
