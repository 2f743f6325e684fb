// Tests of the openai-compatible provider against a real HTTP server on loopback: the request
// it sends, the answers it accepts, and the status of each failure.
#include "plugins/openai_compatible.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "tests/support/http_test_server.h"

namespace gardefou::plugins {
namespace {

using testing::HttpTestServer;

std::pair<int, std::string> Answer(const nlohmann::json& content) {
  return {200, nlohmann::json{{"model", "m"},
                              {"choices", {{{"message", {{"content", content.dump()}}}}}}}
                   .dump()};
}

ProviderRequest Request() {
  ProviderRequest r;
  r.purpose = model::Purpose::kEvaluation;
  r.assignment_title = "Essai";
  r.criteria = {{"c1", "Argumentation", 8, {"exemples"}}};
  r.copy_text = "Texte de [ELEVE_1].";
  return r;
}

ProviderSettings Settings(const std::string& url) {
  ProviderSettings s;
  s.name = "test";
  s.kind = "openai-compatible";
  s.base_url = url;
  s.model = "model-x";
  s.api_key_env = "GARDEFOU_TEST_KEY";
  s.connect_timeout_ms = 1000;
  s.timeout_ms = 3000;
  return s;
}

std::unique_ptr<OpenAiCompatibleProvider> Provider(const std::string& url) {
  return std::make_unique<OpenAiCompatibleProvider>(Settings(url));
}

TEST(OpenAiCompatible, SendsTheModelThePromptsAndTheKeyAndParsesTheAnswer) {
  HttpTestServer vendor([](const std::string&) {
    return Answer({{"summary", "ok"},
                   {"criteria", {{{"criterion_id", "c1"}, {"proposed_points", 6}, {"rationale", "r"}}}}});
  });
  setenv("GARDEFOU_TEST_KEY", "sk-test", 1);
  auto reply = Provider(vendor.base_url())->Suggest(Request());
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->criteria.size(), 1u);
  EXPECT_EQ(reply->criteria[0].proposed_points, 6);
  EXPECT_EQ(reply->model, "m");
  const std::string head = vendor.heads().at(0);
  EXPECT_EQ(head.rfind("POST /v1/chat/completions HTTP/1.1", 0), 0u) << head;
  EXPECT_NE(head.find("Authorization: Bearer sk-test"), std::string::npos);
  const auto body = nlohmann::json::parse(vendor.bodies().at(0));
  EXPECT_EQ(body["model"], "model-x");
  EXPECT_EQ(body["messages"][0]["role"], "system");
  EXPECT_NE(body["messages"][1]["content"].get<std::string>().find("[ELEVE_1]"), std::string::npos);
  EXPECT_NE(body["messages"][1]["content"].get<std::string>().find("c1 (Argumentation, sur 8)"),
            std::string::npos);
}

TEST(OpenAiCompatible, MalformedAnswersAreInternal) {
  for (const std::string& bad : {std::string("not json"), std::string(R"({"choices": []})"),
                                 Answer("just text").second,
                                 Answer({{"criteria", {{{"criterion_id", "c1"}}}}}).second}) {
    HttpTestServer vendor([&](const std::string&) { return std::pair{200, bad}; });
    auto reply = Provider(vendor.base_url())->Suggest(Request());
    EXPECT_EQ(reply.status().code(), absl::StatusCode::kInternal) << bad;
  }
}

TEST(OpenAiCompatible, OverloadAndServerErrorsAreUnavailableOtherErrorsInternal) {
  for (int status : {429, 500, 503}) {
    HttpTestServer vendor([&](const std::string&) { return std::pair{status, std::string("{}")}; });
    EXPECT_EQ(Provider(vendor.base_url())->Suggest(Request()).status().code(),
              absl::StatusCode::kUnavailable) << status;
  }
  HttpTestServer vendor([](const std::string&) { return std::pair{400, std::string("{}")}; });
  EXPECT_EQ(Provider(vendor.base_url())->Suggest(Request()).status().code(),
            absl::StatusCode::kInternal);
}

TEST(OpenAiCompatible, ConnectionRefusedIsUnavailable) {
  std::string url;
  {
    HttpTestServer closed([](const std::string&) { return std::pair{200, std::string("{}")}; });
    url = closed.base_url();
  }  // the port is closed now
  EXPECT_EQ(Provider(url)->Suggest(Request()).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace gardefou::plugins
