// The Merkle log through the real server: signed checkpoints that verify with the published
// key, inclusion and consistency proofs that verify against them, the roles and tenants that
// may ask, the automatic signing policy, and a server that refuses to sign a head
// inconsistent with the one it signed before.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "service/audit/checkpoint.h"
#include "service/audit/merkle.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

audit::Hash ToHash(const std::string& raw) {
  audit::Hash h{};
  EXPECT_EQ(raw.size(), h.size());
  std::copy(raw.begin(), raw.end(), h.begin());
  return h;
}

std::vector<audit::Hash> ToHashes(const google::protobuf::RepeatedPtrField<std::string>& raw) {
  std::vector<audit::Hash> out;
  for (const auto& r : raw) out.push_back(ToHash(r));
  return out;
}

class AuditLogTest : public ::testing::Test {
 protected:
  grpc::Status Checkpoint(v1::Checkpoint* out, bool sign_now = true,
                          const Caller& caller = Inspector()) {
    v1::GetCheckpointRequest request;
    request.set_sign_now(sign_now);
    return server_.trail().GetCheckpoint(TestServer::Context(caller).get(), request, out);
  }
  grpc::Status Inclusion(int64_t seq, int64_t size, v1::InclusionProof* out,
                         const Caller& caller = Inspector()) {
    v1::GetInclusionProofRequest request;
    request.set_seq(seq);
    request.set_tree_size(size);
    return server_.trail().GetInclusionProof(TestServer::Context(caller).get(), request, out);
  }
  grpc::Status Consistency(int64_t first, int64_t second, v1::ConsistencyProof* out,
                           const Caller& caller = Inspector()) {
    v1::GetConsistencyProofRequest request;
    request.set_first_size(first);
    request.set_second_size(second);
    return server_.trail().GetConsistencyProof(TestServer::Context(caller).get(), request, out);
  }
  // Opens the note with the key the server publishes beside it.
  audit::Checkpoint Open(const v1::Checkpoint& c) {
    auto key = audit::ParseVerifierKey(c.public_key());
    EXPECT_TRUE(key.ok()) << key.status();
    auto opened = audit::OpenCheckpoint(c.note(), *key);
    EXPECT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(static_cast<int64_t>(opened->size), c.tree_size());
    EXPECT_EQ(opened->root, ToHash(c.root_hash()));
    return *opened;
  }
  TestServer server_;
};

TEST_F(AuditLogTest, AnEmptyLogHasNoCheckpoint) {
  v1::Checkpoint c;
  EXPECT_EQ(Checkpoint(&c, false).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Checkpoint(&c, true).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(server_.Counts()["checkpoints"], 0);
}

TEST_F(AuditLogTest, EveryEventIsProvablyInTheSignedTree) {
  Scenario s = BuildScenario(server_.grading());
  v1::Checkpoint first;
  ASSERT_TRUE(Checkpoint(&first).ok());
  const audit::Checkpoint opened_first = Open(first);
  v1::Decision decision;
  ASSERT_TRUE(server_.grading().SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s),
                                        &decision).ok());
  v1::Checkpoint second;
  ASSERT_TRUE(Checkpoint(&second).ok());
  const audit::Checkpoint opened = Open(second);
  ASSERT_GT(second.tree_size(), first.tree_size());
  EXPECT_EQ(server_.Counts()["checkpoints"], 2);

  // Asking again without new events returns the same checkpoint, signing nothing.
  v1::Checkpoint again;
  ASSERT_TRUE(Checkpoint(&again).ok());
  EXPECT_EQ(again.note(), second.note());
  EXPECT_EQ(server_.Counts()["checkpoints"], 2);

  for (int64_t seq = 1; seq <= second.tree_size(); ++seq) {
    v1::InclusionProof proof;
    ASSERT_TRUE(Inclusion(seq, 0, &proof).ok()) << seq;
    EXPECT_EQ(proof.tree_size(), second.tree_size());
    EXPECT_TRUE(audit::VerifyInclusion(ToHash(proof.leaf_hash()), seq - 1, opened.size,
                                       ToHashes(proof.hashes()), opened.root)
                    .ok())
        << seq;
  }
  v1::ConsistencyProof consistency;
  ASSERT_TRUE(Consistency(first.tree_size(), 0, &consistency).ok());
  EXPECT_TRUE(audit::VerifyConsistency(opened_first.size, opened.size, opened_first.root,
                                       opened.root, ToHashes(consistency.hashes()))
                  .ok());
}

