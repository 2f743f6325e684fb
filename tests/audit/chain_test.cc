// Unit tests of the canonical encoding and of the chain verifier against edits, deletions
// and reordering.
#include <gtest/gtest.h>

#include <vector>

#include "service/audit/canonical.h"
#include "service/audit/chain_verifier.h"

namespace gardefou::audit {
namespace {

std::vector<model::AuditEventRecord> Chain(int n) {
  std::vector<model::AuditEventRecord> events;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    model::AuditEventRecord e;
    e.seq = i;
    e.time_us = 1000 + i;
    e.tenant = "T";
    e.actor_id = "t-1";
    e.actor_role = "teacher";
    e.action = "DECISION_SIGNED";
    e.objects = {{"copy_id", "cp-" + std::to_string(i)}};
    e.policy_hash = std::string(64, 'a');
    e.details_json = R"({"final_points":12.5,"origin":"MODIFIED"})";
    e.prev_hash = prev;
    e.hash = *EventHash(e);
    prev = e.hash;
    events.push_back(e);
  }
  return events;
}

VerifyResult Verify(const std::vector<model::AuditEventRecord>& events) {
  ChainVerifier v;
  for (const auto& e : events) v.Feed(e);
  return v.result();
}

TEST(Canonical, KeysAreSortedAndCompact) {
  model::AuditEventRecord e;
  e.seq = 1;
  e.details_json = R"({ "b": 1, "a": "é" })";
  const std::string bytes = *CanonicalBytes(e);
  EXPECT_EQ(bytes,
            R"({"action":"","actor_id":"","actor_role":"","details":{"a":"é","b":1},)"
            R"("objects":{},"policy_hash":"","prev_hash":"","seq":1,"tenant":"","time_us":0})");
}

TEST(Canonical, DetailsMustBeAnObject) {
  model::AuditEventRecord e;
  e.details_json = "[1]";
  EXPECT_FALSE(CanonicalBytes(e).ok());
  e.details_json = "{broken";
  EXPECT_FALSE(CanonicalBytes(e).ok());
}

TEST(ChainVerifier, AnIntactChainVerifies) {
  VerifyResult r = Verify(Chain(10));
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.events_checked, 10);
  EXPECT_EQ(r.head_hash, Chain(10).back().hash);
}

TEST(ChainVerifier, AnEditedFieldIsFoundAtItsEvent) {
  auto events = Chain(10);
  events[4].details_json = R"({"final_points":20,"origin":"MODIFIED"})";
  VerifyResult r = Verify(events);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 5);
}

TEST(ChainVerifier, AnEditedAndRehashedEventBreaksTheNextLink) {
  auto events = Chain(10);
  events[4].actor_id = "someone-else";
  events[4].hash = *EventHash(events[4]);
  VerifyResult r = Verify(events);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 6);
}

TEST(ChainVerifier, ADeletedEventIsFound) {
  auto events = Chain(10);
  events.erase(events.begin() + 3);
  VerifyResult r = Verify(events);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4);
}

TEST(ChainVerifier, SwappedEventsAreFound) {
  auto events = Chain(10);
  std::swap(events[2], events[6]);
  std::swap(events[2].seq, events[6].seq);  // rows keep their positions, contents swap
  VerifyResult r = Verify(events);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
}

}  // namespace
}  // namespace gardefou::audit
