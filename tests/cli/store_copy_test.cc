// End to end, with the real binary and a throw-away PostgreSQL 15 cluster: a SQLite store
// written by `gardefou serve` as the demo writes it (a sign-off, a superseding one, signed
// checkpoints) is moved with `gardefou store copy`. The copy holds every row; `audit verify`
// prints the same verdict line (events, checkpoints, root, head) on both stores; a second
// copy into the filled target is refused and writes nothing; a server on the copy serves the
// copied decision unchanged, replays its idempotent answer and signs new decisions and
// checkpoints on the copied chain; `audit report` reads it; and the URI's password shows in
// no output or page, the errors of a wrong password included.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "service/store/postgresql/connection.h"
#include "service/store/store.h"
#include "service/store/tables.h"
#include "tests/support/postgres_cluster.h"
#include "tests/support/run_command.h"
#include "tests/support/serve_process.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

namespace fs = std::filesystem;
using google::protobuf::util::MessageDifferencer;

constexpr char kDatabase[] = "store_copy";

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `gardefou ARGS...`, each word single-quoted for the shell (URIs hold '?' and '&').
RunResult Gardefou(std::initializer_list<std::string> args) {
  std::string command = absl::StrCat("'", GARDEFOU_BINARY, "'");
  for (const std::string& arg : args) absl::StrAppend(&command, " '", arg, "'");
  return RunCommand(command);
}

// What follows `prefix` on the first line of `output` that starts with it, "" when none does.
std::string LineAfter(const std::string& output, const std::string& prefix) {
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(prefix)) return line.substr(prefix.size());
  }
  return "";
}

// A gRPC status as a gtest result that says the code and message when it is not OK.
::testing::AssertionResult Ok(const grpc::Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "gRPC status " << status.error_code() << ": " << status.error_message();
}

// A `gardefou serve` child stopped with SIGTERM when the scope ends, even on a failed ASSERT.
class Serving {
 public:
  Serving(const std::vector<std::string>& args, fs::path log)
      : log_(std::move(log)), process_(StartServe(GARDEFOU_BINARY, args, log_)) {}
  ~Serving() {
    if (!stopped_) StopServe(process_);
  }
  int port() const { return process_.port; }
  std::string Log() const { return ReadAll(log_); }
  // True when it exits with 0 (a clean stop).
  bool Stop() {
    stopped_ = true;
    return StopServe(process_);
  }

 private:
  fs::path log_;
  ServeProcess process_;
  bool stopped_ = false;
};

// The one value of `sql` run by the superuser on the test's database.
std::string PgScalar(const PostgresCluster& cluster, const std::string& sql) {
  absl::StatusOr<std::unique_ptr<store::PgConnection>> conn =
      store::PgConnection::Open(cluster.ConnInfo(kDatabase));
  if (!conn.ok()) return conn.status().ToString();
  absl::StatusOr<store::PgResult> result = (*conn)->Query(sql);
  if (!result.ok()) return result.status().ToString();
  return result->Rows() == 1 ? result->Text(0, 0) : "no single row";
}

// Per-table row counts (and the state columns) of the PostgreSQL database, with the same
// keys and SQL as CountRows gives for a SQLite file, read by the superuser.
TableCounts PgCounts(const PostgresCluster& cluster) {
  TableCounts counts;
  absl::StatusOr<std::unique_ptr<store::PgConnection>> conn =
      store::PgConnection::Open(cluster.ConnInfo(kDatabase));
  if (!conn.ok()) {
    ADD_FAILURE() << conn.status();
    return counts;
  }
  auto count = [&](const std::string& key, const std::string& sql) {
    absl::StatusOr<store::PgResult> result = (*conn)->Query(sql);
    EXPECT_TRUE(result.ok()) << sql << ": " << result.status();
    counts[key] = result.ok() && result->Rows() == 1 ? std::stoll(result->Text(0, 0)) : -1;
  };
  for (const store::TableSpec& table : store::Tables()) {
    count(std::string(table.name), absl::StrCat("SELECT COUNT(*) FROM ", table.name));
  }
  count("copy_state_sum", "SELECT COALESCE(SUM(state), 0) FROM copies");
  count("closed_reviews", "SELECT COUNT(*) FROM reviews WHERE closed_at_us != 0");
  count("active_decisions", "SELECT COUNT(*) FROM decisions WHERE active = 1");
  return counts;
}

