// The policy as a file, with the real binary: `policy check` names the line and field of a
// mistake; `serve --policy` refuses to start on one (nothing created); SIGHUP puts a new file
// in force, recorded as POLICY_CHANGED with both hashes, later events carrying the new hash,
// while a file with a mistake leaves the policy in force as it was.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "service/audit/policy_events.h"
#include "service/common/hashing.h"
#include "service/store/store.h"
#include "tests/support/file_modes.h"
#include "tests/support/run_command.h"
#include "tests/support/serve_process.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

std::string Shipped() { return ReadAll(GARDEFOU_SOURCE_DIR "/policy/default_policy.conf"); }

// Waits up to 10 s for `needle` in the log.
bool LogSays(const std::filesystem::path& log, const std::string& needle) {
  for (int i = 0; i < 200; ++i) {
    if (ReadAll(log).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(PolicyFile, RecordOfProcessingSaysWhatGoesWhereAndWhatIsKept) {
  TempDir dir;
  const auto policy = dir.path() / "policy.conf";
  Write(policy, Shipped());
  const auto providers = dir.path() / "providers.conf";
  Write(providers,
        "[albert]\nkind = openai-compatible\nbase_url = https://albert.example.fr/v1\n"
        "model = albert-large\neu_residency = yes\nretention = none\nused_for_training = no\n"
        "[overseas]\nkind = openai-compatible\nbase_url = http://ai.example.com/v1\n"
        "model = big\neu_residency = no\nretention = 90 days\nused_for_training = yes\n");
  const RunResult r = RunCommand(absl::StrCat(GARDEFOU_BINARY, " policy record --policy ",
                                              policy.string(), " --providers ",
                                              providers.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const std::string& line :
       {"under policy gardefou-default (sha256 " + common::Sha256Hex(Shipped()) + ")",
        std::string("AI help allowed: CORRECTION, EVALUATION, EXTRA_WORK (never AI-text "
                    "detection"),
        std::string("families informed before any AI call: yes"),
        std::string("  - offline-rubric (model offline-rubric-1, in process, no network): "
                    "processing in the EU yes; kept by the provider 0 days; used for training "
                    "no; transport encrypted or local. Under this policy: may receive"),
        std::string("  - albert (model albert-large, https://albert.example.fr/v1): processing "
                    "in the EU yes; kept by the provider 0 days; used for training no; transport "
                    "encrypted or local. Under this policy: may receive pseudonymised copies"),
        std::string("  - overseas (model big, http://ai.example.com/v1): processing in the EU "
                    "no; kept by the provider 90 days; used for training yes; transport in "
                    "clear. Under this policy: receives nothing (unmet: eu_residency, "
                    "max_retention_days, no_training, encrypted_transport)"),
        std::string("Retention: gardefou deletes nothing by itself yet")}) {
    EXPECT_NE(r.output.find(line), std::string::npos) << line << "\n---\n" << r.output;
  }
  // As serve would, a file with a mistake is refused.
  Write(policy, Shipped() + "colour = blue\n");
  const RunResult bad = RunCommand(absl::StrCat(GARDEFOU_BINARY, " policy record --policy ",
                                                policy.string()));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("field 'colour' is unknown"), std::string::npos) << bad.output;
}

TEST(PolicyFile, CheckNamesTheLineAndFieldOfAMistake) {
  TempDir dir;
  const auto good = dir.path() / "good.conf";
  Write(good, Shipped());
  const RunResult valid = RunCommand(absl::StrCat(GARDEFOU_BINARY, " policy check ", good.string()));
  EXPECT_EQ(valid.exit_code, 0) << valid.output;
  EXPECT_NE(valid.output.find(common::Sha256Hex(Shipped())), std::string::npos) << valid.output;
  const auto bad = dir.path() / "bad.conf";
  Write(bad, absl::StrReplaceAll(Shipped(), {{"methods = RequestSuggestion, OpenReview, SignOff",
                                                  "methods = RequestSuggestion, OpenReview"},
                                                 {"[role admin]\nmethods = UpsertRoster",
                                                  "[role admin]\nmethods = SignOff, UpsertRoster"}}));
  const RunResult invalid = RunCommand(absl::StrCat(GARDEFOU_BINARY, " policy check ", bad.string()));
  EXPECT_EQ(invalid.exit_code, 2) << invalid.output;
  EXPECT_NE(invalid.output.find(bad.string() + ":"), std::string::npos) << invalid.output;
  EXPECT_NE(invalid.output.find("field 'methods' SignOff is a teacher's act"), std::string::npos)
      << invalid.output;
  const RunResult missing =
      RunCommand(absl::StrCat(GARDEFOU_BINARY, " policy check ", (dir.path() / "none").string()));
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
}

TEST(PolicyFile, ServeRefusesAnInvalidPolicyAndCreatesNothing) {
  TempDir dir;
  const auto bad = dir.path() / "bad.conf";
  Write(bad, Shipped() + "[tenant 0999001A]\npurposes = AI_DETECTION\n");
  const auto db = dir.path() / "g.db";
  const RunResult refused = RunCommand(absl::StrCat(GARDEFOU_BINARY, " serve --dev-headers --db ",
                                                    db.string(), " --policy ", bad.string()));
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("cannot allow AI_DETECTION"), std::string::npos)
      << refused.output;
  EXPECT_FALSE(std::filesystem::exists(db));
}

TEST(PolicyFile, SighupPutsANewPolicyInForceAndKeepsTheOldOneOnAMistake) {
  TempDir dir;
  const auto file = dir.path() / "policy.conf";
  const std::string first = absl::StrReplaceAll(Shipped(), {{"name = gardefou-default",
                                                              "name = first"}});
  Write(file, first);
  const auto db = dir.path() / "g.db";
  const auto log = dir.path() / "serve.log";
  const ServeProcess server =
      StartServe(GARDEFOU_BINARY, {"--db", db.string(), "--policy", file.string()}, log);
  ASSERT_GT(server.port, 0) << ReadAll(log);
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server.port),
                                     grpc::InsecureChannelCredentials());
  auto grading = v1::GradingAssist::NewStub(channel);
  const Scenario s = BuildScenario(*grading, /*with_suggestions=*/false, /*with_review=*/false);

  // A mistake: refused, the first policy stays (CORRECTION still allowed).
  Write(file, first + "[tenant " + std::string(kTenant) + "]\nfrobnicate = yes\n");
  ASSERT_EQ(kill(server.pid, SIGHUP), 0);
  EXPECT_TRUE(LogSays(log, "policy not reloaded, the one in force stays"));
  EXPECT_TRUE(LogSays(log, "field 'frobnicate' is unknown"));
  v1::RequestSuggestionRequest ask;
  ask.set_request_id("ask-correction-1");
  ask.set_copy_id(s.copy.copy_id());
  ask.set_purpose(v1::CORRECTION);
  v1::Suggestion out;
  EXPECT_TRUE(grading->RequestSuggestion(TestServer::Context(Lms()).get(), ask, &out).ok());

  // A valid second policy that narrows the tenant to EVALUATION: in force at once.
  const std::string second =
      absl::StrReplaceAll(first, {{"name = first", "name = second"}}) + "[tenant " +
      std::string(kTenant) + "]\npurposes = EVALUATION\n";
  Write(file, second);
  ASSERT_EQ(kill(server.pid, SIGHUP), 0);
  EXPECT_TRUE(LogSays(log, "policy second (" + common::Sha256Hex(second) + ") in force"));
  ask.set_request_id("ask-correction-2");
  EXPECT_EQ(grading->RequestSuggestion(TestServer::Context(Lms()).get(), ask, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ask.set_request_id("ask-evaluation");
  ask.set_purpose(v1::EVALUATION);
  EXPECT_TRUE(grading->RequestSuggestion(TestServer::Context(Lms()).get(), ask, &out).ok());
  // The same file again changes nothing.
  ASSERT_EQ(kill(server.pid, SIGHUP), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  grading.reset();
  channel.reset();
  ASSERT_TRUE(StopServe(server));

  // The trail: events before the change carry the first hash, after it the second; one change.
  auto store = store::OpenStoreForReading(db.string());
  ASSERT_TRUE(store.ok()) << store.status();
  std::vector<model::AuditEventRecord> events;
  ASSERT_TRUE((*store)->Read([&](store::Session& session) {
    return session.ForEachAuditEvent([&](const auto& e) { events.push_back(e); }, 0);
  }).ok());
  int changes = 0;
  bool after = false;
  for (const model::AuditEventRecord& e : events) {
    if (e.action == audit::PolicyChanged::kAction) {
      ++changes;
      absl::StatusOr<audit::PolicyChanged> change = audit::PolicyChanged::Parse(e);
      ASSERT_TRUE(change.ok()) << change.status();
      EXPECT_EQ(change->old_hash, common::Sha256Hex(first));
      EXPECT_EQ(change->new_hash, common::Sha256Hex(second));
      EXPECT_EQ(change->new_name, "second");
      EXPECT_EQ(e.policy_hash, common::Sha256Hex(first)) << "recorded under the old policy";
      after = true;
      continue;
    }
    EXPECT_EQ(e.policy_hash, common::Sha256Hex(after ? second : first)) << e.action << e.seq;
  }
  EXPECT_EQ(changes, 1);
  EXPECT_EQ(events.back().action, "SUGGESTION_RECORDED");
}

}  // namespace
}  // namespace gardefou::testing
