// The policy's provider requirements, through the real server and scripted vendors on loopback:
// a provider that does not declare EU residency, no training and a short retention, or that
// would be reached over plain http beyond loopback, or that the tenant may not use, gets
// nothing — FAILED_PRECONDITION naming the unmet requirement, a PROVIDER_REFUSED event, no
// suggestion, no request at the vendor. A compliant one answers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "plugins/openai_compatible.h"
#include "service/audit/policy_events.h"
#include "service/store/store.h"
#include "tests/support/http_test_server.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

std::pair<int, std::string> ScoresEveryCriterion(const std::string&) {
  nlohmann::json criteria = nlohmann::json::array();
  for (const char* id : {"c1", "c2", "c3"}) {
    criteria.push_back({{"criterion_id", id}, {"proposed_points", 3}, {"rationale", "ok"}});
  }
  const nlohmann::json content = {{"summary", "Copie correcte."}, {"criteria", criteria}};
  const nlohmann::json reply = {
      {"model", "test-model"},
      {"choices", {{{"message", {{"role", "assistant"}, {"content", content.dump()}}}}}}};
  return {200, reply.dump()};
}

// Vendors, all at the same loopback address unless said otherwise, declaring:
// compliant (EU, nothing kept, no training), us-hosted, trains, keeps (10 years), and
// remote-http (compliant, but plain http to a non-loopback address: nothing is ever sent).
absl::Status RegisterVendors(plugins::ProviderRegistry& registry, const std::string& url) {
  auto add = [&](const std::string& name, const std::string& base_url,
                 plugins::Guarantees guarantees) {
    plugins::ProviderSettings settings = VendorSettings(name, base_url);
    settings.guarantees = guarantees;
    return registry.Register(std::make_unique<plugins::OpenAiCompatibleProvider>(settings));
  };
  for (auto [name, base_url, guarantees] : {
           std::tuple{"compliant", url, plugins::Guarantees{true, 0, false}},
           std::tuple{"us-hosted", url, plugins::Guarantees{false, 0, false}},
           std::tuple{"trains", url, plugins::Guarantees{true, 0, true}},
           std::tuple{"keeps", url, plugins::Guarantees{true, 3650, false}},
           std::tuple{"remote-http", std::string("http://192.0.2.10:9/v1"),
                      plugins::Guarantees{true, 0, false}},
       }) {
    if (absl::Status st = add(name, base_url, guarantees); !st.ok()) return st;
  }
  return absl::OkStatus();
}

class ProviderRequirements : public ::testing::Test {
 protected:
  explicit ProviderRequirements(std::optional<policy::Policy> policy = std::nullopt)
      : vendor_(ScoresEveryCriterion),
        server_([this](plugins::ProviderRegistry& r) { return RegisterVendors(r, vendor_.base_url()); },
                {0, 0}, std::move(policy)) {
    scenario_ = BuildScenario(server_.grading(), /*with_suggestions=*/false,
                              /*with_review=*/false);
  }

  grpc::Status Ask(const std::string& provider, v1::Suggestion* out) {
    v1::RequestSuggestionRequest ask;
    ask.set_request_id("ask-" + provider);
    ask.set_copy_id(scenario_.copy.copy_id());
    ask.set_purpose(v1::EVALUATION);
    ask.set_provider(provider);
    return server_.grading().RequestSuggestion(TestServer::Context(Lms()).get(), ask, out);
  }

  // The PROVIDER_REFUSED events stored, read back through their type.
  std::vector<audit::ProviderRefused> Refusals() {
    std::vector<audit::ProviderRefused> out;
    auto store = store::OpenStoreForReading(server_.db_path().string());
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return out;
    EXPECT_TRUE((*store)->Read([&](store::Session& s) {
      return s.ForEachAuditEvent(
          [&](const model::AuditEventRecord& e) {
            if (e.action != audit::ProviderRefused::kAction) return;
            absl::StatusOr<audit::ProviderRefused> parsed = audit::ProviderRefused::Parse(e);
            EXPECT_TRUE(parsed.ok()) << parsed.status();
            if (parsed.ok()) out.push_back(*parsed);
          },
          0);
    }).ok());
    return out;
  }

  HttpTestServer vendor_;  // the AI vendor, at the wire
  TestServer server_;
  Scenario scenario_;
};

