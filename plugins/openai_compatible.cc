// Prompts, the HTTP call (libcurl) and the parsing of the chat-completions answer.
#include "plugins/openai_compatible.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <memory>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/common/status_macros.h"

namespace gardefou::plugins {

bool EncryptedOrLocal(absl::string_view base_url) {
  if (absl::StartsWith(base_url, "https://")) return true;
  if (!absl::ConsumePrefix(&base_url, "http://")) return false;
  absl::string_view host = base_url.substr(0, base_url.find_first_of("/?#"));
  if (host.find('@') != absl::string_view::npos) return false;  // user info: not worth a guess
  if (absl::StartsWith(host, "[::1]")) return true;
  host = host.substr(0, host.find(':'));
  // A numeric 127.x.y.z only: "127.example.org" is a name anyone may point anywhere.
  return host == "localhost" ||
         (absl::StartsWith(host, "127.") &&
          host.find_first_not_of("0123456789.") == absl::string_view::npos);
}

namespace {

using nlohmann::json;

constexpr char kCommon[] =
    "Tu aides un enseignant à corriger la copie d'un élève. Tu proposes, l'enseignant décide : "
    "n'écris jamais de note définitive. Les noms ont été remplacés par des marqueurs comme "
    "[ELEVE_1] ; recopie-les tels quels. Réponds uniquement par un objet JSON.";

std::string SystemPrompt(model::Purpose purpose) {
  switch (purpose) {
    case model::Purpose::kEvaluation:
      return absl::StrCat(kCommon, " Pour chaque critère du barème, propose un nombre de points "
                          "et une justification : {\"summary\": str, \"criteria\": [{\"criterion_id\": "
                          "str, \"proposed_points\": number, \"rationale\": str}]}.");
    case model::Purpose::kCorrection:
      return absl::StrCat(kCommon, " Relève les erreurs et les passages à améliorer : "
                          "{\"summary\": str, \"annotations\": [{\"excerpt\": str, \"comment\": str}]}.");
    case model::Purpose::kExtraWork:
      return absl::StrCat(kCommon, " Propose des exercices de remédiation : {\"summary\": str, "
                          "\"extra_work\": [{\"item_id\": str, \"description\": str, \"rationale\": str}]}.");
    case model::Purpose::kAiDetection:
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

// The JSON schema of the answer for a purpose: only the rubric's criterion ids are allowed.
json Schema(const ProviderRequest& r) {
  auto object = [](json properties, json required) {
    return json{{"type", "object"}, {"properties", std::move(properties)},
                {"required", std::move(required)}, {"additionalProperties", false}};
  };
  const json text = {{"type", "string"}};
  json items;
  std::string list;
  switch (r.purpose) {
    case model::Purpose::kEvaluation: {
      json ids = json::array();
      for (const auto& c : r.criteria) ids.push_back(c.id);
      items = object({{"criterion_id", {{"type", "string"}, {"enum", ids}}},
                      {"proposed_points", {{"type", "number"}}},
                      {"rationale", text}},
                     {"criterion_id", "proposed_points", "rationale"});
      list = "criteria";
      break;
    }
    case model::Purpose::kExtraWork:
      items = object({{"item_id", text}, {"description", text}, {"rationale", text}},
                     {"item_id", "description", "rationale"});
      list = "extra_work";
      break;
    default:
      items = object({{"excerpt", text}, {"comment", text}}, {"excerpt", "comment"});
      list = "annotations";
      break;
  }
  return object({{"summary", text}, {list, {{"type", "array"}, {"items", items}}}},
                {"summary", list});
}

// The reply body, read up to a bound: a hostile vendor's 50 MB answer stops at the bound
// (returning less than given makes libcurl abort the transfer).
struct BoundedBody {
  std::string* body;
  size_t max_bytes;
  bool overflowed = false;
};

size_t Collect(char* data, size_t size, size_t count, void* out) {
  auto* sink = static_cast<BoundedBody*>(out);
  if (sink->body->size() + size * count > sink->max_bytes) {
    sink->overflowed = true;
    return 0;
  }
  sink->body->append(data, size * count);
  return size * count;
}

// The longest text field kept from a reply, and the longest model name recorded.
constexpr size_t kMaxTextField = 64 * 1024;
constexpr size_t kMaxModelName = 128;

// A model name as the trail may record it: 1 to 128 characters of [A-Za-z0-9._:/@+-].
bool SafeModelName(absl::string_view model) {
  if (model.empty() || model.size() > kMaxModelName) return false;
  for (char c : model) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
        absl::string_view("._:/@+-").find(c) == absl::string_view::npos) {
      return false;
    }
  }
  return true;
}

// Keeps the Retry-After header (seconds, or an HTTP date) in milliseconds.
size_t ReadHeader(char* data, size_t size, size_t count, void* out) {
  absl::string_view line(data, size * count);
  constexpr absl::string_view kName = "retry-after:";
  if (line.size() > kName.size() && absl::EqualsIgnoreCase(line.substr(0, kName.size()), kName)) {
    const std::string value(absl::StripAsciiWhitespace(line.substr(kName.size())));
    long seconds = 0;
    if (absl::SimpleAtoi(value, &seconds) && seconds >= 0) {
      *static_cast<long*>(out) = seconds * 1000;
    } else if (const time_t when = curl_getdate(value.c_str(), nullptr); when > 0) {
      *static_cast<long*>(out) = std::max<long>(0, (when - std::time(nullptr)) * 1000);
    }
  }
  return size * count;
}

// Aborts the transfer when the caller cancels.
int CheckCancelled(void* request, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const ProviderRequest*>(request)->cancelled() ? 1 : 0;
}

absl::Status Malformed(absl::string_view what) {
  return absl::InternalError(absl::StrCat("the provider's answer is unusable: ", what));
}

// A required string field of `object`.
absl::StatusOr<std::string> Text(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_string()) {
    return Malformed(absl::StrCat("text field '", field, "' is missing"));
  }
  if (it->get_ref<const std::string&>().size() > kMaxTextField) {
    return Malformed(absl::StrCat("text field '", field, "' is longer than ", kMaxTextField,
                                  " bytes"));
  }
  return it->get<std::string>();
}

}  // namespace

