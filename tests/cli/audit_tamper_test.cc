// The tamper list, each run through `gardefou audit verify` as a process on a trail
// written by the real server with two signed checkpoints: every tampering is reported with
// the offending event named and exit code 1; the untouched trail and its export verify.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "service/audit/canonical.h"
#include "service/audit/export_format.h"
#include "service/store/sqlite/sqlite_store.h"
#include "tests/support/run_command.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

std::string Quote(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

RunResult Gardefou(const std::string& args) {
  return RunCommand(std::string(GARDEFOU_BINARY) + " " + args);
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A trail with a checkpoint after the scenario (size first_) and one after the sign-off
// (size second_).
class AuditTamper : public ::testing::Test {
 protected:
  void SetUp() override { Build(server_, first_, second_, first_note_, second_note_); }

  static void Build(TestServer& server, int64_t& first, int64_t& second, std::string& first_note,
                    std::string& second_note) {
    Scenario s = BuildScenario(server.grading());
    v1::GetCheckpointRequest sign;
    sign.set_sign_now(true);
    v1::Checkpoint c;
    ASSERT_TRUE(server.trail().GetCheckpoint(TestServer::Context(Inspector()).get(), sign, &c).ok());
    first = c.tree_size();
    first_note = c.note();
    v1::Decision decision;
    ASSERT_TRUE(server.grading().SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s),
                                         &decision).ok());
    ASSERT_TRUE(server.trail().GetCheckpoint(TestServer::Context(Inspector()).get(), sign, &c).ok());
    second = c.tree_size();
    second_note = c.note();
    server.Stop();
  }

  std::filesystem::path db() const { return server_.db_path(); }
  std::filesystem::path Trusted(const std::string& note) {
    const auto path = dir_.path() / "trusted.note";
    Write(path, note);
    return path;
  }
  std::filesystem::path Export() {
    const auto out = dir_.path() / "export";
    const RunResult r = Gardefou("audit export --db " + Quote(db()) + " --out " + Quote(out));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return out;
  }
  static void ExpectTampered(const RunResult& r, int64_t seq) {
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("first bad event " + std::to_string(seq) + ":"), std::string::npos)
        << r.output;
  }

  TestServer server_;
  TempDir dir_;
  int64_t first_ = 0, second_ = 0;
  std::string first_note_, second_note_;
};

TEST_F(AuditTamper, TheUntouchedTrailAndItsExportVerify) {
  RunResult r = Gardefou("audit verify --db " + Quote(db()) + " --trusted-checkpoint " +
                         Quote(Trusted(first_note_)));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("OK: " + std::to_string(second_) + " events verified; 2 checkpoints"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("the trusted checkpoint matches"), std::string::npos) << r.output;
  const auto out = Export();
  r = Gardefou("audit verify " + Quote(out) + " --trusted-checkpoint " +
               Quote(Trusted(second_note_)));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(ReadAll(out / "README.txt").find("gardefou audit verify DIR"), std::string::npos);
  const RunResult pub = Gardefou("audit pubkey --db " + Quote(db()));
  EXPECT_EQ(pub.exit_code, 0);
  EXPECT_EQ(pub.output, ReadAll(out / "log.pub"));
}

TEST_F(AuditTamper, AFieldChangedInTheDatabase) {
  TamperWith(db(), "UPDATE audit_events SET actor_id = 'someone-else' WHERE seq = 3;");
  ExpectTampered(Gardefou("audit verify --db " + Quote(db())), 3);
}

TEST_F(AuditTamper, ARowDeleted) {
  TamperWith(db(), "DELETE FROM audit_events WHERE seq = 2;");
  ExpectTampered(Gardefou("audit verify --db " + Quote(db())), 2);
}

TEST_F(AuditTamper, TwoRowsSwapped) {
  TamperWith(db(),
      "CREATE TEMP TABLE t AS SELECT * FROM audit_events WHERE seq IN (3, 4);"
      "DELETE FROM audit_events WHERE seq IN (3, 4);"
      "INSERT INTO audit_events SELECT CASE seq WHEN 3 THEN 4 ELSE 3 END, time_us, tenant, "
      "actor_id, actor_role, action, objects_json, policy_hash, details_json, prev_hash, hash "
      "FROM t;");
  ExpectTampered(Gardefou("audit verify --db " + Quote(db())), 3);
}

