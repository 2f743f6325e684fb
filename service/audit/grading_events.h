// The trail's events of the grading objects' life — a roster replaced, an assignment created,
// a copy submitted, a review opened — and of an oversight read of the trail, typed: the
// workflow builds them and Parse reads them back through the same keys. Names stay out: ids,
// counts and hashes only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "service/audit/event_content.h"
#include "service/model/records.h"

namespace gardefou::audit {

// Each Parse: INVALID_ARGUMENT when `event` is another action, or lacks one of the objects or
// details its ToContent writes, or has one of another type.

// A class's roster replaced: how many teachers and students, never who.
struct RosterUpserted {
  static constexpr char kAction[] = "ROSTER_UPSERTED";
  std::string class_id;
  int teacher_count = 0;
  int student_count = 0;

  EventContent ToContent() const;
  static absl::StatusOr<RosterUpserted> Parse(const model::AuditEventRecord& event);
};

// An assignment created: its criteria's bounds and its teachers.
struct AssignmentCreated {
  static constexpr char kAction[] = "ASSIGNMENT_CREATED";
  struct Criterion {
    std::string id;
    double max_points = 0;
  };
  std::string assignment_id, class_id;
  std::vector<Criterion> criteria;
  std::vector<std::string> teacher_ids;
  bool blind_first = false;  // asked by the assignment (the policy may ask it too)
  bool high_stakes = false;  // every decision waits for a second mark

  EventContent ToContent() const;
  static absl::StatusOr<AssignmentCreated> Parse(const model::AuditEventRecord& event);
};

// A student's copy submitted: the hash and size of its text, never the text.
struct CopySubmitted {
  static constexpr char kAction[] = "COPY_SUBMITTED";
  std::string copy_id, assignment_id, student_id;
  std::string content_sha256;
  uint64_t size_bytes = 0;

  EventContent ToContent() const;
  static absl::StatusOr<CopySubmitted> Parse(const model::AuditEventRecord& event);
};

// A teacher opened a copy for review (the start of the review time a decision reports).
struct ReviewOpened {
  static constexpr char kAction[] = "REVIEW_OPENED";
  std::string copy_id, review_id, assignment_id, student_id;
  std::string teacher_id;

  EventContent ToContent() const;
  static absl::StatusOr<ReviewOpened> Parse(const model::AuditEventRecord& event);
};

// An oversight read of the trail (inspector, dpo, admin): the call and its filter; no objects.
struct TrailRead {
  static constexpr char kAction[] = "TRAIL_READ";
  std::string call;
  std::map<std::string, std::string> filter;

  EventContent ToContent() const;
  static absl::StatusOr<TrailRead> Parse(const model::AuditEventRecord& event);
};

}  // namespace gardefou::audit
