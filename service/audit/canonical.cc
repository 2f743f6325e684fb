// Canonical JSON of an audit event with nlohmann::json: std::map-backed objects give sorted
// keys and dump() without indent gives the compact form. Exceptions stop here.
#include "service/audit/canonical.h"

#include <nlohmann/json.hpp>

#include "service/common/hashing.h"

namespace gardefou::audit {

absl::StatusOr<std::string> CanonicalBytes(const model::AuditEventRecord& event) {
  nlohmann::json details = nlohmann::json::parse(event.details_json, nullptr, false);
  if (details.is_discarded() || !details.is_object()) {
    return absl::InvalidArgumentError("details are not a JSON object");
  }
  nlohmann::json objects = nlohmann::json::object();
  for (const auto& [key, value] : event.objects) objects[key] = value;
  const nlohmann::json canonical = {
      {"action", event.action},           {"actor_id", event.actor_id},
      {"actor_role", event.actor_role},   {"details", std::move(details)},
      {"objects", std::move(objects)},    {"policy_hash", event.policy_hash},
      {"prev_hash", event.prev_hash},     {"seq", event.seq},
      {"tenant", event.tenant},           {"time_us", event.time_us},
  };
  try {
    return canonical.dump();
  } catch (const nlohmann::json::exception&) {
    return absl::InvalidArgumentError("an event field is not valid UTF-8");
  }
}

absl::StatusOr<std::string> EventHash(const model::AuditEventRecord& event) {
  absl::StatusOr<std::string> bytes = CanonicalBytes(event);
  if (!bytes.ok()) return bytes.status();
  return common::Sha256Hex(*bytes);
}

}  // namespace gardefou::audit
