// Prompts, the HTTP call (libcurl) and the parsing of the chat-completions answer.
#include "plugins/openai_compatible.h"

#include <curl/curl.h>

#include <cstdlib>
#include <memory>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace gardefou::plugins {
namespace {

using nlohmann::json;

constexpr char kCommon[] =
    "Tu aides un enseignant à corriger la copie d'un élève. Tu proposes, l'enseignant décide : "
    "n'écris jamais de note définitive. Les noms ont été remplacés par des marqueurs comme "
    "[ELEVE_1] ; recopie-les tels quels. Réponds uniquement par un objet JSON.";

std::string SystemPrompt(store::Purpose purpose) {
  switch (purpose) {
    case store::Purpose::kEvaluation:
      return absl::StrCat(kCommon, " Pour chaque critère du barème, propose un nombre de points "
                          "et une justification : {\"summary\": str, \"criteria\": [{\"criterion_id\": "
                          "str, \"proposed_points\": number, \"rationale\": str}]}.");
    case store::Purpose::kCorrection:
      return absl::StrCat(kCommon, " Relève les erreurs et les passages à améliorer : "
                          "{\"summary\": str, \"annotations\": [{\"excerpt\": str, \"comment\": str}]}.");
    case store::Purpose::kExtraWork:
      return absl::StrCat(kCommon, " Propose des exercices de remédiation : {\"summary\": str, "
                          "\"extra_work\": [{\"item_id\": str, \"description\": str, \"rationale\": str}]}.");
    case store::Purpose::kAiDetection:
      break;
  }
  return kCommon;
}

std::string UserPrompt(const ProviderRequest& r) {
  std::string prompt = absl::StrCat("Sujet : ", r.assignment_title, "\nConsignes : ", r.instructions,
                                    "\nBarème :\n");
  for (const auto& c : r.criteria) {
    absl::StrAppend(&prompt, "- ", c.id, " (", c.label, ", sur ", c.max_points, ")");
    for (const auto& d : c.descriptors) absl::StrAppend(&prompt, " ; ", d);
    absl::StrAppend(&prompt, "\n");
  }
  absl::StrAppend(&prompt, "\nCopie de l'élève :\n", r.copy_text);
  return prompt;
}

size_t Collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

absl::StatusOr<ProviderReply> ParseContent(const std::string& body) {
  const json reply = json::parse(body, nullptr, false);
  if (reply.is_discarded()) return absl::InternalError("the provider's answer is not JSON");
  try {
    const std::string content = reply.at("choices").at(0).at("message").at("content").get<std::string>();
    const json answer = json::parse(content, nullptr, false);
    if (answer.is_discarded() || !answer.is_object()) {
      return absl::InternalError("the provider's message is not a JSON object");
    }
    ProviderReply out;
    out.model = reply.value("model", "");
    out.summary = answer.value("summary", "");
    for (const auto& c : answer.value("criteria", json::array())) {
      out.criteria.push_back({c.at("criterion_id").get<std::string>(),
                              c.at("proposed_points").get<double>(),
                              c.value("rationale", "")});
    }
    for (const auto& a : answer.value("annotations", json::array())) {
      out.annotations.push_back({a.value("excerpt", ""), a.at("comment").get<std::string>()});
    }
    for (const auto& x : answer.value("extra_work", json::array())) {
      out.extra_work.push_back({x.value("item_id", absl::StrCat("x", out.extra_work.size() + 1)),
                                x.at("description").get<std::string>(), x.value("rationale", "")});
    }
    return out;
  } catch (const json::exception&) {
    return absl::InternalError("the provider's answer does not have the expected fields");
  }
}

}  // namespace

OpenAiCompatibleProvider::OpenAiCompatibleProvider(OpenAiCompatibleConfig config)
    : config_(std::move(config)) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialised;
}

absl::StatusOr<ProviderReply> OpenAiCompatibleProvider::Suggest(const ProviderRequest& request) {
  const json body = {
      {"model", config_.model},
      {"messages", json::array({{{"role", "system"}, {"content", SystemPrompt(request.purpose)}},
                                {{"role", "user"}, {"content", UserPrompt(request)}}})},
      {"response_format", {{"type", "json_object"}}},
      {"temperature", 0},
  };
  const std::string payload = body.dump(-1, ' ', false, json::error_handler_t::replace);
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return absl::InternalError("libcurl could not start");
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  if (!config_.api_key_env.empty()) {
    if (const char* key = std::getenv(config_.api_key_env.c_str()); key != nullptr && *key) {
      headers = curl_slist_append(headers, absl::StrCat("Authorization: Bearer ", key).c_str());
    }
  }
  std::string answer;
  const std::string url = absl::StrCat(config_.base_url, "/chat/completions");
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, payload.data());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(payload.size()));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, config_.connect_timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, config_.total_timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl.get());
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat("provider '", config_.name, "' could not be reached: ", curl_easy_strerror(rc)));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status == 429 || status >= 500) {
    return absl::UnavailableError(
        absl::StrCat("provider '", config_.name, "' answered HTTP ", status));
  }
  if (status != 200) {
    return absl::InternalError(absl::StrCat("provider '", config_.name, "' answered HTTP ", status));
  }
  return ParseContent(answer);
}

}  // namespace gardefou::plugins
