// JSON forms of the grading objects' events and of TRAIL_READ: the very objects and details the
// workflow has always written (tests/audit/grading_events_test.cc holds their bytes).
#include "service/audit/grading_events.h"

#include "service/audit/event_json.h"
#include "service/common/status_macros.h"

namespace gardefou::audit {
namespace {

using event_json::DetailsOf;
using event_json::Dump;
using event_json::Field;
using event_json::json;
using event_json::RequiredObject;
using Strings = std::vector<std::string>;
using StringMap = std::map<std::string, std::string>;

}  // namespace

EventContent RosterUpserted::ToContent() const {
  return {kAction,
          {{"class_id", class_id}},
          Dump({{"teacher_count", teacher_count}, {"student_count", student_count}})};
}

absl::StatusOr<RosterUpserted> RosterUpserted::Parse(const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, kAction));
  RosterUpserted out;
  ASSIGN_OR_RETURN(out.class_id, RequiredObject(event, "class_id"));
  ASSIGN_OR_RETURN(out.teacher_count, Field<int>(d, "teacher_count", event));
  ASSIGN_OR_RETURN(out.student_count, Field<int>(d, "student_count", event));
  return out;
}

EventContent AssignmentCreated::ToContent() const {
  json criteria_json = json::array();
  for (const auto& c : criteria) {
    criteria_json.push_back({{"id", c.id}, {"max_points", c.max_points}});
  }
  json details = {{"criteria", criteria_json}, {"teacher_ids", teacher_ids}};
  if (blind_first) details["blind_first"] = true;  // written only when asked: older events
  if (high_stakes) details["high_stakes"] = true;  // read the same
  return {kAction, {{"assignment_id", assignment_id}, {"class_id", class_id}}, Dump(details)};
}

absl::StatusOr<AssignmentCreated> AssignmentCreated::Parse(const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, kAction));
  AssignmentCreated out;
  ASSIGN_OR_RETURN(out.assignment_id, RequiredObject(event, "assignment_id"));
  ASSIGN_OR_RETURN(out.class_id, RequiredObject(event, "class_id"));
  ASSIGN_OR_RETURN(out.teacher_ids, Field<Strings>(d, "teacher_ids", event));
  // Written only when true.
  for (const auto& [key, flag] : {std::pair{"blind_first", &out.blind_first},
                                  std::pair{"high_stakes", &out.high_stakes}}) {
    const auto it = d.find(key);
    if (it == d.end()) continue;
    if (!it->is_boolean()) {
      return absl::InvalidArgumentError(
          absl::StrCat("event ", event.seq, ": ", kAction, " has a ", key, " that is no boolean"));
    }
    *flag = it->get<bool>();
  }
  const auto criteria = d.find("criteria");
  if (criteria == d.end() || !criteria->is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.seq, ": ", kAction, " details lack a criteria list"));
  }
  for (const json& c : *criteria) {
    if (!c.is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat("event ", event.seq, ": a criterion is not an object"));
    }
    Criterion criterion;
    ASSIGN_OR_RETURN(criterion.id, Field<std::string>(c, "id", event));
    ASSIGN_OR_RETURN(criterion.max_points, Field<double>(c, "max_points", event));
    out.criteria.push_back(std::move(criterion));
  }
  return out;
}

EventContent CopySubmitted::ToContent() const {
  return {kAction,
          {{"copy_id", copy_id}, {"assignment_id", assignment_id}, {"student_id", student_id}},
          Dump({{"content_sha256", content_sha256}, {"size_bytes", size_bytes}})};
}

absl::StatusOr<CopySubmitted> CopySubmitted::Parse(const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, kAction));
  CopySubmitted out;
  ASSIGN_OR_RETURN(out.copy_id, RequiredObject(event, "copy_id"));
  ASSIGN_OR_RETURN(out.assignment_id, RequiredObject(event, "assignment_id"));
  ASSIGN_OR_RETURN(out.student_id, RequiredObject(event, "student_id"));
  ASSIGN_OR_RETURN(out.content_sha256, Field<std::string>(d, "content_sha256", event));
  ASSIGN_OR_RETURN(out.size_bytes, Field<uint64_t>(d, "size_bytes", event));
  return out;
}

EventContent ReviewOpened::ToContent() const {
  return {kAction,
          {{"copy_id", copy_id},
           {"review_id", review_id},
           {"assignment_id", assignment_id},
           {"student_id", student_id}},
          Dump({{"teacher_id", teacher_id}})};
}

absl::StatusOr<ReviewOpened> ReviewOpened::Parse(const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, kAction));
  ReviewOpened out;
  ASSIGN_OR_RETURN(out.copy_id, RequiredObject(event, "copy_id"));
  ASSIGN_OR_RETURN(out.review_id, RequiredObject(event, "review_id"));
  ASSIGN_OR_RETURN(out.assignment_id, RequiredObject(event, "assignment_id"));
  ASSIGN_OR_RETURN(out.student_id, RequiredObject(event, "student_id"));
  ASSIGN_OR_RETURN(out.teacher_id, Field<std::string>(d, "teacher_id", event));
  return out;
}

EventContent TrailRead::ToContent() const {
  return {kAction, {}, Dump({{"call", call}, {"filter", filter}})};
}

absl::StatusOr<TrailRead> TrailRead::Parse(const model::AuditEventRecord& event) {
  ASSIGN_OR_RETURN(const json d, DetailsOf(event, kAction));
  TrailRead out;
  ASSIGN_OR_RETURN(out.call, Field<std::string>(d, "call", event));
  ASSIGN_OR_RETURN(out.filter, Field<StringMap>(d, "filter", event));
  return out;
}

}  // namespace gardefou::audit
