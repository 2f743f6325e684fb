// Implementation of the test server, scenario and counting helpers.
#include "tests/support/test_server.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <grpcpp/generic/generic_stub.h>

#include <chrono>
#include <future>
#include <random>

namespace gardefou::testing {

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("gardefou-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

TestServer::TestServer(std::function<absl::Status(plugins::ProviderRegistry&)> register_providers,
                       workflow::CheckpointPolicy checkpoints,
                       std::optional<policy::Policy> policy)
    : db_path_(dir_.path() / "gardefou.db") {
  server::ServerOptions options;
  options.policy = std::move(policy);
  options.checkpoints = checkpoints;
  options.register_providers = std::move(register_providers);
  options.db_path = db_path_.string();
  options.listen = "127.0.0.1:0";
  options.dev_headers = true;
  options.workers = 4;
  auto started = server::Server::Start(options);
  if (!started.ok()) {
    ADD_FAILURE() << "server did not start: " << started.status();
    return;
  }
  server_ = std::move(started).value();
  channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                 grpc::InsecureChannelCredentials());
  grading_ = v1::GradingAssist::NewStub(channel_);
  trail_ = v1::AuditTrail::NewStub(channel_);
}

TestServer::~TestServer() { Stop(); }

void TestServer::Stop() {
  if (server_) server_->Shutdown();
  server_.reset();
}

std::unique_ptr<grpc::ClientContext> TestServer::Context(const Caller& caller) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!caller.tenant.empty()) context->AddMetadata("x-gardefou-tenant", caller.tenant);
  if (!caller.actor.empty()) context->AddMetadata("x-gardefou-actor", caller.actor);
  if (!caller.role.empty()) context->AddMetadata("x-gardefou-role", caller.role);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

TableCounts TestServer::Counts() const { return CountRows(db_path_); }

TableCounts CountRows(const std::filesystem::path& db_path) {
  TableCounts counts;
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  for (const store::TableSpec& spec : store::Tables()) {
    const std::string table(spec.name);
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "SELECT COUNT(*) FROM " + table;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    counts[table] = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
  }
  // State columns too: a refused call must not move a copy, close a review or supersede.
  for (const auto& [name, sql] :
       {std::pair{"copy_state_sum", "SELECT COALESCE(SUM(state), 0) FROM copies"},
        std::pair{"closed_reviews", "SELECT COUNT(*) FROM reviews WHERE closed_at_us != 0"},
        std::pair{"active_decisions", "SELECT COUNT(*) FROM decisions WHERE active = 1"}}) {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
    counts[name] = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return counts;
}

Caller Lms(const std::string& tenant) { return {tenant, "lms-1", "lms"}; }
Caller Teacher(const std::string& id, const std::string& tenant) {
  return {tenant, id, "teacher"};
}
Caller Inspector(const std::string& tenant) { return {tenant, "insp-1", "inspector"}; }

namespace {

void Expect(const grpc::Status& status, const char* step) {
  if (!status.ok()) {
    ADD_FAILURE() << step << " failed: " << status.error_code() << " " << status.error_message();
  }
}

}  // namespace

void InformFamilies(v1::GradingAssist::Stub& grading, const std::string& class_id,
                    const std::string& tenant, const ContextFor& context_for) {
  v1::RecordFamiliesInformedRequest inform;
  inform.set_request_id("families-" + class_id);
  inform.set_class_id(class_id);
  inform.set_informed_on("2026-09-01");
  v1::FamiliesInformed informed;
  Expect(grading.RecordFamiliesInformed(context_for(Lms(tenant)).get(), inform, &informed),
         "RecordFamiliesInformed");
}

Scenario BuildScenario(v1::GradingAssist::Stub& grading, bool with_suggestions,
                       bool with_review, const std::string& tenant,
                       const ContextFor& context_for) {
  Scenario s;
  v1::UpsertRosterRequest roster;
  roster.set_request_id("roster-1");
  roster.set_class_id(kClass);
  roster.mutable_school()->set_name("Collège Test");
  for (const char* id : {kTeacher, kOtherTeacher}) {
    v1::Person* t = roster.add_teachers();
    t->set_id(id);
    t->set_first("Prof");
    t->set_last(id);
  }
  v1::Person* student = roster.add_students();
  student->set_id(kStudent);
  student->set_first("Inès");
  student->set_last("Garnier");
  v1::UpsertRosterResponse upserted;
  Expect(grading.UpsertRoster(context_for(Lms(tenant)).get(), roster, &upserted),
         "UpsertRoster");
  InformFamilies(grading, kClass, tenant, context_for);

  v1::CreateAssignmentRequest create;
  create.set_request_id("assignment-1");
  create.set_class_id(kClass);
  create.set_title("Essai");
  const std::pair<const char*, double> criteria[] = {{"c1", 6}, {"c2", 8}, {"c3", 6}};
  for (const auto& [id, max] : criteria) {
    v1::Criterion* c = create.mutable_rubric()->add_criteria();
    c->set_id(id);
    c->set_label(std::string("Critère ") + id);
    c->set_max_points(max);
    c->add_descriptors("arguments illustrés par des exemples");
  }
  create.add_teacher_ids(kTeacher);
  Expect(grading.CreateAssignment(context_for(Lms(tenant)).get(), create,
                                           &s.assignment),
         "CreateAssignment");

  v1::SubmitCopyRequest submit;
  submit.set_request_id("copy-1");
  submit.set_assignment_id(s.assignment.assignment_id());
  submit.set_student_id(kStudent);
  submit.set_text("Les écrans sont utiles. Par exemple, les arguments et les exemples comptent.");
  Expect(grading.SubmitCopy(context_for(Lms(tenant)).get(), submit, &s.copy),
         "SubmitCopy");

  if (with_suggestions) {
    for (auto [purpose, out] : {std::pair{v1::EVALUATION, &s.evaluation},
                                std::pair{v1::EXTRA_WORK, &s.extra_work}}) {
      v1::RequestSuggestionRequest ask;
      ask.set_request_id(std::string("suggest-") + v1::Purpose_Name(purpose));
      ask.set_copy_id(s.copy.copy_id());
      ask.set_purpose(purpose);
      Expect(grading.RequestSuggestion(context_for(Lms(tenant)).get(), ask, out),
             "RequestSuggestion");
    }
  }
  if (with_review) {
    v1::OpenReviewRequest open;
    open.set_request_id("review-1");
    open.set_copy_id(s.copy.copy_id());
    Expect(grading.OpenReview(context_for(Teacher(kTeacher, tenant)).get(), open,
                                       &s.review),
           "OpenReview");
  }
  return s;
}

grpc::Status CheckHealth(std::shared_ptr<grpc::Channel> channel, std::string* response_bytes,
                         const std::string& service) {
  grpc::GenericStub generic(std::move(channel));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  // HealthCheckRequest{service = 1}, encoded by hand (names here are under 128 bytes).
  const std::string encoded =
      service.empty() ? "" : std::string("\x0a") + static_cast<char>(service.size()) + service;
  grpc::Slice body(encoded);
  grpc::ByteBuffer request(&body, 1), response;
  std::promise<grpc::Status> done;
  generic.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                    &response, [&](grpc::Status status) { done.set_value(std::move(status)); });
  grpc::Status status = done.get_future().get();
  std::vector<grpc::Slice> slices;
  response_bytes->clear();
  if (status.ok() && response.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      response_bytes->append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  return status;
}

std::string ReasonOf(const grpc::Status& status) {
  google::rpc::Status details;
  if (status.error_details().empty()) return "<none>";
  if (!details.ParseFromString(status.error_details())) return "<undecodable>";
  EXPECT_EQ(details.code(), static_cast<int>(status.error_code()));
  EXPECT_EQ(details.message(), status.error_message());
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info) && info.domain() == "gardefou") return info.reason();
  }
  return "<none>";
}

