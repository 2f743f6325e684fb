// Integration: what reaches an AI provider, at the wire. A loopback HTTP server stands for the
// AI vendor behind the openai-compatible plugin and records every request body; the whole dev
// corpus goes through the API, and no personal data from it arrives. A payload the pseudonymiser lets through is
// blocked by the leak gate, with an EGRESS_BLOCKED event and no suggestion.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "plugins/openai_compatible.h"
#include "service/audit/suggestion_events.h"
#include "service/common/files.h"
#include "service/pseudonym/roster_json.h"
#include "tests/support/http_test_server.h"
#include "tests/support/pii_scoring.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

// The vendor's answer: an evaluation of criterion c1 that names the author by placeholder,
// as a model would, and one placeholder that stands for no one.
std::pair<int, std::string> EvaluationReply(const std::string&) {
  const nlohmann::json content = {
      {"summary", "Copie correcte."},
      {"criteria", {{{"criterion_id", "c1"}, {"proposed_points", 5},
                     {"rationale", "Bravo [Eleve_1] ; voir [ELEVE_99]."}}}}};
  const nlohmann::json reply = {
      {"model", "test-model"},
      {"choices", {{{"message", {{"role", "assistant"}, {"content", content.dump()}}}}}}};
  return {200, reply.dump()};
}

// The texts of the messages in a recorded chat-completions request body.
std::string MessageTexts(const std::string& body) {
  std::string texts;
  // The parsed body must outlive the loop (a range over a temporary's member dangles).
  const nlohmann::json request = nlohmann::json::parse(body);
  for (const auto& m : request.at("messages")) {
    texts += m["content"].get<std::string>() + "\n";
  }
  return texts;
}

v1::UpsertRosterRequest ToRequest(const model::RosterRecord& r) {
  v1::UpsertRosterRequest out;
  out.set_request_id("roster-" + r.class_id);
  out.set_class_id(r.class_id);
  out.mutable_school()->set_name(r.school.name);
  out.mutable_school()->set_uai(r.school.uai);
  out.mutable_school()->set_city(r.school.city);
  out.mutable_school()->set_postcode(r.school.postcode);
  auto fill = [](const model::PersonRecord& p, v1::Person* out) {
    out->set_id(p.id);
    out->set_first(p.first);
    out->set_last(p.last);
    out->set_title(p.title);
    out->set_ine(p.ine);
    for (const auto& a : p.aliases) out->add_aliases(a);
  };
  for (const auto& t : r.teachers) fill(t, out.add_teachers());
  for (const auto& s : r.students) fill(s, out.add_students());
  return out;
}

class Egress : public ::testing::Test {
 protected:
  Egress()
      : vendor_(EvaluationReply), server_([this](plugins::ProviderRegistry& registry) {
          return registry.Register(std::make_unique<plugins::OpenAiCompatibleProvider>(
              VendorSettings("capture", vendor_.base_url())));
        }) {}

  // Sends the roster of `r` and creates an assignment whose title names its first teacher.
  std::string Prepare(const model::RosterRecord& r) {
    v1::UpsertRosterResponse upserted;
    EXPECT_TRUE(server_.grading().UpsertRoster(TestServer::Context(Lms()).get(), ToRequest(r),
                                               &upserted).ok());
    InformFamilies(server_.grading(), r.class_id);
    v1::CreateAssignmentRequest create;
    create.set_request_id("assignment-" + r.class_id);
    create.set_class_id(r.class_id);
    create.set_title("Rédaction de " + r.teachers[0].first + " " + r.teachers[0].last);
    create.set_instructions("Rendre à " + r.teachers[0].last + ", " + r.school.name + ".");
    v1::Criterion* c = create.mutable_rubric()->add_criteria();
    c->set_id("c1");
    c->set_label("Expression");
    c->set_max_points(10);
    create.add_teacher_ids(r.teachers[0].id);
    v1::Assignment assignment;
    EXPECT_TRUE(server_.grading().CreateAssignment(TestServer::Context(Lms()).get(), create,
                                                   &assignment).ok());
    return assignment.assignment_id();
  }