TEST_F(AuditTamper, TheTailTruncatedAgainstAnEarlierCheckpoint) {
  // The chain that is left is perfect; the checkpoint of the longer log is what says no.
  TamperWith(db(), "DELETE FROM audit_events WHERE seq > " + std::to_string(first_) + ";");
  ExpectTampered(Gardefou("audit verify --db " + Quote(db())), first_ + 1);
  // The holder also drops the later checkpoint: the inspector's copy of it still catches it.
  TamperWith(db(), "DELETE FROM checkpoints WHERE tree_size > " + std::to_string(first_) + ";");
  EXPECT_EQ(Gardefou("audit verify --db " + Quote(db())).exit_code, 0) << "nothing else to go by";
  ExpectTampered(Gardefou("audit verify --db " + Quote(db()) + " --trusted-checkpoint " +
                          Quote(Trusted(second_note_))),
                 first_ + 1);
}

TEST_F(AuditTamper, AnEventRewrittenWithAConsistentChain) {
  // Change the sign-off event's scores and recompute every hash after it, as a careful
  // forger would: the chain is perfect, the stored Merkle leaf and the checkpoint are not.
  std::vector<model::AuditEventRecord> events;
  {
    auto store = store::SqliteStore::Open(db().string(), 1);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Read([&](store::Session& s) {
      return s.ForEachAuditEvent([&](const model::AuditEventRecord& e) { events.push_back(e); });
    }).ok());
  }
  const int64_t target = second_;  // the last event: DECISION_SIGNED
  ASSERT_EQ(events[target - 1].action, "DECISION_SIGNED");
  model::AuditEventRecord& e = events[target - 1];
  e.details_json = "{\"forged\":true}";
  e.hash = *audit::EventHash(e);
  TamperWith(db(), "UPDATE audit_events SET details_json = '{\"forged\":true}', hash = '" + e.hash +
                "' WHERE seq = " + std::to_string(target) + ";");
  RunResult r = Gardefou("audit verify --db " + Quote(db()));
  ExpectTampered(r, target);
  EXPECT_NE(r.output.find("Merkle leaf"), std::string::npos) << r.output;
  // An export carries no leaves: the checkpoint over the changed event catches it.
  r = Gardefou("audit verify " + Quote(Export()));
  ExpectTampered(r, first_ + 1);
  EXPECT_NE(r.output.find("checkpoint of size " + std::to_string(second_)), std::string::npos)
      << r.output;
}

TEST_F(AuditTamper, TheWholeDatabaseReplacedByAConsistentForgery) {
  // Another log, perfectly consistent in itself, with its own key...
  TestServer forger;
  int64_t f1, f2;
  std::string n1, n2;
  Build(forger, f1, f2, n1, n2);
  ASSERT_EQ(Gardefou("audit verify --db " + Quote(forger.db_path())).exit_code, 0);
  RunResult r = Gardefou("audit verify --db " + Quote(forger.db_path()) +
                         " --trusted-checkpoint " + Quote(Trusted(second_note_)));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("trusted checkpoint was not signed by this log's key"),
            std::string::npos)
      << r.output;
  // Its export, checked with the log's real public key pinned, has no genuine checkpoint.
  const auto forged_out = dir_.path() / "forged-export";
  ASSERT_EQ(Gardefou("audit export --db " + Quote(forger.db_path()) + " --out " +
                     Quote(forged_out)).exit_code,
            0);
  const auto pinned = dir_.path() / "real.pub";
  Write(pinned, Gardefou("audit pubkey --db " + Quote(db())).output);
  ASSERT_EQ(Gardefou("audit verify " + Quote(forged_out)).exit_code, 0) << "consistent in itself";
  r = Gardefou("audit verify " + Quote(forged_out) + " --public-key " + Quote(pinned));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("not genuine"), std::string::npos) << r.output;
  // ...or signed with the stolen real key: the heads differ from the trusted one.
  std::filesystem::copy_file(db().string() + ".signing-key", forger.db_path().string() + ".stolen");
  TempDir forged_dir;
  server::ServerOptions options;
  options.db_path = (forged_dir.path() / "forged.db").string();
  options.signing_key_path = forger.db_path().string() + ".stolen";
  options.listen = "127.0.0.1:0";
  options.dev_headers = true;
  options.checkpoints = {0, 0};
  {
    auto forged = server::Server::Start(options);
    ASSERT_TRUE(forged.ok()) << forged.status();
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string((*forged)->port()),
                                       grpc::InsecureChannelCredentials());
    auto grading = v1::GradingAssist::NewStub(channel);
    BuildScenario(*grading);
    (*forged)->Shutdown();
  }
  r = Gardefou("audit verify --db " + Quote(options.db_path) + " --key " +
               Quote(options.signing_key_path) + " --trusted-checkpoint " +
               Quote(Trusted(first_note_)));
  ExpectTampered(r, 1);
  EXPECT_NE(r.output.find("do not match the trusted checkpoint"), std::string::npos) << r.output;
}

