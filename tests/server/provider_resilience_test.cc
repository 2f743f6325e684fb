// RequestSuggestion against a scripted vendor on loopback, through the real server: each kind
// of vendor behaviour ends in the right suggestion state and gRPC status, the retries happen as
// configured (the vendor counts them), the breaker fails fast, and slow vendors stall nothing.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/http_test_server.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

using nlohmann::json;

// Waits (at most 10 s, so a broken setup fails instead of hanging) for `n` vendor requests.
bool VendorSaw(const HttpTestServer& vendor, int n) {
  for (int i = 0; i < 1000 && vendor.requests() < n; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return vendor.requests() >= n;
}

HttpReply Completion(const json& content) {
  return {200, json{{"model", "vendor-model-7"},
                    {"choices", {{{"message", {{"role", "assistant"}, {"content", content.dump()}}}}}}}
                   .dump()};
}

// A valid evaluation of the scenario's rubric (c1/6, c2/8, c3/6).
HttpReply GoodEvaluation() {
  json criteria = json::array();
  for (const auto& [id, points] : {std::pair{"c1", 4}, {"c2", 6}, {"c3", 5}}) {
    criteria.push_back({{"criterion_id", id}, {"proposed_points", points}, {"rationale", "ok"}});
  }
  return Completion({{"summary", "Bonne copie."}, {"criteria", criteria}});
}

HttpReply Status(int status, std::string headers = "") {
  HttpReply r(status, "{\"error\": \"scripted\"}");
  r.headers = std::move(headers);
  return r;
}

HttpReply Slow(HttpReply reply, int delay_ms) {
  reply.delay_ms = delay_ms;
  return reply;
}

// The vendor plays `script` in order, then repeats its last answer.
class ScriptedVendor {
 public:
  explicit ScriptedVendor(std::vector<HttpReply> script)
      : script_(std::move(script)),
        server_([this](const std::string&) {
          std::lock_guard<std::mutex> lock(mu_);
          const size_t n = std::min(next_++, script_.size() - 1);
          return script_[n];
        }) {}
  HttpTestServer& server() { return server_; }

 private:
  std::mutex mu_;
  std::vector<HttpReply> script_;
  size_t next_ = 0;
  HttpTestServer server_;
};

class ProviderResilience : public ::testing::Test {
 protected:
  // Starts the server with provider "vendor" at `vendor`, configured by `tune`.
  void Start(HttpTestServer& vendor,
             std::function<void(plugins::ProviderSettings&)> tune = [](auto&) {}) {
    Start(vendor.base_url(), std::move(tune));
  }
  void Start(const std::string& base_url, std::function<void(plugins::ProviderSettings&)> tune) {
    plugins::ProviderSettings settings = VendorSettings("vendor", base_url);
    tune(settings);
    server_ = std::make_unique<TestServer>([settings](plugins::ProviderRegistry& registry) {
      plugins::ProvidersConfig config;
      config.providers.push_back(settings);
      return plugins::RegisterConfiguredProviders(registry, config);
    });
    scenario_ = BuildScenario(server_->grading(), /*with_suggestions=*/false, /*with_review=*/false);
  }

  v1::RequestSuggestionRequest AskRequest(const std::string& request_id) {
    v1::RequestSuggestionRequest ask;
    ask.set_request_id(request_id);
    ask.set_copy_id(scenario_.copy.copy_id());
    ask.set_purpose(v1::EVALUATION);
    ask.set_provider("vendor");
    return ask;
  }

  grpc::Status Ask(const std::string& request_id, v1::Suggestion* out,
                   std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    auto context = TestServer::Context(Lms());
    context->set_deadline(std::chrono::system_clock::now() + deadline);
    return server_->grading().RequestSuggestion(context.get(), AskRequest(request_id), out);
  }

  // The first row of `sql` (?1 bound to `param`), read from the file, as texts; empty if none.
  std::vector<std::string> FirstRow(const std::string& sql, const std::string& param = "") {
    sqlite3* db = nullptr;
    sqlite3_open_v2(server_->db_path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    sqlite3_bind_text(stmt, 1, param.c_str(), -1, SQLITE_TRANSIENT);
    std::vector<std::string> row;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        row.emplace_back(text == nullptr ? "" : text);
      }
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return row;
  }

  // The details of the last SUGGESTION_RECORDED event, read from the file.
  json LastSuggestionEvent() {
    const std::vector<std::string> row =
        FirstRow("SELECT details_json FROM audit_events WHERE action = "
                 "'SUGGESTION_RECORDED' ORDER BY seq DESC LIMIT 1");
    return row.empty() ? json() : json::parse(row[0]);
  }

  // The last SUGGESTION_RECORDED event once one exists, waiting until `start` + 4 s (before a
  // 5 s vendor delay ends); null if none came.
  json SuggestionEventSoonAfter(std::chrono::steady_clock::time_point start) {
    json event = LastSuggestionEvent();
    while (event.is_null() && std::chrono::steady_clock::now() - start < std::chrono::seconds(4)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      event = LastSuggestionEvent();
    }
    return event;
  }

  std::unique_ptr<TestServer> server_;
  Scenario scenario_;
};

TEST_F(ProviderResilience, SuccessIsReadyAndTheAuditNamesProviderModelAndGuarantees) {
  ScriptedVendor vendor({GoodEvaluation()});
  Start(vendor.server());
  v1::Suggestion s;
  ASSERT_TRUE(Ask("ok", &s).ok());
  EXPECT_EQ(s.state(), v1::READY);
  EXPECT_EQ(s.criteria_size(), 3);
  EXPECT_EQ(vendor.server().requests(), 1);
  const json event = LastSuggestionEvent();
  EXPECT_EQ(event["provider"], "vendor");
  EXPECT_EQ(event["model"], "vendor-model-7");
  EXPECT_EQ(event["guarantees"]["eu_residency"], true);
  EXPECT_EQ(event["guarantees"]["retention_days"], 0);
  EXPECT_EQ(event["guarantees"]["used_for_training"], false);
  // The request asked for structured output with the rubric's ids only.
  const json body = json::parse(vendor.server().bodies().at(0));
  EXPECT_EQ(body["response_format"]["type"], "json_schema");
  EXPECT_EQ(body["response_format"]["json_schema"]["schema"]["properties"]["criteria"]["items"]
                ["properties"]["criterion_id"]["enum"],
            json({"c1", "c2", "c3"}));
}

TEST_F(ProviderResilience, AServerRefusingSchemasGetsAJsonObjectRequestInstead) {
  ScriptedVendor vendor(
      {HttpReply(400, R"({"error": "response_format json_schema is not supported"})"),
       GoodEvaluation()});
  Start(vendor.server());
  v1::Suggestion s;
  ASSERT_TRUE(Ask("fallback", &s).ok());
  EXPECT_EQ(s.state(), v1::READY);
  ASSERT_EQ(vendor.server().requests(), 2);
  EXPECT_EQ(json::parse(vendor.server().bodies()[1])["response_format"]["type"], "json_object");
}

TEST_F(ProviderResilience, InvalidAnswersAreFailedSuggestionsWithAReasonNeverPartial) {
  const std::vector<std::pair<HttpReply, std::string>> answers = {
      {HttpReply(200, "{not json"), "not JSON"},
      {Completion({{"summary", "x"}, {"criteria", {{{"criterion_id", "c9"}, {"proposed_points", 1}, {"rationale", "r"}}}}}),
       "unknown criterion"},
      {Completion({{"summary", "x"}, {"criteria", {{{"criterion_id", "c1"}, {"proposed_points", 60}, {"rationale", "r"}}}}}),
       "out of bounds"},
      {Completion({{"criteria", json::array()}}), "'summary' is missing"},
  };
  int n = 0;
  for (const auto& [answer, reason] : answers) {
    ScriptedVendor vendor({answer});
    Start(vendor.server());
    v1::Suggestion s;
    ASSERT_TRUE(Ask("bad-" + std::to_string(n++), &s).ok());
    EXPECT_EQ(s.state(), v1::FAILED) << reason;
    EXPECT_NE(s.failure_reason().find(reason), std::string::npos) << s.failure_reason();
    EXPECT_EQ(s.criteria_size(), 0);
    EXPECT_EQ(vendor.server().requests(), 1) << "an invalid answer is not retried";
    EXPECT_EQ(LastSuggestionEvent()["outcome"], "FAILED");
  }
}

TEST_F(ProviderResilience, A429WithRetryAfterIsHonouredThenSucceeds) {
  ScriptedVendor vendor({Status(429, "Retry-After: 1\r\n"), GoodEvaluation()});
  Start(vendor.server());  // backoff 50-200 ms: only Retry-After explains a 1 s wait
  v1::Suggestion s;
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(Ask("busy", &s).ok());
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.state(), v1::READY);
  EXPECT_EQ(vendor.server().requests(), 2);
  EXPECT_GE(waited, std::chrono::milliseconds(1000));
}