void TamperWith(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  std::string all;
  for (const char* trigger : {"audit_no_update", "audit_no_delete", "merkle_no_update",
                              "merkle_no_delete", "checkpoints_no_update", "checkpoints_no_delete"}) {
    all += std::string("DROP TRIGGER IF EXISTS ") + trigger + "; ";
  }
  all += sql;
  char* error = nullptr;
  const int rc = sqlite3_exec(handle, all.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(handle);
}

v1::SignOffRequest ValidSignOff(const Scenario& s, const std::string& request_id) {
  v1::SignOffRequest sign;
  sign.set_request_id(request_id);
  sign.set_copy_id(s.copy.copy_id());
  sign.set_review_id(s.review.review_id());
  sign.set_evaluation_suggestion_id(s.evaluation.suggestion_id());
  sign.set_notice_version(s.evaluation.notice_version());
  for (int i = 0; i < s.evaluation.criteria_size(); ++i) {
    const auto& p = s.evaluation.criteria(i);
    v1::CriterionScore* score = sign.add_scores();
    score->set_criterion_id(p.criterion_id());
    if (i == 0) {
      score->set_points(p.proposed_points());
      score->set_origin(v1::ACCEPTED_SUGGESTION);
    } else if (i == 1) {
      score->set_points(p.proposed_points() >= 1 ? p.proposed_points() - 1 : 2);
      score->set_origin(v1::MODIFIED);
    } else {
      score->set_points(5);
      score->set_origin(v1::TEACHER_ONLY);
    }
  }
  sign.set_final_comment("Bon travail.");
  sign.set_attest_copy_read(true);
  return sign;
}

plugins::ProviderSettings VendorSettings(const std::string& name, const std::string& base_url) {
  plugins::ProviderSettings s;
  s.name = name;
  s.kind = "openai-compatible";
  s.base_url = base_url;
  s.model = "test-model";
  s.connect_timeout_ms = 1000;
  s.timeout_ms = 3000;
  s.backoff_initial_ms = 50;
  s.backoff_max_ms = 200;
  s.guarantees = {true, 0, false};
  return s;
}

}  // namespace gardefou::testing