absl::StatusOr<ProviderReply> ParseChatCompletion(const std::string& body, model::Purpose purpose,
                                                  const std::string& configured_model) {
  const json reply = json::parse(body, nullptr, false);
  if (reply.is_discarded() || !reply.is_object()) return Malformed("not JSON");
  const json* content = nullptr;
  if (auto choices = reply.find("choices"); choices != reply.end() && choices->is_array() &&
                                            !choices->empty() && (*choices)[0].is_object()) {
    if (auto message = (*choices)[0].find("message");
        message != (*choices)[0].end() && message->is_object()) {
      if (auto c = message->find("content"); c != message->end() && c->is_string()) content = &*c;
    }
  }
  if (content == nullptr) return Malformed("no choices[0].message.content");
  const json answer = json::parse(content->get<std::string>(), nullptr, false);
  if (answer.is_discarded() || !answer.is_object()) return Malformed("the message is not a JSON object");

  ProviderReply out;
  // The trail records the model: the vendor's name for it when it is a plain name, else
  // the configured one (a 5 MB "model" would stay in the append-only trail forever).
  out.model = configured_model;
  if (auto model = reply.find("model"); model != reply.end() && model->is_string() &&
                                        SafeModelName(model->get_ref<const std::string&>())) {
    out.model = model->get<std::string>();
  }
  ASSIGN_OR_RETURN(out.summary, Text(answer, "summary"));
  const char* list = purpose == model::Purpose::kEvaluation  ? "criteria"
                     : purpose == model::Purpose::kExtraWork ? "extra_work"
                                                             : "annotations";
  auto items = answer.find(list);
  if (items == answer.end() || !items->is_array()) {
    return Malformed(absl::StrCat("list '", list, "' is missing"));
  }
  for (const json& item : *items) {
    if (!item.is_object()) return Malformed(absl::StrCat("an entry of '", list, "' is not an object"));
    if (purpose == model::Purpose::kEvaluation) {
      auto points = item.find("proposed_points");
      if (points == item.end() || !points->is_number()) {
        return Malformed("a criterion has no numeric proposed_points");
      }
      ASSIGN_OR_RETURN(std::string id, Text(item, "criterion_id"));
      ASSIGN_OR_RETURN(std::string rationale, Text(item, "rationale"));
      out.criteria.push_back({std::move(id), points->get<double>(), std::move(rationale)});
    } else if (purpose == model::Purpose::kExtraWork) {
      ASSIGN_OR_RETURN(std::string description, Text(item, "description"));
      std::string id = absl::StrCat("x", out.extra_work.size() + 1);
      if (auto given = item.find("item_id"); given != item.end() && given->is_string()) {
        id = given->get<std::string>();
      }
      std::string rationale;
      if (auto r = item.find("rationale"); r != item.end() && r->is_string()) rationale = *r;
      out.extra_work.push_back({std::move(id), std::move(description), std::move(rationale)});
    } else {
      ASSIGN_OR_RETURN(std::string comment, Text(item, "comment"));
      std::string excerpt;
      if (auto e = item.find("excerpt"); e != item.end() && e->is_string()) excerpt = *e;
      out.annotations.push_back({std::move(excerpt), std::move(comment)});
    }
  }
  return out;
}

struct OpenAiCompatibleProvider::Exchange {
  long status = 0;
  std::string body;
  long retry_after_ms = -1;
};