  grpc::Status Suggest(const std::string& assignment_id, const std::string& student,
                       const std::string& text, const std::string& id, v1::Suggestion* out) {
    v1::SubmitCopyRequest submit;
    submit.set_request_id("copy-" + id);
    submit.set_assignment_id(assignment_id);
    submit.set_student_id(student);
    submit.set_text(text);
    v1::Copy copy;
    grpc::Status st = server_.grading().SubmitCopy(TestServer::Context(Lms()).get(), submit, &copy);
    if (!st.ok()) return st;
    v1::RequestSuggestionRequest ask;
    ask.set_request_id("ask-" + id);
    ask.set_copy_id(copy.copy_id());
    ask.set_purpose(v1::EVALUATION);
    ask.set_provider("capture");
    return server_.grading().RequestSuggestion(TestServer::Context(Lms()).get(), ask, out);
  }

  HttpTestServer vendor_;  // the AI vendor, at the wire
  TestServer server_;
};

TEST_F(Egress, NoPersonalDataFromTheCorpusReachesTheProvider) {
  // GARDEFOU_CORPUS, else the realistic corpus.
  const std::string dir = CorporaUnderTest().back().dir;
  auto roster_text = common::ReadFileToString(dir + "/rosters.json");
  ASSERT_TRUE(roster_text.ok()) << roster_text.status();
  auto rosters = pseudonym::ParseRosters(*roster_text);
  ASSERT_TRUE(rosters.ok()) << rosters.status();
  std::map<std::string, std::string> assignments;
  std::map<std::string, model::RosterRecord> by_class;
  for (const auto& r : *rosters) {
    assignments[r.class_id] = Prepare(r);
    by_class[r.class_id] = r;
  }
  std::ifstream copies(dir + "/copies.jsonl");
  std::string line;
  std::vector<nlohmann::json> sent;
  int n = 0;
  int blocked = 0;
  while (std::getline(copies, line)) {
    const nlohmann::json copy = nlohmann::json::parse(line);
    v1::Suggestion suggestion;
    const grpc::Status st = Suggest(assignments[copy["class_id"]], copy["student_id"],
                                    copy["text"], std::to_string(n++), &suggestion);
    // The gate may refuse a copy the first pass left a doubt in: safe, but no help for the
    // teacher, so it must stay rare.
    if (st.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
        st.error_message().find("nothing was sent") != std::string::npos) {
      EXPECT_EQ(ReasonOf(st), "EGRESS_BLOCKED") << "copy " << n << ": " << st.error_message();
      ++blocked;
      continue;
    }
    ASSERT_TRUE(st.ok()) << "copy " << n << ": " << st.error_message();
    ASSERT_EQ(suggestion.state(), v1::READY);
    // The answer comes back with the author's name restored, the unknown placeholder flagged.
    EXPECT_NE(suggestion.criteria(0).rationale().find("[ELEVE_99]"), std::string::npos);
    EXPECT_EQ(suggestion.criteria(0).rationale().find("[Eleve_1]"), std::string::npos);
    ASSERT_EQ(suggestion.unknown_placeholders_size(), 1);
    sent.push_back(copy);
  }
  std::cout << blocked << " of " << n << " copies blocked by the leak gate\n";
  EXPECT_LE(blocked * 50, n) << "at most 2% of the copies blocked";
  const std::vector<std::string> bodies = vendor_.bodies();
  ASSERT_EQ(bodies.size(), sent.size());
  int checked = 0;
  std::map<std::string, int> total, reached;  // labelled mentions, by type
  for (size_t i = 0; i < bodies.size(); ++i) {
    // Both the raw bytes on the wire and the decoded message texts are checked.
    std::string outbound = bodies[i] + "\n" + MessageTexts(bodies[i]);
    for (const auto& trap : sent[i]["traps"]) {
      const std::string phrase = trap.get<std::string>();
      for (size_t at = outbound.find(phrase); at != std::string::npos; at = outbound.find(phrase)) {
        outbound.replace(at, phrase.size(), std::string(phrase.size(), ' '));
      }
    }
    for (const auto& pii : sent[i]["pii"]) {
      const std::string surface = pii["surface"].get<std::string>();
      const std::string type = pii["type"].get<std::string>();
      ++total[type];
      if (OccursAsWord(outbound, surface)) {
        ++reached[type];
        // Where the bar is 100%, one mention on the wire is a failure.
        EXPECT_LT(RecallBar().at(type), 1.0)
            << type << " '" << surface << "' reached the provider (copy " << i + 1 << ")";
      }
      ++checked;
    }
    const model::RosterRecord& roster = by_class[sent[i]["class_id"]];
    for (const auto& s : roster.students) {
      EXPECT_FALSE(OccursAsWord(outbound, s.first + " " + s.last)) << s.id;
      EXPECT_FALSE(OccursAsWord(outbound, s.ine)) << s.id;
    }
    EXPECT_FALSE(OccursAsWord(outbound, roster.teachers[0].last));
    EXPECT_FALSE(OccursAsWord(outbound, roster.school.name));
  }
  EXPECT_GT(checked, 1000);
  // Elsewhere, what reaches the wire stays within the pseudonymiser's bar.
  for (const auto& [type, count] : total) {
    EXPECT_LE(reached[type], count * (1.0 - RecallBar().at(type)) + 1e-9)
        << reached[type] << " of " << count << " " << type << " mentions reached the provider";
  }
}

