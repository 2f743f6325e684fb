// The tables every engine stores, with their columns in one fixed order: what `gardefou store
// copy` moves from one engine to another, row by row, without knowing either engine's SQL.
// Listed parents first, so that rows can be inserted in this order.
#pragma once

#include <vector>

#include "absl/strings/string_view.h"

namespace gardefou::store {

struct Column {
  absl::string_view name;
  bool binary = false;  // bytes (BLOB, BYTEA) rather than text or an integer
};

struct TableSpec {
  absl::string_view name;
  std::vector<Column> columns;
  absl::string_view key;  // the ORDER BY that lists the rows in insertion order
};

inline const std::vector<TableSpec>& Tables() {
  static const auto* const tables = new std::vector<TableSpec>{
      {"roster_classes",
       {{"tenant"}, {"class_id"}, {"school_json"}, {"updated_at_us"}},
       "tenant, class_id"},
      {"roster_people",
       {{"tenant"}, {"class_id"}, {"kind"}, {"person_id"}, {"person_json"}},
       "tenant, class_id, kind, person_id"},
      {"assignments",
       {{"tenant"}, {"assignment_id"}, {"class_id"}, {"content_json"}, {"created_at_us"}},
       "tenant, assignment_id"},
      {"copies",
       {{"tenant"},
        {"copy_id"},
        {"assignment_id"},
        {"student_id"},
        {"state"},
        {"content_sha256"},
        {"text", true},
        {"submitted_at_us"}},
       "tenant, copy_id"},
      {"suggestions",
       {{"tenant"}, {"suggestion_id"}, {"copy_id"}, {"content_json"}, {"created_at_us"}},
       "tenant, suggestion_id"},
      {"reviews",
       {{"tenant"},
        {"review_id"},
        {"copy_id"},
        {"teacher_id"},
        {"opened_at_us"},
        {"closed_at_us"}},
       "tenant, review_id"},
      {"decisions",
       {{"seq"},
        {"tenant"},
        {"decision_id"},
        {"copy_id"},
        {"assignment_id"},
        {"active"},
        {"content_json"}},
       "seq"},
      {"provisional_scores",
       {{"tenant"}, {"review_id"}, {"copy_id"}, {"content_json"}, {"recorded_at_us"}},
       "tenant, review_id"},
      {"families_informed",
       {{"tenant"}, {"class_id"}, {"informed_on"}, {"recorded_by"}, {"recorded_at_us"}},
       "tenant, class_id"},
      {"objections",
       {{"tenant"},
        {"objection_id"},
        {"class_id"},
        {"student_id"},
        {"content_json"},
        {"recorded_at_us"}},
       "tenant, objection_id"},
      {"releases",
       {{"seq"},
        {"tenant"},
        {"assignment_id"},
        {"student_id"},
        {"content_json"},
        {"timestamp_us"}},
       "seq"},
      {"idempotency",
       {{"tenant"},
        {"method"},
        {"request_id"},
        {"fingerprint"},
        {"response", true},
        {"created_at_us"},
        {"response_sha256"},
        {"object_id"}},
       "tenant, method, request_id"},
      {"audit_events",
       {{"seq"},
        {"time_us"},
        {"tenant"},
        {"actor_id"},
        {"actor_role"},
        {"action"},
        {"objects_json"},
        {"policy_hash"},
        {"details_json"},
        {"prev_hash"},
        {"hash"}},
       "seq"},
      {"merkle_nodes", {{"level"}, {"idx"}, {"hash", true}}, "level, idx"},
      {"checkpoints",
       {{"tree_size"}, {"root", true}, {"note"}, {"signed_at_us"}},
       "tree_size"},
  };
  return *tables;
}

}  // namespace gardefou::store