OpenAiCompatibleProvider::OpenAiCompatibleProvider(ProviderSettings settings)
    : settings_(std::move(settings)) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialised;
}

absl::StatusOr<OpenAiCompatibleProvider::Exchange> OpenAiCompatibleProvider::Post(
    const ProviderRequest& request, bool with_schema) const {
  const json format =
      with_schema ? json{{"type", "json_schema"},
                         {"json_schema", {{"name", "suggestion"}, {"strict", true},
                                          {"schema", Schema(request)}}}}
                  : json{{"type", "json_object"}};
  const json body = {
      {"model", settings_.model},
      {"messages", json::array({{{"role", "system"}, {"content", SystemPrompt(request.purpose)}},
                                {{"role", "user"}, {"content", UserPrompt(request)}}})},
      {"response_format", format},
      {"temperature", 0},
  };
  const std::string payload = body.dump(-1, ' ', false, json::error_handler_t::replace);

  // One attempt lasts at most the configured timeout, and never past the caller's deadline.
  const auto now = std::chrono::system_clock::now();
  if (now >= request.deadline) return absl::DeadlineExceededError("the caller's deadline passed");
  long timeout_ms = settings_.timeout_ms;
  const bool deadline_bound =
      request.deadline - now < std::chrono::milliseconds(timeout_ms);
  if (deadline_bound) {
    timeout_ms = std::max<long>(
        1, std::chrono::duration_cast<std::chrono::milliseconds>(request.deadline - now).count());
  }

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return absl::InternalError("libcurl could not start");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
      curl_slist_append(nullptr, "Content-Type: application/json"), curl_slist_free_all);
  if (!settings_.api_key_env.empty()) {
    if (const char* key = std::getenv(settings_.api_key_env.c_str()); key != nullptr && *key) {
      headers.reset(curl_slist_append(headers.release(),
                                      absl::StrCat("Authorization: Bearer ", key).c_str()));
    }
  }
  Exchange exchange;
  BoundedBody sink{&exchange.body, static_cast<size_t>(settings_.max_reply_bytes)};
  const std::string url = absl::StrCat(settings_.base_url, "/chat/completions");
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, payload.data());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(payload.size()));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, ReadHeader);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &exchange.retry_after_ms);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, CheckCancelled);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &request);
  curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS,
                   std::min(settings_.connect_timeout_ms, timeout_ms));
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl.get());
  if (sink.overflowed) {
    return absl::InternalError(absl::StrCat("provider '", settings_.name,
                                            "' answered more than ", settings_.max_reply_bytes,
                                            " bytes (max_reply_bytes): the reply was refused"));
  }
  if (rc == CURLE_ABORTED_BY_CALLBACK) {
    return absl::CancelledError("the caller cancelled the request; the provider call was aborted");
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    if (deadline_bound) {
      return absl::DeadlineExceededError(absl::StrCat(
          "the caller's deadline passed before provider '", settings_.name, "' answered"));
    }
    absl::Status timeout = absl::UnavailableError(absl::StrCat(
        "provider '", settings_.name, "' did not answer within ", timeout_ms, " ms"));
    timeout.SetPayload(kRetryablePayload, absl::Cord(""));
    return timeout;
  }
  if (rc != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat("provider '", settings_.name,
                                               "' could not be reached: ", curl_easy_strerror(rc)));
  }
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &exchange.status);
  return exchange;
}

absl::StatusOr<ProviderReply> OpenAiCompatibleProvider::Suggest(const ProviderRequest& request) {
  const bool with_schema = !schema_refused_.load();
  ASSIGN_OR_RETURN(Exchange exchange, Post(request, with_schema));
  // Servers without structured output answer 400 naming the field: fall back for good.
  if (with_schema && (exchange.status == 400 || exchange.status == 422) &&
      (exchange.body.find("response_format") != std::string::npos ||
       exchange.body.find("schema") != std::string::npos)) {
    schema_refused_ = true;
    ASSIGN_OR_RETURN(exchange, Post(request, false));
  }
  if (exchange.status == 429 || exchange.status >= 500) {
    absl::Status busy = absl::UnavailableError(
        absl::StrCat("provider '", settings_.name, "' answered HTTP ", exchange.status));
    busy.SetPayload(kRetryablePayload, absl::Cord(exchange.retry_after_ms >= 0
                                                      ? std::to_string(exchange.retry_after_ms)
                                                      : ""));
    return busy;
  }
  if (exchange.status != 200) {
    return absl::InternalError(
        absl::StrCat("provider '", settings_.name, "' answered HTTP ", exchange.status));
  }
  return ParseChatCompletion(exchange.body, request.purpose, settings_.model);
}

}  // namespace gardefou::plugins
