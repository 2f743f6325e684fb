// Who is calling, for which tenant: filled from request metadata by the server, in one place.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace gardefou::workflow {

struct CallContext {
  std::string tenant;    // the school
  std::string actor_id;  // the caller's LMS id; a teacher id for teachers
  std::string role;      // lms, teacher, inspector, dpo or admin
  // How the caller was proven, recorded with every audit event it causes: "verified" (client
  // certificate, and a signed token for people) or "dev-headers" (trusted as sent: loopback
  // development only).
  std::string identity_mode = "dev-headers";
  std::string integration;   // verified: the integration whose certificate made the call
  std::string issuer;        // verified person: the [issuer] section whose token was checked
  std::string token_id;      // verified person: the token's jti, else its SHA-256 (never the token)
  // Whole-log figures (checkpoints, consistency proofs, trail counts) are for log-wide callers
  // only; a tenant-scoped caller sees its tenant's share.
  bool log_wide = true;
  // An inspector's token may limit its reads to a period (microseconds, 0: open).
  int64_t scope_from_us = 0;
  int64_t scope_until_us = 0;
  // The caller's deadline and cancellation, passed on to slow work (provider calls).
  std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();
  std::function<bool()> cancelled = [] { return false; };
};

// Identifies a mutating request for idempotency: a replay of (method, request_id) with the same
// fingerprint gets the first answer; with another fingerprint it is refused.
struct RequestKey {
  std::string method;       // e.g. "SubmitCopy"
  std::string request_id;   // chosen by the client
  std::string fingerprint;  // hash of the caller and the request's content
};

}  // namespace gardefou::workflow