TEST_F(Egress, NothingFromTheDemoRosterReachesTheProviderOnlyPlaceholders) {
  auto roster_text = common::ReadFileToString(GARDEFOU_SOURCE_DIR "/examples/demo/roster.json");
  ASSERT_TRUE(roster_text.ok()) << roster_text.status();
  auto rosters = pseudonym::ParseRosters(*roster_text);
  ASSERT_TRUE(rosters.ok()) << rosters.status();
  const model::RosterRecord& roster = rosters->at(0);
  const std::string assignment = Prepare(roster);
  int sent = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(GARDEFOU_SOURCE_DIR "/examples/demo/copies")) {
    auto text = common::ReadFileToString(entry.path().string());
    ASSERT_TRUE(text.ok()) << text.status();
    v1::Suggestion suggestion;
    const grpc::Status st = Suggest(assignment, entry.path().stem().string(), *text,
                                    "demo-" + std::to_string(sent++), &suggestion);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  const std::vector<std::string> bodies = vendor_.bodies();
  ASSERT_EQ(static_cast<int>(bodies.size()), sent);
  std::vector<std::string> identifying = {roster.school.name, roster.school.city, roster.school.uai};
  for (const auto& people : {roster.students, roster.teachers}) {
    for (const auto& p : people) {
      identifying.insert(identifying.end(), {p.first, p.last, p.id});
      if (!p.ine.empty()) identifying.push_back(p.ine);
      identifying.insert(identifying.end(), p.aliases.begin(), p.aliases.end());
    }
  }
  for (const std::string& body : bodies) {
    const std::string outbound = body + "\n" + MessageTexts(body);
    for (const std::string& value : identifying) {
      EXPECT_FALSE(OccursAsWord(outbound, value)) << "'" << value << "' reached the provider";
    }
    EXPECT_NE(outbound.find("[ELEVE_1]"), std::string::npos) << "the author, by placeholder";
  }
}