TEST_F(ProviderResilience, TwoServerErrorsThenSuccessIsReadyAfterThreeAttempts) {
  ScriptedVendor vendor({Status(500), Status(503), GoodEvaluation()});
  Start(vendor.server());
  v1::Suggestion s;
  ASSERT_TRUE(Ask("flaky", &s).ok());
  EXPECT_EQ(s.state(), v1::READY);
  EXPECT_EQ(vendor.server().requests(), 3);
}

TEST_F(ProviderResilience, RetriesStopAtTheConfiguredBound) {
  ScriptedVendor vendor({Status(500)});
  Start(vendor.server(), [](auto& s) { s.max_retries = 1; });
  v1::Suggestion s;
  ASSERT_TRUE(Ask("down", &s).ok());
  EXPECT_EQ(s.state(), v1::FAILED);
  EXPECT_NE(s.failure_reason().find("HTTP 500 (2 attempts)"), std::string::npos)
      << s.failure_reason();
  EXPECT_EQ(vendor.server().requests(), 2);
}

TEST_F(ProviderResilience, AReplySlowerThanTheTimeoutIsRetriedThenFailed) {
  ScriptedVendor vendor({Slow(GoodEvaluation(), 2000)});
  Start(vendor.server(), [](auto& s) { s.timeout_ms = 200; s.max_retries = 1; });
  v1::Suggestion s;
  ASSERT_TRUE(Ask("slow", &s).ok());
  EXPECT_EQ(s.state(), v1::FAILED);
  EXPECT_NE(s.failure_reason().find("did not answer within 200 ms"), std::string::npos)
      << s.failure_reason();
  EXPECT_EQ(vendor.server().requests(), 2);
}

