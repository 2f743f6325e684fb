// Typed egress events: each writes the very bytes the workflow wrote before it was typed (its
// old code is kept below, verbatim but for its inputs), and reads back as written.
#include "service/audit/suggestion_events.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tests/audit/event_checks.h"

namespace gardefou::audit {
namespace {

using nlohmann::json;
using Counts = std::map<std::string, int>;
using StringMap = std::map<std::string, std::string>;

constexpr char kCopySha[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
constexpr char kPayloadSha[] = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

// workflow.cc's Dump before the typed events.
std::string Dump(const json& details) {
  return details.dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(SuggestionEvents, EgressBlockedWritesTheOldContentAndReadsBack) {
  const EgressBlocked event{"cp-1", "as-1", "s-1", "vendor", "EVALUATION",
                            {{"INE", 1}, {"PHONE", 2}}, {{"PERSON", 3}}, kPayloadSha};
  const EventContent content = event.ToContent();
  EXPECT_EQ(content.action, "EGRESS_BLOCKED");
  EXPECT_EQ(content.objects,
            (StringMap{{"copy_id", "cp-1"}, {"assignment_id", "as-1"}, {"student_id", "s-1"}}));
  EXPECT_EQ(content.details_json,
            absl::StrCat(R"({"blocked":{"INE":1,"PHONE":2},"entity_counts":{"PERSON":3},)",
                         R"("payload_sha256":")", kPayloadSha,
                         R"(","provider":"vendor","purpose":"EVALUATION"})"));
  // The old code: plan.provider_name, PurposeName() (an absl::string_view) and EgressResult's
  // maps.
  const std::string provider_name = "vendor";
  const absl::string_view purpose = "EVALUATION";
  const Counts blocked = {{"INE", 1}, {"PHONE", 2}}, entity_counts = {{"PERSON", 3}};
  const std::string payload_sha256 = kPayloadSha;
  EXPECT_EQ(content.details_json, Dump({{"provider", provider_name},
                                        {"purpose", purpose},
                                        {"blocked", blocked},
                                        {"entity_counts", entity_counts},
                                        {"payload_sha256", payload_sha256}}));

  absl::StatusOr<EgressBlocked> back = EgressBlocked::Parse(AsStored(content));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->ToContent().objects, content.objects);
  EXPECT_EQ(back->ToContent().details_json, content.details_json);
  EXPECT_EQ(back->blocked, blocked);
  EXPECT_EQ(back->purpose, "EVALUATION");
  ExpectParseRefusesIncompleteEvents<EgressBlocked>(content);

  model::AuditEventRecord record = AsRecord(content);
  record.details_json = R"({"blocked":{"INE":"one"},"entity_counts":{},"payload_sha256":"",)"
                        R"("provider":"vendor","purpose":"EVALUATION"})";
  EXPECT_EQ(EgressBlocked::Parse(record).status().code(), absl::StatusCode::kInvalidArgument)
      << "a count that is not a number";
}

TEST(SuggestionEvents, EmptyCountsAreWrittenAsEmptyObjects) {
  const EventContent content =
      EgressBlocked{"cp-1", "as-1", "s-1", "vendor", "CORRECTION", {{"EMAIL", 1}}, {}, ""}
          .ToContent();
  EXPECT_NE(content.details_json.find(R"("entity_counts":{})"), std::string::npos)
      << content.details_json;
  ASSERT_TRUE(EgressBlocked::Parse(AsRecord(content)).ok());
  EXPECT_TRUE(EgressBlocked::Parse(AsRecord(content))->entity_counts.empty());
}

SuggestionRecorded ReadyEvaluation() {
  SuggestionRecorded event;
  event.copy_id = "cp-1";
  event.suggestion_id = "sg-1";
  event.assignment_id = "as-1";
  event.student_id = "s-1";
  event.provider = "vendor";
  event.model = "vendor-model-7";
  event.purpose = "EVALUATION";
  event.ready = true;
  event.copy_sha256 = kCopySha;
  event.payload_sha256 = kPayloadSha;
  event.latency_ms = 420;
  event.entity_counts = {{"PERSON", 1}, {"PLACE", 2}};
  event.guarantees = {true, 0, false};
  event.proposed_points = {{"c1", 3}, {"c2", 1.5}};
  event.annotation_count = 2;
  event.extra_work_count = 0;
  return event;
}

// The old code, over a model::SuggestionRecord's fields, EgressResult and ProviderInfo.
std::string OldSuggestionDetails(const SuggestionRecorded& in) {
  struct Proposal {
    std::string criterion_id;
    double proposed_points;
  };
  std::vector<Proposal> criteria;
  for (const auto& [id, points] : in.proposed_points) criteria.push_back({id, points});
  const std::vector<int> annotations(in.annotation_count), extra_work(in.extra_work_count);
  const absl::string_view purpose = in.purpose;
  const bool ready = in.ready;

  json proposed = json::object();
  for (const auto& p : criteria) proposed[p.criterion_id] = p.proposed_points;
  json details = {{"provider", in.provider},
                  {"model", in.model},
                  {"purpose", purpose},
                  {"outcome", ready ? "READY" : "FAILED"},
                  {"copy_sha256", in.copy_sha256},
                  {"payload_sha256", in.payload_sha256},
                  {"latency_ms", in.latency_ms},
                  {"entity_counts", in.entity_counts},
                  {"guarantees", {{"eu_residency", in.guarantees.eu_residency},
                                  {"retention_days", in.guarantees.retention_days},
                                  {"used_for_training", in.guarantees.used_for_training}}},
                  {"proposed_points", proposed},
                  {"annotation_count", annotations.size()},
                  {"extra_work_count", extra_work.size()}};
  if (!ready) details["failure_reason"] = in.failure_reason;
  return Dump(details);
}

TEST(SuggestionEvents, AReadySuggestionWritesTheOldContentAndReadsBack) {
  const SuggestionRecorded event = ReadyEvaluation();
  const EventContent content = event.ToContent();
  EXPECT_EQ(content.action, "SUGGESTION_RECORDED");
  EXPECT_EQ(content.objects, (StringMap{{"copy_id", "cp-1"},
                                        {"suggestion_id", "sg-1"},
                                        {"assignment_id", "as-1"},
                                        {"student_id", "s-1"}}));
  EXPECT_EQ(content.details_json,
            absl::StrCat(R"({"annotation_count":2,"copy_sha256":")", kCopySha,
                         R"(","entity_counts":{"PERSON":1,"PLACE":2},"extra_work_count":0,)",
                         R"("guarantees":{"eu_residency":true,"retention_days":0,)",
                         R"("used_for_training":false},"latency_ms":420,)",
                         R"("model":"vendor-model-7","outcome":"READY","payload_sha256":")",
                         kPayloadSha, R"(","proposed_points":{"c1":3.0,"c2":1.5},)",
                         R"("provider":"vendor","purpose":"EVALUATION"})"));
  EXPECT_EQ(content.details_json, OldSuggestionDetails(event));

  absl::StatusOr<SuggestionRecorded> back = SuggestionRecorded::Parse(AsStored(content));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->ToContent().objects, content.objects);
  EXPECT_EQ(back->ToContent().details_json, content.details_json);
  EXPECT_TRUE(back->ready);
  EXPECT_EQ(back->proposed_points, (std::map<std::string, double>{{"c1", 3}, {"c2", 1.5}}));
  EXPECT_TRUE(back->guarantees.eu_residency);
  EXPECT_FALSE(back->guarantees.used_for_training);
  ExpectParseRefusesIncompleteEvents<SuggestionRecorded>(content);

  model::AuditEventRecord record = AsRecord(content);
  json details = json::parse(content.details_json);
  details["guarantees"].erase("retention_days");
  record.details_json = details.dump();
  EXPECT_EQ(SuggestionRecorded::Parse(record).status().code(),
            absl::StatusCode::kInvalidArgument);
  details = json::parse(content.details_json);
  details["outcome"] = "MAYBE";
  record.details_json = details.dump();
  EXPECT_EQ(SuggestionRecorded::Parse(record).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SuggestionEvents, AFailedSuggestionWritesItsReasonAndNeedsIt) {
  SuggestionRecorded event = ReadyEvaluation();
  event.ready = false;
  event.model = "configured-model";
  event.proposed_points.clear();
  event.annotation_count = 0;
  event.latency_ms = 30000;
  event.failure_reason = "the provider did not answer in time";
  const EventContent content = event.ToContent();
  EXPECT_EQ(content.details_json,
            absl::StrCat(R"({"annotation_count":0,"copy_sha256":")", kCopySha,
                         R"(","entity_counts":{"PERSON":1,"PLACE":2},"extra_work_count":0,)",
                         R"("failure_reason":"the provider did not answer in time",)",
                         R"("guarantees":{"eu_residency":true,"retention_days":0,)",
                         R"("used_for_training":false},"latency_ms":30000,)",
                         R"("model":"configured-model","outcome":"FAILED","payload_sha256":")",
                         kPayloadSha, R"(","proposed_points":{},)",
                         R"("provider":"vendor","purpose":"EVALUATION"})"));
  EXPECT_EQ(content.details_json, OldSuggestionDetails(event));

  absl::StatusOr<SuggestionRecorded> back = SuggestionRecorded::Parse(AsStored(content));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE(back->ready);
  EXPECT_EQ(back->failure_reason, "the provider did not answer in time");
  EXPECT_EQ(back->ToContent().details_json, content.details_json);
  ExpectParseRefusesIncompleteEvents<SuggestionRecorded>(content);

  // A ready suggestion writes no reason, even if one was set.
  SuggestionRecorded ready = ReadyEvaluation();
  ready.failure_reason = "ignored";
  EXPECT_EQ(ready.ToContent().details_json, OldSuggestionDetails(ready));
  EXPECT_EQ(ready.ToContent().details_json.find("failure_reason"), std::string::npos);
}

}  // namespace
}  // namespace gardefou::audit
