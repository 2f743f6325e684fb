// Who is calling, for which tenant: filled from request metadata by the server, in one place.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace gardefou::workflow {

struct CallContext {
  std::string tenant;    // the school
  std::string actor_id;  // the caller's LMS id; a teacher id for teachers
  std::string role;      // lms, teacher, inspector, dpo or admin
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
