// Checks shared by the typed events' tests: an event as the trail holds it, and Parse refusing
// another action or any missing object or detail.
#pragma once

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "service/audit/event_content.h"
#include "service/model/records.h"

namespace gardefou::audit {

inline model::AuditEventRecord AsRecord(const EventContent& content) {
  model::AuditEventRecord record;
  record.seq = 7;
  record.action = content.action;
  record.objects = content.objects;
  record.details_json = content.details_json;
  return record;
}

// As the workflow stores it: the details gain how the caller was proven, which Parse ignores.
inline model::AuditEventRecord AsStored(const EventContent& content) {
  model::AuditEventRecord record = AsRecord(content);
  nlohmann::json details = nlohmann::json::parse(content.details_json);
  details["caller"] = {{"identity_mode", "dev-headers"}};
  record.details_json = details.dump();
  return record;
}

// Parse(content) succeeds; under another action, without any one of its objects or top-level
// details, or with a detail of another type, it is INVALID_ARGUMENT.
template <typename Event>
void ExpectParseRefusesIncompleteEvents(const EventContent& content) {
  ASSERT_TRUE(Event::Parse(AsRecord(content)).ok()) << Event::Parse(AsRecord(content)).status();
  ASSERT_TRUE(Event::Parse(AsStored(content)).ok()) << Event::Parse(AsStored(content)).status();

  model::AuditEventRecord other = AsRecord(content);
  other.action = "DECISION_SIGNED";
  EXPECT_EQ(Event::Parse(other).status().code(), absl::StatusCode::kInvalidArgument);

  for (const auto& [key, value] : content.objects) {
    model::AuditEventRecord record = AsRecord(content);
    record.objects.erase(key);
    EXPECT_EQ(Event::Parse(record).status().code(), absl::StatusCode::kInvalidArgument)
        << "without the object " << key;
  }
  const nlohmann::json details = nlohmann::json::parse(content.details_json);
  for (const auto& item : details.items()) {
    model::AuditEventRecord record = AsRecord(content);
    nlohmann::json without = details;
    without.erase(item.key());
    record.details_json = without.dump();
    EXPECT_EQ(Event::Parse(record).status().code(), absl::StatusCode::kInvalidArgument)
        << "without the detail " << item.key();
    nlohmann::json mistyped = details;
    mistyped[item.key()] = item.value().is_string() ? nlohmann::json(-1) : nlohmann::json("x");
    record.details_json = mistyped.dump();
    EXPECT_EQ(Event::Parse(record).status().code(), absl::StatusCode::kInvalidArgument)
        << "with a mistyped " << item.key();
  }

  model::AuditEventRecord broken = AsRecord(content);
  broken.details_json = "[]";
  EXPECT_EQ(Event::Parse(broken).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace gardefou::audit
