// Implementation of the safeguard tests' snapshots, checks, builders and call wrappers.
#include "tests/support/safeguard_calls.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace gardefou::testing {

Caller Head(const std::string& tenant) { return {tenant, "h-1", "head_of_school"}; }
Caller Dpo(const std::string& tenant) { return {tenant, "d-1", "dpo"}; }

void ExpectOk(const grpc::Status& st, const std::string& what) {
  EXPECT_TRUE(st.ok()) << what << ": " << st.error_message();
}

// ---------------------------------------------------------------- what the database holds

namespace {

// The rows `sql` returns, each column's bytes as text ("<null>" for NULL), a unit separator
// after each column.
std::multiset<std::string> RowsOf(sqlite3* db, const std::string& sql) {
  std::multiset<std::string> out;
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const void* bytes = sqlite3_column_blob(stmt, i);
      row.append(bytes ? static_cast<const char*>(bytes) : "<null>",
                 bytes ? sqlite3_column_bytes(stmt, i) : 6);
      row.push_back('\x1f');
    }
    out.insert(std::move(row));
  }
  sqlite3_finalize(stmt);
  return out;
}

}  // namespace

TableRows AllRows(const std::filesystem::path& db_path) {
  TableRows rows;
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  std::vector<std::string> tables;
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                     "'sqlite_%'",
                     -1, &stmt, nullptr);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  EXPECT_GT(tables.size(), 10u) << "cannot read the tables of " << db_path;
  for (const std::string& table : tables) {
    rows[table] = RowsOf(db, "SELECT * FROM \"" + table + "\"");
  }
  sqlite3_close(db);
  return rows;
}

std::vector<StoredEvent> StoredEvents(const std::filesystem::path& db_path) {
  std::vector<StoredEvent> events;
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT action, objects_json, details_json FROM audit_events ORDER BY seq",
                     -1, &stmt, nullptr);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    events.push_back({reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                      reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)),
                      reinterpret_cast<const char*>(sqlite3_column_text(stmt, 2))});
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return events;
}

std::vector<std::string> Actions(const std::filesystem::path& db_path) {
  std::vector<std::string> actions;
  for (const StoredEvent& e : StoredEvents(db_path)) actions.push_back(e.action);
  return actions;
}

Snapshot Take(const TestServer& server) { return {server.Counts(), AllRows(server.db_path())}; }

void ExpectRefused(const TestServer& server, grpc::StatusCode code, const std::string& reason,
                   const std::function<grpc::Status()>& call, const std::string& what) {
  const Snapshot before = Take(server);
  const grpc::Status st = call();
  EXPECT_EQ(st.error_code(), code) << what << ": " << st.error_message();
  EXPECT_EQ(ReasonOf(st), reason) << what << ": " << st.error_message();
  EXPECT_FALSE(st.error_message().empty()) << what;
  EXPECT_EQ(server.Counts(), before.counts) << what << ": a refused call wrote something";
  EXPECT_TRUE(AllRows(server.db_path()) == before.rows)
      << what << ": a refused call changed a row";
}

void ExpectFailedPrecondition(const grpc::Status& st, const std::string& reason,
                              const std::string& what) {
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << what << ": " << st.error_message();
  EXPECT_NE(st.error_message().find(reason), std::string::npos)
      << what << ": " << st.error_message();
  EXPECT_EQ(ReasonOf(st), reason) << what << ": " << st.error_message();
}

void ExpectAiCallRefused(const TestServer& server, const std::string& reason,
                         const std::function<grpc::Status()>& call, const std::string& what) {
  const Snapshot before = Take(server);
  ExpectFailedPrecondition(call(), reason, what);
  TableCounts after = server.Counts();
  EXPECT_EQ(after["audit_events"], before.counts.at("audit_events") + 1) << what;
  EXPECT_GE(after["merkle_nodes"], before.counts.at("merkle_nodes")) << what;
  after["audit_events"] = before.counts.at("audit_events");
  after["merkle_nodes"] = before.counts.at("merkle_nodes");
  EXPECT_EQ(after, before.counts) << what << ": only the refusal may be written";
  TableRows rows = AllRows(server.db_path());
  TableRows expected = before.rows;
  for (TableRows* r : {&rows, &expected}) {
    r->erase("audit_events");
    r->erase("merkle_nodes");
  }
  EXPECT_TRUE(rows == expected) << what << ": a refused AI call changed a row";
  const std::vector<std::string> actions = Actions(server.db_path());
  ASSERT_FALSE(actions.empty());
  EXPECT_EQ(actions.back(), "AI_CALL_REFUSED") << what;
}

// ---------------------------------------------------------------- policy