TEST_F(ProviderRequirements, AProviderShortOfTheDefaultPolicyGetsNothing) {
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"us-hosted", "eu_residency"},
      {"trains", "no_training"},
      {"keeps", "max_retention_days"},
      {"remote-http", "encrypted_transport"},
  };
  for (const auto& [provider, requirement] : refused) {
    const TableCounts before = server_.Counts();
    v1::Suggestion suggestion;
    const grpc::Status st = Ask(provider, &suggestion);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << provider;
    EXPECT_EQ(ReasonOf(st), "PROVIDER_REFUSED") << provider << ": " << st.error_message();
    EXPECT_NE(st.error_message().find(requirement), std::string::npos) << st.error_message();
    EXPECT_NE(st.error_message().find("nothing was sent"), std::string::npos);
    const TableCounts after = server_.Counts();
    EXPECT_EQ(after.at("suggestions"), before.at("suggestions")) << provider;
    EXPECT_EQ(after.at("idempotency"), before.at("idempotency")) << provider;
    EXPECT_EQ(after.at("audit_events"), before.at("audit_events") + 1) << "one refusal event";
  }
  EXPECT_EQ(vendor_.requests(), 0) << "a refused provider received a request";
  const std::vector<audit::ProviderRefused> events = Refusals();
  ASSERT_EQ(events.size(), refused.size());
  for (size_t i = 0; i < refused.size(); ++i) {
    EXPECT_EQ(events[i].provider, refused[i].first);
    EXPECT_EQ(events[i].unmet, std::vector<std::string>{refused[i].second});
    EXPECT_EQ(events[i].copy_id, scenario_.copy.copy_id());
    EXPECT_EQ(events[i].purpose, "EVALUATION");
  }
  // The compliant vendor answers: the same copy, the same caller.
  v1::Suggestion ready;
  const grpc::Status ok = Ask("compliant", &ready);
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(ready.state(), v1::READY);
  EXPECT_EQ(vendor_.requests(), 1);
}

policy::Policy OnlyOfflineForTheTenant() {
  absl::StatusOr<policy::Policy> base = policy::Policy::Parse(
      "name = tenant-limited\nversion = 1\nmax_copy_bytes = 100000\n"
      "default_provider = offline-rubric\npurposes = CORRECTION, EVALUATION, EXTRA_WORK\n"
      "[role lms]\nmethods = UpsertRoster, CreateAssignment, SubmitCopy, RequestSuggestion, "
      "RecordFamiliesInformed\n"
      "[role teacher]\nmethods = RequestSuggestion, OpenReview, SignOff, GetDecision\n"
      "[tenant " + std::string(kTenant) + "]\nproviders = offline-rubric\n",
      "tenant-limited.conf");
  EXPECT_TRUE(base.ok()) << base.status();
  return *base;
}

class TenantProviders : public ProviderRequirements {
 protected:
  TenantProviders() : ProviderRequirements(OnlyOfflineForTheTenant()) {}
};

TEST_F(TenantProviders, ATenantUsesOnlyTheProvidersItsPolicyNames) {
  v1::Suggestion suggestion;
  const grpc::Status st = Ask("compliant", &suggestion);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(st), "PROVIDER_REFUSED") << st.error_message();
  EXPECT_NE(st.error_message().find("allowed"), std::string::npos) << st.error_message();
  EXPECT_EQ(vendor_.requests(), 0);
  const std::vector<audit::ProviderRefused> events = Refusals();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].unmet, std::vector<std::string>{"allowed"});
  v1::Suggestion offline;
  EXPECT_TRUE(Ask("offline-rubric", &offline).ok());
}

TEST(EncryptedOrLocal, OnlyHttpsOrNumericLoopbackCount) {
  for (const char* url : {"https://albert.example.fr/v1", "http://127.0.0.1:8080/v1",
                          "http://localhost:11434/v1", "http://[::1]:8000", "http://127.1.2.3"}) {
    EXPECT_TRUE(plugins::EncryptedOrLocal(url)) << url;
  }
  for (const char* url : {"http://10.0.0.4/v1", "http://127.example.org/v1",
                          "http://localhost.example.org", "http://user@127.0.0.1/",
                          "http://192.0.2.10:9/v1", "ftp://127.0.0.1"}) {
    EXPECT_FALSE(plugins::EncryptedOrLocal(url)) << url;
  }
}

}  // namespace
}  // namespace gardefou::testing
