// Typed decision events: what the workflow writes is what the report reads back.
#include "service/audit/decision_events.h"
#include "tests/audit/event_checks.h"

#include <gtest/gtest.h>

namespace gardefou::audit {
namespace {

TEST(DecisionEvents, ASignedDecisionReadsBackAsWritten) {
  DecisionSigned signed_event;
  signed_event.copy_id = "cp-1";
  signed_event.decision_id = "dc-1";
  signed_event.review_id = "rv-1";
  signed_event.assignment_id = "as-1";
  signed_event.student_id = "s-1";
  signed_event.evaluation_suggestion_id = "sg-1";
  signed_event.teacher_id = "t-1";
  signed_event.teacher_role = "teacher";
  signed_event.review_opened_at_us = 10;
  signed_event.review_duration_ms = 42000;
  signed_event.criteria = {{"c-1", 4.5, 5, "MODIFIED", 6.0},
                           {"c-2", std::nullopt, 3, "TEACHER_ONLY", std::nullopt}};
  signed_event.total_points = 8;
  signed_event.max_points = 14;
  signed_event.extra_work = {{"TEACHER_ONLY", "", std::string(64, 'e')}};
  signed_event.final_comment_sha256 = std::string(64, 'f');

  const EventContent content = signed_event.ToContent();
  EXPECT_EQ(content.action, "DECISION_SIGNED");
  EXPECT_FALSE(content.objects.contains("extra_work_suggestion_id")) << "absent ids stay absent";
  absl::StatusOr<DecisionSigned> back = DecisionSigned::Parse(AsRecord(content));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->ToContent().objects, content.objects);
  EXPECT_EQ(back->ToContent().details_json, content.details_json);
  ASSERT_EQ(back->criteria.size(), 2u);
  EXPECT_EQ(back->criteria[0].ai_points, 4.5);
  EXPECT_FALSE(back->criteria[1].ai_points.has_value());
}

TEST(DecisionEvents, ParsingRefusesAnotherActionOrBrokenDetails) {
  DecisionSuperseded superseded{"dc-1", "dc-2", "cp-1", "s-1", std::string(64, 'r')};
  model::AuditEventRecord record = AsRecord(superseded.ToContent());
  EXPECT_EQ(DecisionSigned::Parse(record).status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<DecisionSuperseded> back = DecisionSuperseded::Parse(record);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->superseded_by, "dc-2");
  record.action = "DECISION_SIGNED";
  record.details_json = R"({"criteria": "not a list"})";
  EXPECT_EQ(DecisionSigned::Parse(record).status().code(), absl::StatusCode::kInvalidArgument);
  record.details_json = "[]";
  EXPECT_EQ(DecisionSigned::Parse(record).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gardefou::audit
