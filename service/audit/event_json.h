// JSON helpers of the typed events' sources (decision_events.cc, grading_events.cc,
// suggestion_events.cc), internal to gardefou_audit, the only one to link nlohmann_json.
// Nothing here throws: a value is type-checked before it is read.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "service/model/records.h"

namespace gardefou::audit::event_json {

using json = nlohmann::json;

// Details as the trail writes them: compact, keys sorted, invalid UTF-8 replaced.
inline std::string Dump(const json& details) {
  return details.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The event's details as an object, after checking its action.
inline absl::StatusOr<json> DetailsOf(const model::AuditEventRecord& event,
                                      absl::string_view action) {
  if (event.action != action) {
    return absl::InvalidArgumentError(absl::StrCat("event ", event.seq, " is not ", action));
  }
  json details = json::parse(event.details_json, nullptr, false);
  if (!details.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.seq, ": details are not an object"));
  }
  return details;
}

// The object `key`, empty when absent.
inline std::string Object(const model::AuditEventRecord& event, const char* key) {
  auto it = event.objects.find(key);
  return it == event.objects.end() ? "" : it->second;
}

// The object `key`; INVALID_ARGUMENT when absent.
inline absl::StatusOr<std::string> RequiredObject(const model::AuditEventRecord& event,
                                                  const char* key) {
  auto it = event.objects.find(key);
  if (it == event.objects.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.seq, ": ", event.action, " lacks the object ", key));
  }
  return it->second;
}

template <typename T>
struct IsStringMap : std::false_type {};
template <typename V>
struct IsStringMap<std::map<std::string, V>> : std::true_type {};
template <typename T>
struct IsVector : std::false_type {};
template <typename V>
struct IsVector<std::vector<V>> : std::true_type {};

// Whether `value` reads as a T with neither a throw nor a silent conversion (an integer field
// refuses 1.5, a count refuses -1).
template <typename T>
bool Holds(const json& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    return value.is_string();
  } else if constexpr (std::is_same_v<T, bool>) {
    return value.is_boolean();
  } else if constexpr (std::is_same_v<T, double>) {
    return value.is_number();
  } else if constexpr (std::is_integral_v<T>) {
    if (value.is_number_unsigned()) {
      return value.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<T>::max());
    }
    if (!value.is_number_integer()) return false;
    const int64_t v = value.get<int64_t>();
    if constexpr (std::is_unsigned_v<T>) {
      return v >= 0 && static_cast<uint64_t>(v) <= std::numeric_limits<T>::max();
    } else {
      return v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max();
    }
  } else if constexpr (IsStringMap<T>::value) {
    if (!value.is_object()) return false;
    for (const auto& item : value.items()) {
      if (!Holds<typename T::mapped_type>(item.value())) return false;
    }
    return true;
  } else if constexpr (IsVector<T>::value) {
    if (!value.is_array()) return false;
    for (const auto& item : value) {
      if (!Holds<typename T::value_type>(item)) return false;
    }
    return true;
  } else {
    static_assert(sizeof(T) == 0, "no check for this type");
  }
}

// details[key] as a T; INVALID_ARGUMENT when absent or of another type.
template <typename T>
absl::StatusOr<T> Field(const json& details, const char* key,
                        const model::AuditEventRecord& event) {
  const auto it = details.find(key);
  if (it == details.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.seq, ": ", event.action, " details lack ", key));
  }
  if (!Holds<T>(*it)) {
    return absl::InvalidArgumentError(absl::StrCat("event ", event.seq, ": ", event.action,
                                                   " field ", key, " has the wrong type"));
  }
  return it->template get<T>();
}

}  // namespace gardefou::audit::event_json
