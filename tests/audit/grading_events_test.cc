// Typed grading events and TRAIL_READ: each writes the very bytes the workflow wrote before it
// was typed (its old code is kept below, verbatim but for its inputs), and reads back as written.
#include "service/audit/grading_events.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tests/audit/event_checks.h"

namespace gardefou::audit {
namespace {

using nlohmann::json;
using StringMap = std::map<std::string, std::string>;

constexpr char kSha[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

// workflow.cc's Dump before the typed events.
std::string Dump(const json& details) {
  return details.dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(GradingEvents, RosterUpsertedWritesTheOldContentAndReadsBack) {
  const RosterUpserted event{"class-3b", 2, 25};
  const EventContent content = event.ToContent();
  EXPECT_EQ(content.action, "ROSTER_UPSERTED");
  EXPECT_EQ(content.objects, (StringMap{{"class_id", "class-3b"}}));
  EXPECT_EQ(content.details_json, R"({"student_count":25,"teacher_count":2})");
  // The old code, with summary.teacher_count and summary.student_count (int).
  const int teacher_count = 2, student_count = 25;
  EXPECT_EQ(content.details_json,
            Dump({{"teacher_count", teacher_count}, {"student_count", student_count}}));

  absl::StatusOr<RosterUpserted> back = RosterUpserted::Parse(AsStored(content));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->class_id, "class-3b");
  EXPECT_EQ(back->teacher_count, 2);
  EXPECT_EQ(back->student_count, 25);
  ExpectParseRefusesIncompleteEvents<RosterUpserted>(content);
}

TEST(GradingEvents, AssignmentCreatedWritesTheOldContentAndReadsBack) {
  const AssignmentCreated event{"as-1", "class-3b", {{"c-1", 4}, {"c-2", 2.5}}, {"t-1", "t-2"}};
  const EventContent content = event.ToContent();
  EXPECT_EQ(content.action, "ASSIGNMENT_CREATED");
  EXPECT_EQ(content.objects, (StringMap{{"assignment_id", "as-1"}, {"class_id", "class-3b"}}));
  EXPECT_EQ(content.details_json,
            R"({"criteria":[{"id":"c-1","max_points":4.0},{"id":"c-2","max_points":2.5}],)"
            R"("teacher_ids":["t-1","t-2"]})");
  // The old code, over model::CriterionRecord (max_points double) and teacher_ids.
  const std::vector<std::pair<std::string, double>> criteria_in = {{"c-1", 4}, {"c-2", 2.5}};
  const std::vector<std::string> teacher_ids = {"t-1", "t-2"};
  json criteria = json::array();
  for (const auto& [id, max_points] : criteria_in) {
    criteria.push_back({{"id", id}, {"max_points", max_points}});
  }
  EXPECT_EQ(content.details_json, Dump({{"criteria", criteria}, {"teacher_ids", teacher_ids}}));

  absl::StatusOr<AssignmentCreated> back = AssignmentCreated::Parse(AsStored(content));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->ToContent().objects, content.objects);
  EXPECT_EQ(back->ToContent().details_json, content.details_json);
  ASSERT_EQ(back->criteria.size(), 2u);
  EXPECT_EQ(back->criteria[1].max_points, 2.5);
  ExpectParseRefusesIncompleteEvents<AssignmentCreated>(content);

  model::AuditEventRecord record = AsRecord(content);
  record.details_json = R"({"criteria":[{"id":"c-1"}],"teacher_ids":[]})";
  EXPECT_EQ(AssignmentCreated::Parse(record).status().code(), absl::StatusCode::kInvalidArgument)
      << "a criterion without its bound";
}

TEST(GradingEvents, AnAssignmentsOwnRulesAreWrittenOnlyWhenAskedAndReadBack) {
  const EventContent content =
      AssignmentCreated{"as-1", "class-3b", {}, {"t-1"}, true, true}.ToContent();
  EXPECT_EQ(content.details_json,
            R"({"blind_first":true,"criteria":[],"high_stakes":true,"teacher_ids":["t-1"]})");
  absl::StatusOr<AssignmentCreated> back = AssignmentCreated::Parse(AsRecord(content));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->blind_first);
  EXPECT_TRUE(back->high_stakes);
  model::AuditEventRecord record = AsRecord(content);
  record.details_json = R"({"criteria":[],"high_stakes":"yes","teacher_ids":[]})";
  EXPECT_EQ(AssignmentCreated::Parse(record).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(GradingEvents, AnAssignmentWithoutTeachersStillWritesItsLists) {
  const EventContent content = AssignmentCreated{"as-1", "class-3b", {}, {}}.ToContent();
  EXPECT_EQ(content.details_json, R"({"criteria":[],"teacher_ids":[]})");
  EXPECT_EQ(content.details_json,
            Dump({{"criteria", json::array()}, {"teacher_ids", std::vector<std::string>{}}}));
  EXPECT_TRUE(AssignmentCreated::Parse(AsRecord(content)).ok());
}

TEST(GradingEvents, CopySubmittedWritesTheOldContentAndReadsBack) {
  const CopySubmitted event{"cp-1", "as-1", "s-1", kSha, 1234};
  const EventContent content = event.ToContent();
  EXPECT_EQ(content.action, "COPY_SUBMITTED");
  EXPECT_EQ(content.objects,
            (StringMap{{"copy_id", "cp-1"}, {"assignment_id", "as-1"}, {"student_id", "s-1"}}));
  EXPECT_EQ(content.details_json,
            absl::StrCat(R"({"content_sha256":")", kSha, R"(","size_bytes":1234})"));
  // The old code, with copy.text.size() (size_t).
  const std::string text(1234, 'x');
  EXPECT_EQ(content.details_json,
            Dump({{"content_sha256", std::string(kSha)}, {"size_bytes", text.size()}}));

  absl::StatusOr<CopySubmitted> back = CopySubmitted::Parse(AsStored(content));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->copy_id, "cp-1");
  EXPECT_EQ(back->assignment_id, "as-1");
  EXPECT_EQ(back->student_id, "s-1");
  EXPECT_EQ(back->content_sha256, kSha);
  EXPECT_EQ(back->size_bytes, 1234u);
  ExpectParseRefusesIncompleteEvents<CopySubmitted>(content);

  model::AuditEventRecord record = AsRecord(content);
  record.details_json = R"({"content_sha256":"x","size_bytes":-1})";
  EXPECT_EQ(CopySubmitted::Parse(record).status().code(), absl::StatusCode::kInvalidArgument);
  record.details_json = R"({"content_sha256":"x","size_bytes":1.5})";
  EXPECT_EQ(CopySubmitted::Parse(record).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(GradingEvents, ReviewOpenedWritesTheOldContentAndReadsBack) {
  const ReviewOpened event{"cp-1", "rv-1", "as-1", "s-1", "t-1"};
  const EventContent content = event.ToContent();
  EXPECT_EQ(content.action, "REVIEW_OPENED");
  EXPECT_EQ(content.objects, (StringMap{{"copy_id", "cp-1"},
                                        {"review_id", "rv-1"},
                                        {"assignment_id", "as-1"},
                                        {"student_id", "s-1"}}));
  EXPECT_EQ(content.details_json, R"({"teacher_id":"t-1"})");
  const std::string actor_id = "t-1";  // the old code: ctx.actor_id
  EXPECT_EQ(content.details_json, Dump({{"teacher_id", actor_id}}));

  absl::StatusOr<ReviewOpened> back = ReviewOpened::Parse(AsStored(content));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->ToContent().objects, content.objects);
  EXPECT_EQ(back->teacher_id, "t-1");
  ExpectParseRefusesIncompleteEvents<ReviewOpened>(content);
}

TEST(GradingEvents, TrailReadWritesTheOldContentAndReadsBack) {
  const StringMap filter = {{"action", "DECISION_SIGNED"}, {"object_id", ""}, {"actor_id", ""}};
  const TrailRead event{"ListEvents", filter};
  const EventContent content = event.ToContent();
  EXPECT_EQ(content.action, "TRAIL_READ");
  EXPECT_TRUE(content.objects.empty());
  EXPECT_EQ(content.details_json,
            R"({"call":"ListEvents","filter":{"action":"DECISION_SIGNED","actor_id":"",)"
            R"("object_id":""}})");
  // The old code, with `call` an absl::string_view.
  const absl::string_view call = "ListEvents";
  EXPECT_EQ(content.details_json, Dump(json{{"call", call}, {"filter", filter}}));

  absl::StatusOr<TrailRead> back = TrailRead::Parse(AsStored(content));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->call, "ListEvents");
  EXPECT_EQ(back->filter, filter);
  ExpectParseRefusesIncompleteEvents<TrailRead>(content);

  const EventContent unfiltered = TrailRead{"VerifyTrail", {}}.ToContent();
  EXPECT_EQ(unfiltered.details_json, R"({"call":"VerifyTrail","filter":{}})");
  EXPECT_EQ(unfiltered.details_json,
            Dump(json{{"call", absl::string_view("VerifyTrail")}, {"filter", StringMap{}}}));
  ASSERT_TRUE(TrailRead::Parse(AsRecord(unfiltered)).ok());
  EXPECT_TRUE(TrailRead::Parse(AsRecord(unfiltered))->filter.empty());
}

}  // namespace
}  // namespace gardefou::audit