int64_t Rows(const TableCounts& counts) {
  int64_t rows = 0;
  for (const store::TableSpec& table : store::Tables()) rows += counts.at(std::string(table.name));
  return rows;
}

// The verdict line of `audit verify` with what it says, or empty matches when it is not one.
struct Verdict {
  int64_t events = -1;
  int64_t checkpoints = -1;
  int64_t checkpoint_size = -1;
  std::string head;
};

Verdict ParseVerdict(const std::string& output) {
  static const std::regex line(
      R"(^OK: (\d+) events verified; (\d+) checkpoints? verified; latest checkpoint: size (\d+), )"
      R"(root [A-Za-z0-9+/=]+; head ([0-9a-f]{64})\n$)");
  std::smatch m;
  Verdict verdict;
  if (std::regex_match(output, m, line)) {
    verdict = {std::stoll(m[1].str()), std::stoll(m[2].str()), std::stoll(m[3].str()), m[4].str()};
  }
  return verdict;
}

class StoreCopy : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<PostgresCluster>> started = PostgresCluster::Start();
    // Never skipped: without a cluster this test fails and says why.
    ASSERT_TRUE(started.ok()) << "the PostgreSQL cluster did not start: " << started.status();
    cluster_ = *std::move(started);
    ASSERT_TRUE(cluster_->CreateDatabase(kDatabase).ok());
  }

  // Fails the test when the output of `what` shows a role's password or `extra`.
  void ExpectNoPassword(const std::string& what, const std::string& output,
                        const std::string& extra = "") const {
    for (const std::string& secret :
         {cluster_->OwnerPassword(), cluster_->ServicePassword(), extra}) {
      if (secret.empty()) continue;
      EXPECT_EQ(output.find(secret), std::string::npos)
          << what << " shows a password (" << secret << "):\n"
          << output;
    }
  }

  TempDir dir_;
  std::unique_ptr<PostgresCluster> cluster_;
};

