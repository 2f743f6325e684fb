// What a typed audit event (decision_events.h, grading_events.h, suggestion_events.h) becomes
// in the trail: its action, objects and details; the workflow adds time, tenant, actor, policy
// and how the caller was proven.
#pragma once

#include <map>
#include <string>

namespace gardefou::audit {

struct EventContent {
  std::string action;
  std::map<std::string, std::string> objects;
  std::string details_json;
};

}  // namespace gardefou::audit
