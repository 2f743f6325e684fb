// Egress: pseudonymise, gate, send, restore; hash the payload for the audit trail.
#include "service/workflow/egress.h"

#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "service/common/hashing.h"
#include "service/pseudonym/leak_gate.h"
#include "service/pseudonym/pseudonymizer.h"
#include "service/pseudonym/reidentify.h"
#include "service/store/record_json.h"

namespace gardefou::workflow {
namespace {

// The payload as a provider receives it, canonical so that its hash is reproducible.
std::string PayloadBytes(const plugins::ProviderRequest& request) {
  const nlohmann::json payload = {
      {"purpose", static_cast<int>(request.purpose)},
      {"assignment_title", request.assignment_title},
      {"instructions", request.instructions},
      {"criteria", request.criteria},
      {"copy_text", request.copy_text},
  };
  return payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

plugins::ProviderRequest Pseudonymize(const plugins::ProviderRequest& request,
                                      pseudonym::Pseudonymizer& p) {
  plugins::ProviderRequest out = request;
  out.copy_text = p.Apply(request.copy_text).text;
  out.assignment_title = p.Apply(request.assignment_title).text;
  out.instructions = p.Apply(request.instructions).text;
  for (auto& c : out.criteria) {
    c.label = p.Apply(c.label).text;
    for (auto& d : c.descriptors) d = p.Apply(d).text;
  }
  return out;
}

// The payload with its JSON keys blanked for the gate: the keys are ours ("max_points" is
// not a pupil nicknamed Max), the values are what the gate must see, escapes and all. The
// compact dump puts a key right after '{' or ','; a quote inside a value is escaped, so
// "{\"" and ",\"" followed by a word and "\":" only ever start a key.
std::string WithoutKeys(std::string payload) {
  for (size_t at = 1; at < payload.size(); ++at) {
    if (payload[at] != '"' || (payload[at - 1] != '{' && payload[at - 1] != ',')) continue;
    size_t end = at + 1;
    while (end < payload.size() && (absl::ascii_islower(payload[end]) || payload[end] == '_')) ++end;
    if (end + 1 < payload.size() && payload[end] == '"' && payload[end + 1] == ':') {
      std::fill(payload.begin() + at, payload.begin() + end + 2, ' ');
      at = end + 1;
    }
  }
  return payload;
}

// Every text a provider reads, one per line, as the gate should see them unescaped.
std::string Texts(const plugins::ProviderRequest& r) {
  std::string all = r.assignment_title + "\n" + r.instructions + "\n" + r.copy_text;
  for (const auto& c : r.criteria) {
    all += "\n" + c.label;
    for (const auto& d : c.descriptors) all += "\n" + d;
  }
  return all;
}

void Restore(std::string& text, const std::map<std::string, pseudonym::MappingEntry>& mapping,
             std::vector<std::string>& unknown) {
  pseudonym::Restored restored = pseudonym::Reidentify(text, mapping);
  text = std::move(restored.text);
  // Each unknown placeholder listed once, in the order first met.
  for (std::string& placeholder : restored.unknown) {
    if (std::find(unknown.begin(), unknown.end(), placeholder) == unknown.end()) {
      unknown.push_back(std::move(placeholder));
    }
  }
}

}  // namespace

EgressResult SendToProvider(plugins::Provider& provider, const plugins::ProviderRequest& request,
                            const model::RosterRecord& roster, const std::string& author_id,
                            const pseudonym::Lexicon& lexicon) {
  EgressResult result;
  pseudonym::Pseudonymizer pseudonymizer(roster, author_id, lexicon);
  const plugins::ProviderRequest outbound = Pseudonymize(request, pseudonymizer);
  for (int t = 0; t < pseudonym::kEntityTypeCount; ++t) {
    if (pseudonymizer.counts()[t] > 0) {
      result.entity_counts[std::string(pseudonym::TypeName(static_cast<pseudonym::EntityType>(t)))] =
          pseudonymizer.counts()[t];
    }
  }
  const std::string payload = PayloadBytes(outbound);
  result.payload_sha256 = common::Sha256Hex(payload);

  // The independent check, on the payload bytes and on the texts they carry.
  const pseudonym::LeakGate gate(roster, lexicon);
  for (const std::string& scanned : {WithoutKeys(payload), Texts(outbound)}) {
    for (const auto& [type, count] : gate.Scan(scanned)) {
      result.blocked[type] = std::max(result.blocked[type], count);
    }
  }
  if (!result.blocked.empty()) return result;

  const auto start = std::chrono::steady_clock::now();
  result.reply = provider.Suggest(outbound);
  result.latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  if (result.reply.ok()) {
    plugins::ProviderReply& reply = *result.reply;
    const auto& mapping = pseudonymizer.mapping();
    auto& unknown = result.unknown_placeholders;
    Restore(reply.summary, mapping, unknown);
    for (auto& c : reply.criteria) Restore(c.rationale, mapping, unknown);
    for (auto& a : reply.annotations) {
      Restore(a.excerpt, mapping, unknown);
      Restore(a.comment, mapping, unknown);
    }
    for (auto& x : reply.extra_work) {
      Restore(x.description, mapping, unknown);
      Restore(x.rationale, mapping, unknown);
    }
  }
  return result;
}

}  // namespace gardefou::workflow