TEST_F(StoreCopy, TheDemoStoreMovesToPostgresqlAndKeepsItsTrail) {
  const fs::path db = dir_.path() / "gardefou.db";
  const std::string key = db.string() + ".signing-key";
  const std::string owner_uri = cluster_->OwnerUri(kDatabase);
  const std::string service_uri = cluster_->ServiceUri(kDatabase);

  // 1. The demo's store: serve on a SQLite file (StartServe adds --dev-headers), a sign-off,
  // a correction superseding it, checkpoints signed in the background every 2 events and on
  // request, then a clean stop.
  v1::Decision signed_first, signed_second, served_before;
  v1::SignOffRequest correction;
  std::string copy_id;
  {
    Serving serve({"--db", db.string(), "--checkpoint-events", "2"}, dir_.path() / "serve1.log");
    ASSERT_GT(serve.port(), 0) << "gardefou serve did not start:\n" << serve.Log();
    auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", serve.port()),
                                       grpc::InsecureChannelCredentials());
    auto grading = v1::GradingAssist::NewStub(channel);
    auto trail = v1::AuditTrail::NewStub(channel);
    Scenario s = BuildScenario(*grading);
    ASSERT_FALSE(s.review.review_id().empty()) << "the scenario was not built";
    copy_id = s.copy.copy_id();
    ASSERT_TRUE(
        Ok(grading->SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s), &signed_first)));
    v1::GetCheckpointRequest sign_now;
    sign_now.set_sign_now(true);
    v1::Checkpoint checkpoint;
    ASSERT_TRUE(
        Ok(trail->GetCheckpoint(TestServer::Context(Inspector()).get(), sign_now, &checkpoint)));

    v1::OpenReviewRequest reopen;
    reopen.set_request_id("review-2");
    reopen.set_copy_id(copy_id);
    ASSERT_TRUE(Ok(grading->OpenReview(TestServer::Context(Teacher()).get(), reopen, &s.review)));
    correction = ValidSignOff(s, "sign-2");
    correction.mutable_scores(2)->set_points(6);
    correction.set_supersedes_decision_id(signed_first.decision_id());
    correction.set_supersede_reason("Erreur de report sur le critère 3.");
    ASSERT_TRUE(
        Ok(grading->SignOff(TestServer::Context(Teacher()).get(), correction, &signed_second)));
    ASSERT_TRUE(
        Ok(trail->GetCheckpoint(TestServer::Context(Inspector()).get(), sign_now, &checkpoint)));
    v1::GetDecisionRequest get;
    get.set_copy_id(copy_id);
    ASSERT_TRUE(Ok(grading->GetDecision(TestServer::Context(Lms()).get(), get, &served_before)));
    ASSERT_EQ(served_before.decision_id(), signed_second.decision_id());
    EXPECT_TRUE(serve.Stop()) << "SIGTERM is a clean stop:\n" << serve.Log();
  }
  const TableCounts source_counts = CountRows(db);
  ASSERT_GE(source_counts.at("checkpoints"), 1);
  ASSERT_EQ(source_counts.at("decisions"), 2);
  const RunResult sqlite_verify = Gardefou({"audit", "verify", "--db", db.string()});
  ASSERT_EQ(sqlite_verify.exit_code, 0) << sqlite_verify.output;
  const Verdict source = ParseVerdict(sqlite_verify.output);
  ASSERT_GE(source.checkpoints, 1) << sqlite_verify.output;
  EXPECT_EQ(source.events, source_counts.at("audit_events"));

  // 2. The owner migrates the empty database and copies into it; both stores then give the
  // same verdict line, the copy holds every row, and the source was not touched.
  const RunResult migrated = Gardefou({"store", "migrate", "--store", owner_uri});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.output;
  ExpectNoPassword("store migrate", migrated.output);
  const RunResult copied =
      Gardefou({"store", "copy", "--from", "sqlite:" + db.string(), "--to", owner_uri});
  ASSERT_EQ(copied.exit_code, 0) << copied.output;
  ExpectNoPassword("store copy", copied.output);
  EXPECT_EQ(LineAfter(copied.output, "copied "),
            absl::StrCat(Rows(source_counts), " rows from sqlite:", db.string(), " to ",
                         store::DescribeStore(owner_uri), ", every table read back identical"))
      << copied.output;
  const std::string summary = absl::StrCat("head ", source.events, " ", source.head, ", ",
                                           source_counts.at("checkpoints"),
                                           " checkpoints, the same in both stores");
  EXPECT_EQ(LineAfter(copied.output, "head "), summary.substr(5)) << copied.output;
  EXPECT_EQ(PgCounts(*cluster_), source_counts) << "every row of every table, every state";
  EXPECT_EQ(CountRows(db), source_counts) << "the source is only read";

  const RunResult pg_verify = Gardefou({"audit", "verify", "--store", service_uri, "--key", key});
  ASSERT_EQ(pg_verify.exit_code, 0) << pg_verify.output;
  ExpectNoPassword("audit verify --store", pg_verify.output);
  EXPECT_EQ(pg_verify.output, sqlite_verify.output) << "same events, checkpoints, root and head";
  const RunResult sqlite_again = Gardefou({"audit", "verify", "--db", db.string()});
  EXPECT_EQ(sqlite_again.output, sqlite_verify.output);
  // The documented way, the password in PGPASSWORD rather than in the URI, reads the same.
  const std::string bare_uri = absl::StrReplaceAll(
      service_uri, {{absl::StrCat(":", cluster_->ServicePassword(), "@"), "@"}});
  ASSERT_NE(bare_uri, service_uri);
  const RunResult from_env =
      RunCommand(absl::StrCat("PGPASSWORD='", cluster_->ServicePassword(), "' '", GARDEFOU_BINARY,
                              "' audit verify --store '", bare_uri, "' --key '", key, "'"));
  EXPECT_EQ(from_env.exit_code, 0) << from_env.output;
  EXPECT_EQ(from_env.output, sqlite_verify.output);

  // 3. A second copy into the filled target is refused (exit 2) and writes nothing.
  const TableCounts copied_counts = PgCounts(*cluster_);
  const RunResult again =
      Gardefou({"store", "copy", "--from", "sqlite:" + db.string(), "--to", owner_uri});
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_NE(again.output.find("the target store is not empty"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("nothing was written"), std::string::npos) << again.output;
  ExpectNoPassword("store copy into a filled store", again.output);
  EXPECT_EQ(PgCounts(*cluster_), copied_counts);
  const RunResult after_refusal =
      Gardefou({"audit", "verify", "--store", service_uri, "--key", key});
  EXPECT_EQ(after_refusal.output, pg_verify.output) << "head and checkpoints unchanged";

  // 5. A server on the copy, as the service role: the copied decision comes back as it was,
  // the copied idempotent answer is replayed, and new decisions and a checkpoint are signed on
  // the copied chain.
  {
    Serving serve({"--store", service_uri, "--signing-key", key}, dir_.path() / "serve2.log");
    ASSERT_GT(serve.port(), 0) << "gardefou serve on PostgreSQL did not start:\n" << serve.Log();
    auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", serve.port()),
                                       grpc::InsecureChannelCredentials());
    auto grading = v1::GradingAssist::NewStub(channel);
    auto trail = v1::AuditTrail::NewStub(channel);

    v1::GetDecisionRequest get;
    get.set_copy_id(copy_id);
    v1::Decision served;
    ASSERT_TRUE(Ok(grading->GetDecision(TestServer::Context(Lms()).get(), get, &served)));
    EXPECT_EQ(served.decision_id(), signed_second.decision_id());
    ASSERT_EQ(served.scores_size(), 3);
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(served.scores(i).criterion_id(), signed_second.scores(i).criterion_id());
      EXPECT_EQ(served.scores(i).points(), signed_second.scores(i).points());
      EXPECT_EQ(served.scores(i).origin(), signed_second.scores(i).origin());
    }
    EXPECT_TRUE(MessageDifferencer::Equals(served, served_before))
        << "PostgreSQL: " << served.DebugString() << "SQLite: " << served_before.DebugString();

    v1::Decision replayed;
    ASSERT_TRUE(Ok(grading->SignOff(TestServer::Context(Teacher()).get(), correction, &replayed)));
    EXPECT_TRUE(MessageDifferencer::Equals(replayed, signed_second)) << replayed.DebugString();

    v1::OpenReviewRequest reopen;
    reopen.set_request_id("review-3");
    reopen.set_copy_id(copy_id);
    v1::Review review;
    ASSERT_TRUE(Ok(grading->OpenReview(TestServer::Context(Teacher()).get(), reopen, &review)));
    v1::SignOffRequest third = correction;
    third.set_request_id("sign-3");
    third.set_review_id(review.review_id());
    third.set_supersedes_decision_id(signed_second.decision_id());
    third.set_supersede_reason("Relecture après la migration.");
    v1::Decision signed_third;
    ASSERT_TRUE(Ok(grading->SignOff(TestServer::Context(Teacher()).get(), third, &signed_third)));
    EXPECT_NE(signed_third.decision_id(), signed_second.decision_id());
    EXPECT_EQ(signed_third.supersedes_decision_id(), signed_second.decision_id());
    ASSERT_TRUE(Ok(grading->GetDecision(TestServer::Context(Lms()).get(), get, &served)));
    EXPECT_EQ(served.decision_id(), signed_third.decision_id());

    // A whole new flow in another school, from roster to sign-off.
    Scenario other = BuildScenario(*grading, true, true, kOtherTenant);
    ASSERT_FALSE(other.review.review_id().empty()) << "the scenario was not built";
    v1::Decision signed_other;
    ASSERT_TRUE(Ok(grading->SignOff(TestServer::Context(Teacher(kTeacher, kOtherTenant)).get(),
                                    ValidSignOff(other), &signed_other)));

    v1::GetCheckpointRequest sign_now;
    sign_now.set_sign_now(true);
    v1::Checkpoint checkpoint;
    ASSERT_TRUE(
        Ok(trail->GetCheckpoint(TestServer::Context(Inspector()).get(), sign_now, &checkpoint)));
    EXPECT_GT(checkpoint.tree_size(), source.checkpoint_size);
    grading.reset();
    trail.reset();
    channel.reset();
    EXPECT_TRUE(serve.Stop()) << "SIGTERM is a clean stop:\n" << serve.Log();
    const std::string serve_log = serve.Log();
    ExpectNoPassword("serve --store", serve_log);
    EXPECT_NE(serve_log.find(absl::StrCat("store ", store::DescribeStore(service_uri), ",")),
              std::string::npos)
        << serve_log;
  }
  const RunResult grown = Gardefou({"audit", "verify", "--store", service_uri, "--key", key});
  EXPECT_EQ(grown.exit_code, 0) << grown.output;
  ExpectNoPassword("audit verify --store after new writes", grown.output);
  const Verdict after = ParseVerdict(grown.output);
  EXPECT_GT(after.events, source.events) << grown.output;
  EXPECT_GT(after.checkpoints, source.checkpoints) << grown.output;
  EXPECT_EQ(after.checkpoint_size, after.events) << "the last checkpoint covers the whole log";
  EXPECT_EQ(PgCounts(*cluster_).at("decisions"), 4);

  // 6. The inspector's page from the PostgreSQL store names it without its password.
  const fs::path page = dir_.path() / "page.html";
  const RunResult report =
      Gardefou({"audit", "report", "--store", service_uri, "--key", key, "--out", page.string()});
  EXPECT_EQ(report.exit_code, 0) << report.output;
  ExpectNoPassword("audit report --store", report.output);
  const std::string html = ReadAll(page);
  EXPECT_NE(html.find("data-value=\"OK\""), std::string::npos);
  EXPECT_NE(html.find(absl::StrCat("<code>", store::DescribeStore(service_uri), "</code>")),
            std::string::npos);
  EXPECT_NE(
      html.find(absl::StrCat("<span data-metric=\"events_checked\">", after.events, "</span>")),
      std::string::npos)
      << "the page counts the events verified";
  ExpectNoPassword("the report page", html);
}

