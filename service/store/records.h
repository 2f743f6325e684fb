// What the store's queries take and give beyond the domain's records (service/model):
// listing filters and stored idempotent replies.
#pragma once

#include <cstdint>
#include <string>

#include "service/model/records.h"

namespace gardefou::store {

// Filters for listing audit events; empty fields do not filter.
struct AuditQuery {
  std::string tenant;
  std::string action;
  std::string object_id;
  std::string actor_id;
  int64_t since_us = 0;
  int64_t until_us = 0;
  int64_t after_seq = 0;
  int limit = 100;
};

// What a replayed request finds: the fingerprint it was given with, and the reply to that
// request_id: the bytes themselves, or for a large reply the id of the
// object it returned and the SHA-256 (hex) of the bytes, which are rebuilt from that object.
struct IdempotentReply {
  std::string fingerprint;
  std::string response;         // empty when kept by reference
  std::string response_sha256;  // set when kept by reference
  std::string object_id;        // set when kept by reference
};

}  // namespace gardefou::store