TEST_F(Egress, DisguisedNamesReachTheProviderOnlyAsPlaceholders) {
  model::RosterRecord r;
  r.class_id = "6B";
  r.school = {"Collège Test", "", "Vivy", ""};
  r.teachers = {{"t-1", "Claire", "Dubreuil", "Mme", "", {}}};
  r.students = {{"s-1", "Inès", "Garnier", "", "123456789AB", {}},
                {"s-2", "Yanis", "Benali", "", "", {}}};
  const std::string assignment = Prepare(r);
  // A soft hyphen, a zero-width space, a Cyrillic а, fullwidth letters, a BOM.
  const std::string text =
      "Gar\u00adnier et In\u200bès ont aidé G\u0430rnier ; \uff39\uff41\uff4e\uff49\uff53 et "
      "\ufeffBenali aussi.";
  v1::Suggestion out;
  const grpc::Status st = Suggest(assignment, "s-1", text, "disguised", &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(out.state(), v1::READY);
  const std::vector<std::string> bodies = vendor_.bodies();
  ASSERT_FALSE(bodies.empty());
  const std::string sent = MessageTexts(bodies.back());
  for (const char* part : {"nier", "Gar", "\u0430", "Yanis", "\uff39", "Benali", "Inès", "In\u200b"}) {
    EXPECT_EQ(sent.find(part), std::string::npos) << part << " reached the provider: " << sent;
  }
  EXPECT_NE(sent.find("[ELEVE_1] et [ELEVE_1] ont aidé [ELEVE_1]"), std::string::npos) << sent;
}

TEST_F(Egress, TheGateBlocksWhatThePseudonymiserMissedAndNothingIsSent) {
  model::RosterRecord r;
  r.class_id = "6A";
  r.school = {"Collège Test", "", "Vivy", ""};
  r.teachers = {{"t-1", "Claire", "Dubreuil", "Mme", "", {}}};
  r.students = {{"s-1", "Inès", "Garnier", "", "123456789AB", {}}};
  const std::string assignment = Prepare(r);
  const size_t before_calls = vendor_.bodies().size();
  // An INE typed with spaces without saying it is one, and a phone with slashes: forms the
  // first pass does not know.
  v1::Suggestion out;
  const std::string leaky = "Mon numéro est 1234 56789 AB, appelle le 06/12/34/56/78.";
  const TableCounts before = server_.Counts();
  const grpc::Status st = Suggest(assignment, "s-1", leaky, "leak", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_EQ(ReasonOf(st), "EGRESS_BLOCKED") << st.error_message();
  EXPECT_NE(st.error_message().find("INE"), std::string::npos);
  EXPECT_NE(st.error_message().find("PHONE"), std::string::npos);
  EXPECT_EQ(st.error_message().find("1234"), std::string::npos) << "never the value";
  EXPECT_EQ(vendor_.bodies().size(), before_calls) << "nothing reached the provider";
  const TableCounts after = server_.Counts();
  EXPECT_EQ(after.at("suggestions"), before.at("suggestions"));

  v1::ListEventsRequest request;
  request.set_action("EGRESS_BLOCKED");
  v1::ListEventsResponse events;
  ASSERT_TRUE(server_.trail().ListEvents(TestServer::Context(Inspector()).get(), request,
                                         &events).ok());
  ASSERT_EQ(events.events_size(), 1);
  const auto details = nlohmann::json::parse(events.events(0).details_json());
  EXPECT_EQ(details["blocked"]["INE"], 1);
  EXPECT_EQ(details["blocked"]["PHONE"], 1);
  EXPECT_EQ(events.events(0).details_json().find("1234"), std::string::npos);
  EXPECT_EQ(events.events(0).details_json().find("06/12"), std::string::npos);
  // And as its typed event.
  model::AuditEventRecord record;
  record.action = events.events(0).action();
  record.objects = {events.events(0).objects().begin(), events.events(0).objects().end()};
  record.details_json = events.events(0).details_json();
  absl::StatusOr<audit::EgressBlocked> blocked = audit::EgressBlocked::Parse(record);
  ASSERT_TRUE(blocked.ok()) << blocked.status();
  EXPECT_EQ(blocked->copy_id, events.events(0).objects().at("copy_id"));
  EXPECT_EQ(blocked->blocked, (std::map<std::string, int>{{"INE", 1}, {"PHONE", 1}}));
  EXPECT_EQ(blocked->payload_sha256.size(), 64u);
}

}  // namespace
}  // namespace gardefou::testing