// 4. Every command that takes a PostgreSQL URI fails with exit 2 (serve: 1) on a wrong
// password, a missing database or a URI that does not parse, and none of them shows the
// password, the wrong one or the real ones. Nothing is created on the way.
// The file `make demo` leaves: the same server and the same LMS example client
// (examples/demo/run_demo.sh), then copied and verified on both engines.
TEST_F(StoreCopy, TheFileTheDemoLeavesCopiesWithTheSameHeadAndCheckpoints) {
  const fs::path db = dir_.path() / "demo.db";
  const std::string key = db.string() + ".signing-key";
  {
    Serving serve({"--db", db.string(), "--checkpoint-events", "5"}, dir_.path() / "demo.log");
    ASSERT_GT(serve.port(), 0) << serve.Log();
    const RunResult demo = RunCommand(absl::StrCat(
        "cd '", GARDEFOU_SOURCE_DIR, "' && '", GARDEFOU_BUILD_DIR,
        "/examples/lms_demo' --target 127.0.0.1:", serve.port(),
        " --roster examples/demo/roster.json --copies examples/demo/copies"));
    ASSERT_EQ(demo.exit_code, 0) << demo.output;
    EXPECT_TRUE(serve.Stop()) << serve.Log();
  }
  const RunResult sqlite_verify = Gardefou({"audit", "verify", "--db", db.string()});
  ASSERT_EQ(sqlite_verify.exit_code, 0) << sqlite_verify.output;
  const Verdict source = ParseVerdict(sqlite_verify.output);
  ASSERT_GE(source.checkpoints, 1) << sqlite_verify.output;
  const RunResult copied = Gardefou({"store", "copy", "--from", "sqlite:" + db.string(), "--to",
                                     cluster_->OwnerUri(kDatabase)});
  ASSERT_EQ(copied.exit_code, 0) << copied.output;
  EXPECT_EQ(LineAfter(copied.output, "head "),
            absl::StrCat(source.events, " ", source.head, ", ", source.checkpoints,
                         " checkpoints, the same in both stores"))
      << copied.output;
  const RunResult pg_verify = Gardefou(
      {"audit", "verify", "--store", cluster_->ServiceUri(kDatabase), "--key", key});
  EXPECT_EQ(pg_verify.exit_code, 0) << pg_verify.output;
  EXPECT_EQ(pg_verify.output, sqlite_verify.output) << "same events, checkpoints, root and head";
}