policy::Policy SafeguardPolicy(const std::string& name, const std::string& rest) {
  absl::StatusOr<policy::Policy> p = policy::Policy::Parse(
      "name = " + name + "\nversion = 1\nmax_copy_bytes = 100000\n"
      "default_provider = offline-rubric\npurposes = CORRECTION, EVALUATION, EXTRA_WORK\n"
      "[role lms]\nmethods = UpsertRoster, CreateAssignment, SubmitCopy, RequestSuggestion, "
      "GetDecision, ListDecisions, RecordFamiliesInformed\n"
      "[role teacher]\nmethods = RequestSuggestion, OpenReview, SignOff, GetDecision, "
      "ListDecisions, RecordProvisionalScores, SecondMark\n" +
          rest,
      name + ".conf");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

// ---------------------------------------------------------------- building a class

void Roster(TestServer& server, const std::string& class_id,
            const std::vector<std::vector<std::string>>& pupils, const std::string& tenant) {
  v1::UpsertRosterRequest roster;
  roster.set_request_id("roster-" + class_id);
  roster.set_class_id(class_id);
  roster.mutable_school()->set_name("Collège Test");
  for (const char* id : {kTeacher, kOtherTeacher}) {
    v1::Person* t = roster.add_teachers();
    t->set_id(id);
    t->set_first("Prof");
    t->set_last(id);
  }
  for (const auto& pupil : pupils) {
    v1::Person* p = roster.add_students();
    p->set_id(pupil[0]);
    p->set_first(pupil[1]);
    p->set_last(pupil[2]);
  }
  v1::UpsertRosterResponse upserted;
  ExpectOk(server.grading().UpsertRoster(TestServer::Context(Lms(tenant)).get(), roster,
                                         &upserted),
           "UpsertRoster");
}

v1::CreateAssignmentRequest EssayAssignment(const std::string& request_id,
                                            const std::string& class_id,
                                            const std::vector<std::string>& teacher_ids) {
  v1::CreateAssignmentRequest create;
  create.set_request_id(request_id);
  create.set_class_id(class_id);
  create.set_title("Essai");
  for (const auto& [id, max] : {std::pair{"c1", 6.0}, std::pair{"c2", 8.0}, std::pair{"c3", 6.0}}) {
    v1::Criterion* c = create.mutable_rubric()->add_criteria();
    c->set_id(id);
    c->set_label(std::string("Critère ") + id);
    c->set_max_points(max);
    c->add_descriptors("arguments illustrés par des exemples");
  }
  for (const std::string& teacher : teacher_ids) create.add_teacher_ids(teacher);
  return create;
}

v1::Assignment AddAssignment(TestServer& server, const v1::CreateAssignmentRequest& create,
                             const std::string& tenant) {
  v1::Assignment out;
  ExpectOk(server.grading().CreateAssignment(TestServer::Context(Lms(tenant)).get(), create,
                                             &out),
           "CreateAssignment " + create.request_id());
  return out;
}

v1::Copy SubmitEssay(TestServer& server, const std::string& assignment_id,
                     const std::string& student, const std::string& request_id,
                     const std::string& tenant) {
  v1::SubmitCopyRequest submit;
  submit.set_request_id(request_id);
  submit.set_assignment_id(assignment_id);
  submit.set_student_id(student);
  submit.set_text(kEssayText);
  v1::Copy out;
  ExpectOk(server.grading().SubmitCopy(TestServer::Context(Lms(tenant)).get(), submit, &out),
           "SubmitCopy " + student);
  return out;
}

v1::Review Open(TestServer& server, const std::string& copy_id, const std::string& request_id) {
  v1::OpenReviewRequest open;
  open.set_request_id(request_id);
  open.set_copy_id(copy_id);
  v1::Review review;
  ExpectOk(server.grading().OpenReview(TestServer::Context(Teacher()).get(), open, &review),
           "OpenReview");
  return review;
}

// ---------------------------------------------------------------- the calls

grpc::Status Ask(TestServer& server, const Caller& caller, const std::string& copy_id,
                 v1::Purpose purpose, const std::string& request_id, v1::Suggestion* out) {
  v1::RequestSuggestionRequest ask;
  ask.set_request_id(request_id);
  ask.set_copy_id(copy_id);
  ask.set_purpose(purpose);
  v1::Suggestion ignored;
  return server.grading().RequestSuggestion(TestServer::Context(caller).get(), ask,
                                            out ? out : &ignored);
}

grpc::Status Provisional(TestServer& server, const Caller& caller, const std::string& review_id,
                         const Marks& marks, const std::string& request_id,
                         v1::ProvisionalScores* out) {
  v1::RecordProvisionalScoresRequest request;
  request.set_request_id(request_id);
  request.set_review_id(review_id);
  for (const auto& [id, points] : marks) {
    v1::ProvisionalScore* score = request.add_scores();
    score->set_criterion_id(id);
    score->set_points(points);
  }
  v1::ProvisionalScores ignored;
  return server.grading().RecordProvisionalScores(TestServer::Context(caller).get(), request,
                                                  out ? out : &ignored);
}

grpc::Status Sign(TestServer& server, const v1::SignOffRequest& sign, v1::Decision* out) {
  v1::Decision ignored;
  return server.grading().SignOff(TestServer::Context(Teacher()).get(), sign,
                                  out ? out : &ignored);
}

grpc::Status SecondMark(TestServer& server, const Caller& caller, const std::string& decision_id,
                        const std::string& request_id, v1::Decision* out,
                        const std::vector<v1::CriterionScore>& scores, bool attest) {
  v1::SecondMarkRequest request;
  request.set_request_id(request_id);
  request.set_decision_id(decision_id);
  for (const v1::CriterionScore& score : scores) *request.add_scores() = score;
  request.set_attest_copy_read(attest);
  v1::Decision ignored;
  return server.grading().SecondMark(TestServer::Context(caller).get(), request,
                                     out ? out : &ignored);
}

grpc::Status Object(TestServer& server, const Caller& caller, const std::string& class_id,
                    const std::string& student_id, const std::string& received_on,
                    const std::string& request_id, v1::Objection* out) {
  v1::RecordObjectionRequest request;
  request.set_request_id(request_id);
  request.set_class_id(class_id);
  request.set_student_id(student_id);
  request.set_received_on(received_on);
  v1::Objection ignored;
  return server.grading().RecordObjection(TestServer::Context(caller).get(), request,
                                          out ? out : &ignored);
}

grpc::Status Override(TestServer& server, const Caller& caller, const std::string& objection_id,
                      const std::string& justification, const std::string& request_id,
                      v1::Objection* out) {
  v1::OverrideObjectionRequest request;
  request.set_request_id(request_id);
  request.set_objection_id(objection_id);
  request.set_justification(justification);
  v1::Objection ignored;
  return server.grading().OverrideObjection(TestServer::Context(caller).get(), request,
                                            out ? out : &ignored);
}

grpc::Status Withdraw(TestServer& server, const Caller& caller, const std::string& objection_id,
                      const std::string& request_id, v1::Objection* out) {
  v1::WithdrawObjectionRequest request;
  request.set_request_id(request_id);
  request.set_objection_id(objection_id);
  v1::Objection ignored;
  return server.grading().WithdrawObjection(TestServer::Context(caller).get(), request,
                                            out ? out : &ignored);
}

// ---------------------------------------------------------------- sign-offs

std::vector<double> Proposals(const v1::Suggestion& evaluation) {
  std::vector<double> out;
  for (const auto& p : evaluation.criteria()) out.push_back(p.proposed_points());
  return out;
}

std::vector<double> PointsOf(const Marks& marks) {
  std::vector<double> out;
  for (const auto& mark : marks) out.push_back(mark.second);
  return out;
}

std::vector<v1::CriterionScore> TeacherOnly(const std::vector<double>& points) {
  std::vector<v1::CriterionScore> scores;
  for (size_t i = 0; i < points.size(); ++i) {
    v1::CriterionScore score;
    score.set_criterion_id("c" + std::to_string(i + 1));
    score.set_points(points[i]);
    score.set_origin(v1::TEACHER_ONLY);
    scores.push_back(score);
  }
  return scores;
}

v1::SignOffRequest TeacherOnlySignOff(const std::string& copy_id, const std::string& review_id,
                                      const std::vector<double>& points,
                                      const std::string& request_id) {
  v1::SignOffRequest sign;
  sign.set_request_id(request_id);
  sign.set_copy_id(copy_id);
  sign.set_review_id(review_id);
  for (const v1::CriterionScore& score : TeacherOnly(points)) *sign.add_scores() = score;
  sign.set_attest_copy_read(true);
  return sign;
}

v1::SignOffRequest SignOffWith(const Scenario& s, const std::vector<double>& points,
                               const std::string& request_id) {
  v1::SignOffRequest sign;
  sign.set_request_id(request_id);
  sign.set_copy_id(s.copy.copy_id());
  sign.set_review_id(s.review.review_id());
  sign.set_evaluation_suggestion_id(s.evaluation.suggestion_id());
  sign.set_notice_version(s.evaluation.notice_version());
  for (int i = 0; i < s.evaluation.criteria_size(); ++i) {
    const v1::CriterionProposal& p = s.evaluation.criteria(i);
    v1::CriterionScore* score = sign.add_scores();
    score->set_criterion_id(p.criterion_id());
    score->set_points(points[i]);
    score->set_origin(points[i] == p.proposed_points() ? v1::ACCEPTED_SUGGESTION : v1::MODIFIED);
  }
  sign.set_final_comment("Bon travail.");
  sign.set_attest_copy_read(true);
  return sign;
}

}  // namespace gardefou::testing