TEST_F(AuditTamper, OneByteChangedInAnExport) {
  const auto out = Export();
  const std::string events = ReadAll(out / "events.jsonl");
  // A byte inside event 4's content, then inside the last event's recorded hash.
  size_t line4 = 0;
  for (int i = 0; i < 3; ++i) line4 = events.find('\n', line4) + 1;
  std::string changed = events;
  const size_t at = events.find("\"actor_id\":\"", line4) + 12;
  changed[at] = changed[at] == 'x' ? 'y' : 'x';
  Write(out / "events.jsonl", changed);
  ExpectTampered(Gardefou("audit verify " + Quote(out)), 4);

  changed = events;
  changed[changed.size() - 4] = changed[changed.size() - 4] == '0' ? '1' : '0';
  Write(out / "events.jsonl", changed);
  ExpectTampered(Gardefou("audit verify " + Quote(out)), second_);

  Write(out / "events.jsonl", events);
  ASSERT_EQ(Gardefou("audit verify " + Quote(out)).exit_code, 0);
  const auto note = out / "checkpoints" / audit::CheckpointFileName(first_);
  std::string text = ReadAll(note);
  ASSERT_FALSE(text.empty()) << note;
  text[text.find('\n') + 1] = text[text.find('\n') + 1] == '9' ? '8' : '9';  // the tree size
  Write(note, text);
  const RunResult r = Gardefou("audit verify " + Quote(out));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("not genuine"), std::string::npos) << r.output;
}

TEST(AuditLive, ALiveDatabaseVerifiesWithTheServerRunningAndWriting) {
  TestServer server;
  BuildScenario(server.grading());
  std::thread writer([&] { BuildScenario(server.grading(), true, true, kOtherTenant); });
  const RunResult during = Gardefou("audit verify --db " + Quote(server.db_path()));
  writer.join();
  EXPECT_EQ(during.exit_code, 0) << during.output;
  v1::GetCheckpointRequest sign;
  sign.set_sign_now(true);
  v1::Checkpoint c;
  ASSERT_TRUE(server.trail().GetCheckpoint(TestServer::Context(Inspector()).get(), sign, &c).ok());
  const RunResult after = Gardefou("audit verify --db " + Quote(server.db_path()));
  EXPECT_EQ(after.exit_code, 0) << after.output;
  EXPECT_NE(after.output.find("1 checkpoint verified"), std::string::npos) << after.output;
}

TEST_F(AuditTamper, UsageErrorsAreNotVerdicts) {
  EXPECT_EQ(Gardefou("audit verify").exit_code, 2);
  EXPECT_EQ(Gardefou("audit verify " + Quote(dir_.path() / "none")).exit_code, 2);
  EXPECT_EQ(Gardefou("audit verify --db " + Quote(dir_.path() / "none.db")).exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "none.db")) << "never created";
  EXPECT_EQ(Gardefou("audit export --db " + Quote(db())).exit_code, 2);
  const auto out = Export();
  EXPECT_EQ(Gardefou("audit export --db " + Quote(db()) + " --out " + Quote(out)).exit_code, 2)
      << "an export is never overwritten";
  EXPECT_EQ(Gardefou("audit verify --db " + Quote(db()) + " --trusted-checkpoint " +
                     Quote(dir_.path() / "missing.note")).exit_code,
            2);
  std::filesystem::remove(out / "log.pub");
  const RunResult no_key = Gardefou("audit verify " + Quote(out));
  EXPECT_EQ(no_key.exit_code, 2) << no_key.output;
  EXPECT_NE(no_key.output.find("log.pub"), std::string::npos) << no_key.output;
}

}  // namespace
}  // namespace gardefou::testing