TEST_F(AuditLogTest, BadProofRequestsAreRefusedAndWriteNothing) {
  BuildScenario(server_.grading());
  BuildScenario(server_.grading(), false, false, kOtherTenant);
  v1::Checkpoint c;
  ASSERT_TRUE(Checkpoint(&c).ok());
  const TableCounts before = server_.Counts();
  v1::InclusionProof proof;
  v1::ConsistencyProof consistency;
  EXPECT_EQ(Inclusion(0, 0, &proof).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Inclusion(1, -1, &proof).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Inclusion(c.tree_size() + 100, 0, &proof).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Inclusion(1, c.tree_size() + 1, &proof).error_code(),
            grpc::StatusCode::OUT_OF_RANGE);
  // The other tenant's events exist, but not for this inspector.
  EXPECT_EQ(Inclusion(c.tree_size(), 0, &proof).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Inclusion(1, 0, &proof, Inspector(kOtherTenant)).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Consistency(0, 0, &consistency).error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(Consistency(3, 2, &consistency).error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(Consistency(1, c.tree_size() + 1, &consistency).error_code(),
            grpc::StatusCode::OUT_OF_RANGE);
  // Roles that do not read the trail.
  for (const Caller& caller : {Teacher(), Lms()}) {
    EXPECT_EQ(Checkpoint(&c, true, caller).error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(Inclusion(1, 0, &proof, caller).error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(Consistency(1, 0, &consistency, caller).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_EQ(server_.Counts(), before);
}

TEST_F(AuditLogTest, TheKeyFileIsPrivateAndOutsideTheDatabase) {
  struct stat st;
  const std::string key = server_.db_path().string() + ".signing-key";
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(AuditLogPolicy, ACheckpointIsSignedAfterNEventsWithoutBeingAsked) {
  TestServer server({}, workflow::CheckpointPolicy{3, 0});
  BuildScenario(server.grading());  // more than 3 events
  int64_t checkpoints = 0;
  for (int i = 0; i < 50 && checkpoints == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    checkpoints = server.Counts()["checkpoints"];
  }
  EXPECT_GE(checkpoints, 1);
}

// Restarts a server on `db`, signs off `s` and asks for a checkpoint: the status, and
// whether the checkpoints table grew.
int64_t CheckpointCount(const std::filesystem::path& db) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, "SELECT COUNT(*) FROM checkpoints", -1, &st, nullptr);
  const int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}

grpc::Status SignAfterRestart(const std::filesystem::path& db, const Scenario& s, bool* signed_one) {
  const int64_t before = CheckpointCount(db);
  server::ServerOptions options;
  options.db_path = db.string();
  options.listen = "127.0.0.1:0";
  options.dev_headers = true;
  options.checkpoints = {0, 0};
  auto restarted = server::Server::Start(options);
  EXPECT_TRUE(restarted.ok()) << restarted.status();
  if (!restarted.ok()) return grpc::Status::CANCELLED;
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string((*restarted)->port()),
                                     grpc::InsecureChannelCredentials());
  v1::Decision decision;
  EXPECT_TRUE(v1::GradingAssist::NewStub(channel)
                  ->SignOff(TestServer::Context(Teacher()).get(), ValidSignOff(s), &decision)
                  .ok());
  v1::GetCheckpointRequest sign;
  sign.set_sign_now(true);
  v1::Checkpoint c;
  const grpc::Status status = v1::AuditTrail::NewStub(channel)->GetCheckpoint(
      TestServer::Context(Inspector()).get(), sign, &c);
  (*restarted)->Shutdown();
  *signed_one = CheckpointCount(db) > before;
  return status;
}

TEST(AuditLogPolicy, TheServerNeverSignsOverAnEventChangedSinceItWasAppended) {
  auto server = std::make_unique<TestServer>();
  Scenario s = BuildScenario(server->grading());
  server->Stop();
  TamperWith(server->db_path(), "UPDATE audit_events SET actor_id = 'x' WHERE seq = 2;");
  bool signed_one = true;
  const grpc::Status status = SignAfterRestart(server->db_path(), s, &signed_one);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DATA_LOSS) << status.error_message();
  EXPECT_NE(status.error_message().find("audit event 2"), std::string::npos);
  EXPECT_FALSE(signed_one);
}

TEST(AuditLogPolicy, TheServerNeverSignsAHeadInconsistentWithTheLastOne) {
  auto server = std::make_unique<TestServer>();
  Scenario s = BuildScenario(server->grading());
  v1::Checkpoint c;
  v1::GetCheckpointRequest sign;
  sign.set_sign_now(true);
  ASSERT_TRUE(server->trail().GetCheckpoint(TestServer::Context(Inspector()).get(), sign, &c).ok());
  server->Stop();
  // Whoever holds the file rewrites the signed tree's left edge (triggers dropped first): the
  // largest perfect subtree of the signed head is among these nodes.
  TamperWith(server->db_path(),
             "UPDATE merkle_nodes SET hash = zeroblob(32) WHERE level > 0 AND idx = 0;");
  bool signed_one = true;
  const grpc::Status status = SignAfterRestart(server->db_path(), s, &signed_one);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DATA_LOSS) << status.error_message();
  EXPECT_FALSE(signed_one);
}

}  // namespace
}  // namespace gardefou::testing