TEST_F(StoreCopy, ErrorsNeverShowThePassword) {
  const std::string wrong = "Wr0ngPassw0rd4Test";
  const std::string wrong_uri = cluster_->StoreUri(PostgresCluster::kOwnerRole, wrong, kDatabase);
  const fs::path db = dir_.path() / "source.db";
  const std::string key = (dir_.path() / "log.signing-key").string();
  const RunResult source = Gardefou({"store", "migrate", "--store", "sqlite:" + db.string()});
  ASSERT_EQ(source.exit_code, 0) << source.output;

  struct Case {
    std::string what;
    RunResult result;
    int exit_code;
    std::string says;
  };
  const fs::path target_db = dir_.path() / "target.db";
  const fs::path page = dir_.path() / "page.html";
  const fs::path export_dir = dir_.path() / "export";
  const std::vector<Case> cases = {
      {"copy to a wrong password",
       Gardefou({"store", "copy", "--from", "sqlite:" + db.string(), "--to", wrong_uri}), 2,
       "password authentication failed"},
      {"copy from a wrong password",
       Gardefou({"store", "copy", "--from", wrong_uri, "--to", "sqlite:" + target_db.string()}), 2,
       "password authentication failed"},
      {"migrate with a wrong password", Gardefou({"store", "migrate", "--store", wrong_uri}), 2,
       "password authentication failed"},
      {"verify with a wrong password",
       Gardefou({"audit", "verify", "--store", wrong_uri, "--key", key}), 2,
       "password authentication failed"},
      {"report with a wrong password",
       Gardefou({"audit", "report", "--store", wrong_uri, "--out", page.string()}), 2,
       "password authentication failed"},
      {"export with a wrong password",
       Gardefou({"audit", "export", "--store", wrong_uri, "--out", export_dir.string()}), 2,
       "password authentication failed"},
      {"serve with a wrong password",
       Gardefou({"serve", "--store", wrong_uri, "--signing-key", key, "--dev-headers", "--listen",
                 "127.0.0.1:0"}),
       1, "password authentication failed"},
      {"verify a database that does not exist",
       Gardefou({"audit", "verify", "--store", cluster_->ServiceUri("nowhere"), "--key", key}), 2,
       "does not exist"},
      {"verify a database that holds no store",
       Gardefou({"audit", "verify", "--store", cluster_->ServiceUri(kDatabase), "--key", key}), 2,
       "holds no gardefou store"},
      {"copy to a URI that does not parse",
       Gardefou({"store", "copy", "--from", "sqlite:" + db.string(), "--to",
                 cluster_->OwnerUri(kDatabase) + "&nonsense=1"}),
       2, "does not parse"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.result.exit_code, c.exit_code) << c.what << ":\n" << c.result.output;
    EXPECT_NE(c.result.output.find(c.says), std::string::npos) << c.what << ":\n"
                                                               << c.result.output;
    ExpectNoPassword(c.what, c.result.output, wrong);
  }
  EXPECT_FALSE(fs::exists(target_db));
  EXPECT_FALSE(fs::exists(page));
  EXPECT_FALSE(fs::exists(export_dir));
  EXPECT_FALSE(fs::exists(key)) << "serve created no key for a store it could not open";
  EXPECT_EQ(PgScalar(*cluster_, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"), "0")
      << "no schema was created";
}

}  // namespace
}  // namespace gardefou::testing
