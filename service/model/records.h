// The domain's vocabulary, shared by every layer (workflow, store, audit, pseudonymiser,
// plugins, server): plain structs, no SQL, no protobuf. Enum values match the numbering of the
// public proto, so the edge converts with a cast (server/proto_convert.cc checks each value).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gardefou::model {

struct PersonRecord {
  std::string id;
  std::string first;
  std::string last;
  std::string title;
  std::string ine;
  std::vector<std::string> aliases;
};

struct SchoolRecord {
  std::string name;
  std::string uai;
  std::string city;
  std::string postcode;
};

struct RosterRecord {
  std::string class_id;
  SchoolRecord school;
  std::vector<PersonRecord> teachers;
  std::vector<PersonRecord> students;
};

struct CriterionRecord {
  std::string id;
  std::string label;
  double max_points = 0;
  std::vector<std::string> descriptors;
};

struct AssignmentRecord {
  std::string id;
  std::string class_id;
  std::string title;
  std::string instructions;
  std::vector<CriterionRecord> criteria;
  std::vector<std::string> teacher_ids;
  int64_t created_at_us = 0;
  bool blind_first = false;  // asked by the assignment; the policy may ask it too
  bool high_stakes = false;
};

enum class CopyState { kSubmitted = 1, kSuggested = 2, kInReview = 3, kSignedOff = 4 };

struct CopyRecord {
  std::string id;
  std::string assignment_id;
  std::string student_id;
  CopyState state = CopyState::kSubmitted;
  std::string content_sha256;
  std::string text;
  int64_t submitted_at_us = 0;
};

enum class Purpose { kCorrection = 1, kEvaluation = 2, kExtraWork = 3, kAiDetection = 4 };

struct CriterionProposalRecord {
  std::string criterion_id;
  double proposed_points = 0;
  std::string rationale;
};

struct AnnotationRecord {
  std::string excerpt;
  std::string comment;
};

struct ExtraWorkProposalRecord {
  std::string item_id;
  std::string description;
  std::string rationale;
};

struct SuggestionRecord {
  std::string id;
  std::string copy_id;
  Purpose purpose = Purpose::kCorrection;
  bool ready = false;  // false: FAILED, see failure_reason
  std::string provider;
  std::string model;
  bool heuristic = false;
  std::string summary;
  std::vector<CriterionProposalRecord> criteria;
  std::vector<AnnotationRecord> annotations;
  std::vector<ExtraWorkProposalRecord> extra_work;
  std::string failure_reason;
  std::vector<std::string> unknown_placeholders;  // in the answer, not in the mapping
  int64_t created_at_us = 0;
  std::string notice_text;     // the automation-bias notice in force when it was made
  std::string notice_version;
};

struct ReviewRecord {
  std::string id;
  std::string copy_id;
  std::string teacher_id;
  int64_t opened_at_us = 0;
  int64_t closed_at_us = 0;  // 0 while open
};

enum class Origin { kAcceptedSuggestion = 1, kModified = 2, kTeacherOnly = 3 };

struct ScoreRecord {
  std::string criterion_id;
  double points = 0;
  Origin origin = Origin::kTeacherOnly;
  std::optional<double> provisional_points = std::nullopt;  // in a decision: the blind-first mark
  std::optional<double> ai_points = std::nullopt;           // in a decision: the AI's proposal
};

// A teacher's marks before any suggestion (blind-first review).
struct ProvisionalScoresRecord {
  std::string review_id;
  std::string copy_id;
  std::string teacher_id;
  std::vector<ScoreRecord> scores;  // criterion_id and points only
  int64_t recorded_at_us = 0;
};

enum class ObjectionState { kActive = 1, kOverridden = 2, kWithdrawn = 3 };

// A family's objection to AI processing of a pupil's copies (GDPR Art. 21).
struct ObjectionRecord {
  std::string id;
  std::string class_id;
  std::string student_id;
  ObjectionState state = ObjectionState::kActive;
  std::string received_on;  // YYYY-MM-DD
  std::string recorded_by;
  int64_t recorded_at_us = 0;
  std::string overridden_by;
  std::string override_justification;
  int64_t overridden_at_us = 0;
  int64_t withdrawn_at_us = 0;
};

// The day a class's families were informed of AI assistance.
struct FamiliesInformedRecord {
  std::string class_id;
  std::string informed_on;  // YYYY-MM-DD
  std::string recorded_by;
  int64_t recorded_at_us = 0;
};

struct ExtraWorkItemRecord {
  std::string description;
  Origin origin = Origin::kTeacherOnly;
  std::string proposal_item_id;
};

struct DecisionRecord {
  std::string id;
  std::string copy_id;
  std::string assignment_id;
  std::string student_id;
  std::string teacher_id;
  std::string review_id;
  std::string evaluation_suggestion_id;
  std::string extra_work_suggestion_id;
  std::vector<ScoreRecord> scores;
  double total_points = 0;
  double max_points = 0;
  std::string final_comment;
  std::vector<ExtraWorkItemRecord> extra_work;
  bool active = true;
  std::string supersedes_id;
  std::string supersede_reason;
  std::string rationale;  // why every proposal was accepted fast, when the policy asked
  std::string notice_version;      // the automation-bias notice shown with the suggestions
  bool pending_second_mark = false;  // waits for SecondMark; not a grade yet
  std::string second_mark_reason;
  std::string second_marker_id;
  int64_t review_opened_at_us = 0;
  int64_t signed_at_us = 0;
};

// One entry of the release feed (grading.proto Release): what a gradebook may show.
struct ReleaseRecord {
  int64_t cursor = 0;  // assigned by the store
  std::string assignment_id;
  std::string student_id;
  std::string copy_id;
  bool fully_graded = false;  // false: PendingManual, no score
  double score_given = 0;
  double score_maximum = 0;
  std::string comment;
  std::string scoring_user_id;
  std::string decision_id;
  int64_t timestamp_us = 0;
};

// One audit event. `hash` and `prev_hash` are filled by the store when it appends.
struct AuditEventRecord {
  int64_t seq = 0;
  int64_t time_us = 0;
  std::string tenant;
  std::string actor_id;
  std::string actor_role;
  std::string action;
  std::map<std::string, std::string> objects;
  std::string policy_hash;
  std::string details_json = "{}";
  std::string prev_hash;
  std::string hash;
};

// A signed tree head of the audit log.
struct CheckpointRecord {
  int64_t tree_size = 0;
  std::string root;  // 32 raw bytes
  std::string note;  // the signed note, as served and exported
  int64_t signed_at_us = 0;
};

}  // namespace gardefou::model