TEST_F(ProviderResilience, ConnectionRefusedIsFailedAndTheBreakerThenFailsFast) {
  std::string url;
  {
    HttpTestServer closed([](const std::string&) { return std::pair{200, std::string("{}")}; });
    url = closed.base_url();
  }  // nothing listens there any more
  Start(url, [](auto& s) {
    s.breaker_failures = 2;
    s.breaker_cooldown_ms = 60000;
  });
  for (const char* id : {"refused-1", "refused-2"}) {
    v1::Suggestion s;
    ASSERT_TRUE(Ask(id, &s).ok());
    EXPECT_EQ(s.state(), v1::FAILED);
    EXPECT_NE(s.failure_reason().find("could not be reached"), std::string::npos);
  }
  const TableCounts before = server_->Counts();
  v1::Suggestion s;
  const grpc::Status open = Ask("refused-3", &s);
  EXPECT_EQ(open.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(open.error_message().find("circuit open"), std::string::npos) << open.error_message();
  EXPECT_EQ(server_->Counts(), before) << "a call refused by the breaker records nothing";
}

TEST_F(ProviderResilience, TheBreakerProbesAgainAfterItsCooldownAndCloses) {
  ScriptedVendor vendor({Status(500), Status(500), GoodEvaluation()});
  Start(vendor.server(), [](auto& s) {
    s.max_retries = 0;
    s.breaker_failures = 2;
    s.breaker_cooldown_ms = 300;
  });
  v1::Suggestion s;
  ASSERT_TRUE(Ask("a", &s).ok());
  ASSERT_TRUE(Ask("b", &s).ok());
  EXPECT_EQ(Ask("c", &s).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(vendor.server().requests(), 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  ASSERT_TRUE(Ask("d", &s).ok());  // the probe
  EXPECT_EQ(s.state(), v1::READY);
  ASSERT_TRUE(Ask("e", &s).ok());  // closed again
  EXPECT_EQ(vendor.server().requests(), 4);
}

TEST_F(ProviderResilience, AClientDeadlineShorterThanTheVendorAbortsTheHttpCall) {
  ScriptedVendor vendor({Slow(GoodEvaluation(), 5000)});
  Start(vendor.server());
  v1::Suggestion s;
  const auto start = std::chrono::steady_clock::now();
  const grpc::Status st = Ask("hurry", &s, std::chrono::milliseconds(500));
  // The server stops at the deadline it was given; whether its FAILED answer or the client's
  // own timer comes first is a race of a few milliseconds, not the property tested.
  EXPECT_TRUE(st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
              (st.ok() && s.state() == v1::FAILED))
      << st.error_code() << " " << st.error_message();
  // The server gave up on the vendor too: the attempt is recorded as FAILED, well before the
  // vendor's 5 s, and it was not retried.
  const json event = SuggestionEventSoonAfter(start);
  ASSERT_FALSE(event.is_null()) << "no suggestion recorded before the vendor's delay ended";
  EXPECT_EQ(event["outcome"], "FAILED");
  EXPECT_NE(event["failure_reason"].get<std::string>().find("deadline"), std::string::npos);
  EXPECT_EQ(vendor.server().requests(), 1);
}

TEST_F(ProviderResilience, ACancelledCallAbortsTheHttpCall) {
  ScriptedVendor vendor({Slow(GoodEvaluation(), 5000)});
  Start(vendor.server());
  const v1::RequestSuggestionRequest ask = AskRequest("cancel");
  auto context = TestServer::Context(Lms());
  const auto start = std::chrono::steady_clock::now();
  auto call = std::async(std::launch::async, [&] {
    v1::Suggestion s;
    return server_->grading().RequestSuggestion(context.get(), ask, &s);
  });
  ASSERT_TRUE(VendorSaw(vendor.server(), 1)) << "the vendor never saw the call";
  context->TryCancel();
  EXPECT_EQ(call.get().error_code(), grpc::StatusCode::CANCELLED);
  const json event = SuggestionEventSoonAfter(start);
  ASSERT_FALSE(event.is_null()) << "the server kept waiting on the vendor after the cancel";
  EXPECT_EQ(event["outcome"], "FAILED");
  EXPECT_NE(event["failure_reason"].get<std::string>().find("cancelled"), std::string::npos)
      << event["failure_reason"];
  EXPECT_EQ(vendor.server().requests(), 1);
}

TEST_F(ProviderResilience, FiftyWaitingSuggestionsStallNeitherDecisionsNorHealth) {
  ScriptedVendor vendor({Slow(GoodEvaluation(), 3000)});
  Start(vendor.server(), [](auto& s) { s.max_concurrent = 4; s.timeout_ms = 10000; });
  std::vector<std::future<grpc::Status>> waiting;
  for (int i = 0; i < 50; ++i) {
    waiting.push_back(std::async(std::launch::async, [this, i] {
      v1::Suggestion s;
      return Ask("wait-" + std::to_string(i), &s, std::chrono::seconds(2));
    }));
  }
  ASSERT_TRUE(VendorSaw(vendor.server(), 4)) << "the vendor never saw the first calls";
  // Every provider slot is taken and 46 calls queue behind them: other calls still answer,
  // within a deadline far shorter than the vendor's delay.
  for (int i = 0; i < 20; ++i) {
    v1::GetDecisionRequest get;
    get.set_copy_id(scenario_.copy.copy_id());
    v1::Decision decision;
    auto context = TestServer::Context(Lms());
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(1000));
    const grpc::Status st = server_->grading().GetDecision(context.get(), get, &decision);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
    std::string health;
    EXPECT_TRUE(CheckHealth(server_->channel(), &health).ok());
  }
  EXPECT_LT(vendor.server().answered(), 4) << "the checks ran while the vendor was still slow";
  for (auto& f : waiting) EXPECT_EQ(f.get().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
}

// A hostile or broken vendor: its reply is read up to max_reply_bytes, its "model" string is
// recorded only when it is a plain name, its Retry-After is capped and does not hold a slot.

TEST_F(ProviderResilience, A50MegabyteReplyIsCutOffAndTheSuggestionFails) {
  HttpReply huge = GoodEvaluation();
  huge.body.insert(huge.body.size() - 1, ", \"padding\": \"" + std::string(50 << 20, 'x') + "\"");
  ScriptedVendor vendor({huge});
  Start(vendor.server());
  v1::Suggestion s;
  ASSERT_TRUE(Ask("huge", &s).ok());
  EXPECT_EQ(s.state(), v1::FAILED);
  EXPECT_NE(s.failure_reason().find("max_reply_bytes"), std::string::npos) << s.failure_reason();
  EXPECT_EQ(vendor.server().requests(), 1) << "a refused reply is not retried";
  EXPECT_LT(std::filesystem::file_size(server_->db_path()), 4u << 20)
      << "nothing of the reply was stored";
}

TEST_F(ProviderResilience, AModelNameThatIsNotAPlainNameIsReplacedByTheConfiguredOne) {
  for (const std::string& model : {std::string(5 << 20, 'm'), std::string("a\nb"),
                                   std::string("<script>")}) {
    HttpReply reply = GoodEvaluation();
    json body = json::parse(reply.body);
    body["model"] = model;
    reply.body = body.dump();
    ScriptedVendor vendor({reply});
    Start(vendor.server(), [](auto& s) { s.max_reply_bytes = 8 << 20; });
    v1::Suggestion s;
    ASSERT_TRUE(Ask("model", &s).ok());
    EXPECT_EQ(s.state(), v1::READY);
    EXPECT_EQ(LastSuggestionEvent()["model"], "test-model");
  }
  ScriptedVendor plain({GoodEvaluation()});
  Start(plain.server());
  v1::Suggestion s;
  ASSERT_TRUE(Ask("plain", &s).ok());
  EXPECT_EQ(LastSuggestionEvent()["model"], "vendor-model-7") << "a plain name is kept";
}

TEST_F(ProviderResilience, ARetryAfterOfADayIsCappedAtRetryAfterMax) {
  ScriptedVendor vendor({Status(429, "Retry-After: 99999\r\n"), GoodEvaluation()});
  Start(vendor.server(), [](auto& s) { s.retry_after_max_ms = 300; });
  v1::Suggestion s;
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(Ask("patience", &s).ok());
  EXPECT_EQ(s.state(), v1::READY);
  EXPECT_EQ(vendor.server().requests(), 2);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_F(ProviderResilience, WaitingForRetryAfterFreesTheSlotForOtherCalls) {
  ScriptedVendor vendor({Status(429, "Retry-After: 2\r\n"), GoodEvaluation()});
  Start(vendor.server(), [](auto& s) { s.max_concurrent = 1; });
  v1::Suggestion first, second;
  std::thread waiting([&] { EXPECT_TRUE(Ask("first", &first).ok()); });
  ASSERT_TRUE(VendorSaw(vendor.server(), 1));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(Ask("second", &second).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500))
      << "the second call did not wait for the first one's Retry-After";
  EXPECT_EQ(second.state(), v1::READY);
  waiting.join();
  EXPECT_EQ(first.state(), v1::READY);
}

TEST_F(ProviderResilience, AnUnknownPlaceholderIsListedOnce) {
  json criteria = json::array();
  for (const char* id : {"c1", "c2", "c3"}) {
    criteria.push_back({{"criterion_id", id}, {"proposed_points", 1},
                        {"rationale", "[ELEVE_99] et encore [ELEVE_99], puis [PROF_42]"}});
  }
  ScriptedVendor vendor({Completion({{"summary", "[ELEVE_99]"}, {"criteria", criteria}})});
  Start(vendor.server());
  v1::Suggestion s;
  ASSERT_TRUE(Ask("twice", &s).ok());
  ASSERT_EQ(s.state(), v1::READY);
  ASSERT_EQ(s.unknown_placeholders_size(), 2);
  EXPECT_EQ(s.unknown_placeholders(0), "[ELEVE_99]");
  EXPECT_EQ(s.unknown_placeholders(1), "[PROF_42]");
}

TEST_F(ProviderResilience, ALargeReplyIsStoredOnceAndReplayedByteForByte) {
  std::string summary;
  while (summary.size() < 40 * 1024) summary += "Une copie soignée et argumentée. ";
  json criteria = json::array();
  for (const char* id : {"c1", "c2", "c3"}) {
    criteria.push_back({{"criterion_id", id}, {"proposed_points", 3}, {"rationale", "ok"}});
  }
  ScriptedVendor vendor({Completion({{"summary", summary}, {"criteria", criteria}}), GoodEvaluation()});
  Start(vendor.server());
  v1::Suggestion first, again, small;
  ASSERT_TRUE(Ask("large", &first).ok());
  ASSERT_EQ(first.state(), v1::READY);
  ASSERT_TRUE(Ask("large", &again).ok());
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  ASSERT_TRUE(Ask("small", &small).ok());
  EXPECT_EQ(vendor.server().requests(), 2) << "the replay did not call the vendor";

  // What the idempotency table keeps: a reference for the large reply, a copy of the small.
  auto row = [&](const std::string& request_id) {
    return FirstRow("SELECT length(response), length(response_sha256), object_id "
                    "FROM idempotency WHERE request_id = ?1",
                    request_id);
  };
  EXPECT_EQ(row("large"), (std::vector<std::string>{"0", "64", first.suggestion_id()}));
  const std::vector<std::string> small_row = row("small");
  ASSERT_EQ(small_row.size(), 3u);
  EXPECT_NE(small_row[0], "0");
  EXPECT_EQ(small_row[1], "0");

  // A suggestion altered behind the service's back is not replayed as if it were the reply.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(server_->db_path().c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE suggestions SET content_json = "
                         "replace(content_json, 'soignée', 'bâclée')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  v1::Suggestion tampered;
  EXPECT_EQ(Ask("large", &tampered).error_code(), grpc::StatusCode::INTERNAL);
}

}  // namespace
}  // namespace gardefou::testing
