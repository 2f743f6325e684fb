// The store's conformance suite: every engine runs it, through store::Store and store::Session
// only. Objects round-trip and stay in their tenant, a refused write leaves nothing, replies
// are kept per (tenant, method, request), decisions list and supersede, checkpoints keep their
// order, and the trail an engine stores is byte for byte the one an in-memory repository gets
// from the same events, an insider who edits rows is refused (and, where he may drop the
// triggers, caught by the chain), and every table copies row for row to the other engine.
// Engines: SQLite, and PostgreSQL on a throw-away cluster this binary starts (never skipped:
// when the cluster cannot start, the PostgreSQL row fails and says why).
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "service/audit/canonical.h"
#include "service/audit/chain_verifier.h"
#include "service/audit/trail_writer.h"
#include "service/store/postgresql/connection.h"
#include "service/store/sqlite/database.h"
#include "service/store/store.h"
#include "tests/support/postgres_cluster.h"
#include "tests/support/test_server.h"

namespace gardefou::store {
namespace {

using testing::TempDir;

// A fresh store of one engine, and an insider's raw access to its database.
struct Opened {
  std::unique_ptr<Store> store;
  std::string spec;  // OpenStore(spec) opens it again
  // Runs `sql` on the store's database as an insider with the service's own rights (SQLite:
  // whoever may write the file) or, with `as_owner`, as the schema's owner.
  std::function<absl::Status(const std::string& sql, bool as_owner)> insider;
  // SQL that removes the triggers guarding audit_events (run by the owner).
  std::string drop_trail_triggers;
};

struct Engine {
  std::string name;
  std::function<absl::StatusOr<Opened>(const std::filesystem::path& dir)> open;
};

void PrintTo(const Engine& engine, std::ostream* out) { *out << engine.name; }

// One cluster for the whole binary (stopped and removed at exit), one database per test.
absl::StatusOr<testing::PostgresCluster*> Cluster() {
  static absl::StatusOr<std::unique_ptr<testing::PostgresCluster>> cluster =
      testing::PostgresCluster::Start();
  if (!cluster.ok()) return cluster.status();
  return cluster->get();
}

absl::Status RunAs(const std::string& conninfo, const std::string& sql) {
  absl::StatusOr<std::unique_ptr<PgConnection>> conn = PgConnection::Open(conninfo);
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec(sql);
}

absl::StatusOr<Opened> OpenSqlite(const std::filesystem::path& dir) {
  const std::string path = (dir / "conformance.db").string();
  Opened opened{nullptr, "sqlite:" + path, nullptr,
                "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"};
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(opened.spec);
  if (!store.ok()) return store.status();
  opened.store = *std::move(store);
  opened.insider = [path](const std::string& sql, bool) -> absl::Status {
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
    if (!db.ok()) return db.status();
    return (*db)->Exec(sql);
  };
  return opened;
}

absl::StatusOr<Opened> OpenPostgres(const std::filesystem::path&) {
  absl::StatusOr<testing::PostgresCluster*> cluster = Cluster();
  if (!cluster.ok()) return cluster.status();
  static int databases = 0;
  const std::string database = absl::StrCat("conformance_", ++databases);
  if (absl::Status st = (*cluster)->CreateDatabase(database); !st.ok()) return st;
  // The owner creates the schema; the service then runs with the rights it was granted.
  if (auto owner = OpenStoreAsOwner((*cluster)->OwnerUri(database)); !owner.ok()) {
    return owner.status();
  }
  Opened opened{nullptr, (*cluster)->ServiceUri(database), nullptr,
                "DROP TRIGGER audit_events_append_only ON audit_events;"};
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(opened.spec);
  if (!store.ok()) return store.status();
  opened.store = *std::move(store);
  const std::string service = (*cluster)->ServiceUri(database);
  const std::string owner = (*cluster)->OwnerUri(database);
  opened.insider = [service, owner](const std::string& sql, bool as_owner) {
    return RunAs(as_owner ? owner : service, sql);
  };
  return opened;
}

std::vector<Engine> Engines() { return {{"sqlite", OpenSqlite}, {"postgresql", OpenPostgres}}; }

// The trail kept in memory: what every engine must store, byte for byte.
class MemoryTrail : public audit::TrailRepository {
 public:
  absl::StatusOr<audit::ChainHead> Head() override {
    if (events_.empty()) return audit::ChainHead{};
    return audit::ChainHead{events_.back().seq, events_.back().hash};
  }
  absl::Status InsertEvent(const model::AuditEventRecord& event) override {
    events_.push_back(event);
    return absl::OkStatus();
  }
  absl::Status ForEachAuditEvent(const std::function<void(const model::AuditEventRecord&)>& visit,
                                 int64_t after_seq) override {
    for (const auto& e : events_) {
      if (e.seq > after_seq) visit(e);
    }
    return absl::OkStatus();
  }
  absl::StatusOr<uint64_t> TreeSize() override {
    uint64_t size = 0;
    while (nodes_.contains({0, size})) ++size;
    return size;
  }
  audit::NodeReader TreeNodes() override {
    return [this](int level, uint64_t index) -> absl::StatusOr<audit::Hash> {
      auto it = nodes_.find({level, index});
      if (it == nodes_.end()) return absl::DataLossError("no such node");
      return it->second;
    };
  }
  absl::Status InsertNode(int level, uint64_t index, const audit::Hash& hash) override {
    nodes_[{level, index}] = hash;
    return absl::OkStatus();
  }
  const std::vector<model::AuditEventRecord>& events() const { return events_; }

 private:
  std::vector<model::AuditEventRecord> events_;
  std::map<std::pair<int, uint64_t>, audit::Hash> nodes_;
};

model::RosterRecord Roster() {
  model::RosterRecord r;
  r.class_id = "3B";
  r.school = {"Collège Jean Moulin", "0999001A", "Lyon", "69003"};
  r.teachers.push_back({"t-1", "Anne", "Bernard", "Mme", "", {}});
  r.students.push_back({"s-1", "Inès", "Garnier", "", "123456789AB", {"Nini"}});
  r.students.push_back({"s-2", "Yanis", "Martin", "", "", {}});
  return r;
}

model::AssignmentRecord Assignment() {
  return {"a-1", "3B", "Argumenter", "Faut-il avoir peur des écrans ?",
          {{"c-1", "Thèse", 6, {"claire", "nuancée"}}, {"c-2", "Exemples", 8, {}}},
          {"t-1"}, 1000};
}

model::DecisionRecord Decision(const std::string& id, const std::string& supersedes = "") {
  model::DecisionRecord d;
  d.id = id;
  d.copy_id = "cp-1";
  d.assignment_id = "a-1";
  d.student_id = "s-1";
  d.teacher_id = "t-1";
  d.review_id = "r-1";
  d.scores = {{"c-1", 4.5, model::Origin::kModified, 4.0, 5.0},
              {"c-2", 6, model::Origin::kTeacherOnly, std::nullopt, std::nullopt}};
  d.total_points = 10.5;
  d.max_points = 14;
  d.final_comment = "Bien argumenté.";
  d.extra_work = {{"Relire la méthode", model::Origin::kTeacherOnly, ""}};
  d.supersedes_id = supersedes;
  d.supersede_reason = supersedes.empty() ? "" : "erreur de saisie";
  d.review_opened_at_us = 2000;
  d.signed_at_us = 3000;
  return d;
}

model::AuditEventRecord Event(int i) {
  model::AuditEventRecord e;
  e.time_us = 1000 + i;
  e.tenant = i % 2 ? "T1" : "T2";
  e.actor_id = "t-1";
  e.actor_role = "teacher";
  e.action = i % 3 ? "COPY_SUBMITTED" : "DECISION_SIGNED";
  e.objects = {{"copy_id", "cp-" + std::to_string(i)}};
  e.policy_hash = std::string(64, 'a');
  e.details_json = R"({"n":)" + std::to_string(i) + R"(,"é":"ü"})";
  return e;
}

class StoreConformance : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    auto opened = GetParam().open(dir_.path());
    ASSERT_TRUE(opened.ok()) << opened.status();
    opened_ = *std::move(opened);
    store_ = opened_.store.get();
  }
  // Writes the roster, the assignment, a copy and a suggestion in tenant T1.
  absl::Status Populate() {
    return store_->Write([](Session& s) -> absl::Status {
      if (auto st = s.ReplaceRoster("T1", Roster(), 1); !st.ok()) return st;
      if (auto st = s.InsertAssignment("T1", Assignment()); !st.ok()) return st;
      model::CopyRecord copy{"cp-1", "a-1", "s-1", model::CopyState::kSubmitted,
                             std::string(64, 'c'), "Les écrans…\nsont utiles.", 1500};
      if (auto st = s.InsertCopy("T1", copy); !st.ok()) return st;
      model::SuggestionRecord sug;
      sug.id = "sg-1";
      sug.copy_id = "cp-1";
      sug.purpose = model::Purpose::kEvaluation;
      sug.ready = true;
      sug.provider = "offline-rubric";
      sug.model = "rubric-v1";
      sug.summary = "Une thèse claire.";
      sug.criteria = {{"c-1", 5, "thèse posée"}};
      sug.annotations = {{"sont utiles", "justifier"}};
      sug.extra_work = {{"x-1", "Relire", "méthode"}};
      sug.unknown_placeholders = {"[ELEVE_9]"};
      sug.created_at_us = 1600;
      if (auto st = s.InsertSuggestion("T1", sug); !st.ok()) return st;
      if (auto st = s.InsertReview("T1", {"r-1", "cp-1", "t-1", 2000, 0}); !st.ok()) return st;
      model::ProvisionalScoresRecord marks{"r-1", "cp-1", "t-1", {}, 2100};
      marks.scores.push_back({"c-1", 3.5, model::Origin::kTeacherOnly});
      if (auto st = s.InsertProvisionalScores("T1", marks); !st.ok()) return st;
      if (auto st = s.RecordFamiliesInformed("T1", {"3B", "2026-09-01", "lms", 2200}); !st.ok()) {
        return st;
      }
      if (auto st = s.InsertObjection("T1", Objection("ob-1")); !st.ok()) return st;
      model::ReleaseRecord pending;
      pending.assignment_id = "a-1";
      pending.student_id = "s-1";
      pending.copy_id = "cp-1";
      pending.timestamp_us = 2000000;
      return s.AppendRelease("T1", pending);
    });
  }
  static model::ObjectionRecord Objection(const std::string& id) {
    model::ObjectionRecord o;
    o.id = id;
    o.class_id = "3B";
    o.student_id = "s-1";
    o.received_on = "2026-10-01";
    o.recorded_by = "d-1";
    o.recorded_at_us = 2300;
    return o;
  }
  TempDir dir_;
  Opened opened_;
  Store* store_ = nullptr;
};

TEST_P(StoreConformance, SafeguardRecordsRoundTripChangeAsAllowedAndStayInTheirTenant) {
  ASSERT_TRUE(Populate().ok());
  ASSERT_TRUE(store_->Write([](Session& s) -> absl::Status {
    // Families informed: recorded again, the later day replaces the first.
    EXPECT_TRUE(s.RecordFamiliesInformed("T1", {"3B", "2026-09-15", "head", 2400}).ok());
    model::ObjectionRecord o = Objection("ob-1");
    o.state = model::ObjectionState::kOverridden;
    o.override_justification = "Indispensable : aménagement prévu au PAP.";
    o.overridden_at_us = 2500;
    EXPECT_TRUE(s.UpdateObjection("T1", o).ok());
    EXPECT_TRUE(s.InsertObjection("T1", Objection("ob-2")).ok());
    return absl::OkStatus();
  }).ok());
  // A review's marks are written once (a failed statement ends a PostgreSQL transaction).
  EXPECT_FALSE(store_->Write([](Session& s) {
    return s.InsertProvisionalScores("T1", {"r-1", "cp-1", "t-1", {}, 2600});
  }).ok());
  ASSERT_TRUE(store_->Read([](Session& s) -> absl::Status {
    auto informed = s.FindFamiliesInformed("T1", "3B");
    EXPECT_TRUE(informed.ok() && *informed && (*informed)->informed_on == "2026-09-15" &&
                (*informed)->recorded_by == "head");
    auto other = s.FindFamiliesInformed("T2", "3B");
    EXPECT_TRUE(other.ok() && !*other);
    auto marks = s.FindProvisionalScores("T1", "cp-1");
    EXPECT_TRUE(marks.ok() && *marks && (*marks)->scores.size() == 1 &&
                (*marks)->scores[0].points == 3.5);
    EXPECT_TRUE(s.FindProvisionalScores("T2", "cp-1").ok() &&
                !*s.FindProvisionalScores("T2", "cp-1"));
    auto found = s.FindObjection("T1", "ob-1");
    EXPECT_TRUE(found.ok() && found->state == model::ObjectionState::kOverridden &&
                found->override_justification == "Indispensable : aménagement prévu au PAP.");
    EXPECT_EQ(s.FindObjection("T2", "ob-1").status().code(), absl::StatusCode::kNotFound);
    auto listed = s.ListObjections("T1", "3B", "s-1");
    EXPECT_TRUE(listed.ok() && listed->size() == 2 && (*listed)[0].id == "ob-1");
    EXPECT_TRUE(s.ListObjections("T1", "3B", "s-2").ok() &&
                s.ListObjections("T1", "3B", "s-2")->empty());
    EXPECT_TRUE(s.ListObjections("T2", "3B").ok() && s.ListObjections("T2", "3B")->empty());
    return absl::OkStatus();
  }).ok());
}

TEST_P(StoreConformance, ReleasesComeInCursorOrderPerTenantWithTheirLatestTime) {
  ASSERT_TRUE(Populate().ok());
  ASSERT_TRUE(store_->Write([](Session& s) -> absl::Status {
    model::ReleaseRecord graded;
    graded.assignment_id = "a-1";
    graded.student_id = "s-1";
    graded.copy_id = "cp-1";
    graded.fully_graded = true;
    graded.score_given = 12.5;
    graded.score_maximum = 20;
    graded.comment = "Bien.";
    graded.scoring_user_id = "t-1";
    graded.decision_id = "d-1";
    graded.timestamp_us = 3000000;
    EXPECT_TRUE(s.AppendRelease("T1", graded).ok());
    graded.timestamp_us = 9000000;
    EXPECT_TRUE(s.AppendRelease("T2", graded).ok());
    return absl::OkStatus();
  }).ok());
  ASSERT_TRUE(store_->Read([](Session& s) -> absl::Status {
    auto all = s.ListReleases("T1", 0, "", 10);
    EXPECT_TRUE(all.ok());
    if (!all.ok() || all->size() != 2) return absl::OkStatus();
    EXPECT_LT((*all)[0].cursor, (*all)[1].cursor);
    EXPECT_FALSE((*all)[0].fully_graded);
    EXPECT_TRUE((*all)[1].fully_graded);
    EXPECT_EQ((*all)[1].score_given, 12.5);
    EXPECT_EQ((*all)[1].comment, "Bien.");
    auto after = s.ListReleases("T1", (*all)[0].cursor, "", 10);
    EXPECT_TRUE(after.ok() && after->size() == 1 && (*after)[0].decision_id == "d-1");
    EXPECT_TRUE(s.ListReleases("T1", 0, "a-2", 10).ok() &&
                s.ListReleases("T1", 0, "a-2", 10)->empty());
    EXPECT_TRUE(s.ListReleases("T1", 0, "", 1).ok() && s.ListReleases("T1", 0, "", 1)->size() == 1);
    auto last = s.LastReleaseTime("T1", "a-1", "s-1");
    EXPECT_TRUE(last.ok() && *last == 3000000);
    auto other = s.LastReleaseTime("T2", "a-1", "s-2");
    EXPECT_TRUE(other.ok() && *other == 0);
    auto t2 = s.ListReleases("T2", 0, "", 10);
    EXPECT_TRUE(t2.ok() && t2->size() == 1 && (*t2)[0].cursor > (*all)[1].cursor)
        << "one sequence over all tenants";
    return absl::OkStatus();
  }).ok());
}

TEST_P(StoreConformance, ObjectsRoundTripAndStayInTheirTenant) {
  ASSERT_TRUE(Populate().ok());
  ASSERT_TRUE(store_->Read([](Session& s) -> absl::Status {
    auto roster = s.LoadRoster("T1", "3B");
    EXPECT_TRUE(roster.ok());
    if (roster.ok()) {
      EXPECT_EQ(roster->school.city, "Lyon");
      EXPECT_EQ(roster->students.size(), 2u);
      EXPECT_EQ(roster->students[0].aliases, std::vector<std::string>{"Nini"});
    }
    auto assignment = s.FindAssignment("T1", "a-1");
    EXPECT_TRUE(assignment.ok() && assignment->criteria.size() == 2 &&
                assignment->criteria[0].descriptors.size() == 2 &&
                assignment->teacher_ids == std::vector<std::string>{"t-1"});
    auto with_text = s.FindCopy("T1", "cp-1", true);
    auto without = s.FindCopy("T1", "cp-1", false);
    EXPECT_TRUE(with_text.ok() && with_text->text == "Les écrans…\nsont utiles.");
    EXPECT_TRUE(without.ok() && without->text.empty());
    auto sug = s.FindSuggestion("T1", "sg-1");
    EXPECT_TRUE(sug.ok() && sug->purpose == model::Purpose::kEvaluation && sug->ready &&
                sug->criteria.size() == 1 && sug->annotations.size() == 1 &&
                sug->unknown_placeholders.size() == 1);
    auto review = s.FindReview("T1", "r-1");
    EXPECT_TRUE(review.ok() && review->closed_at_us == 0);
    // Another tenant sees nothing, exactly as if it did not exist.
    EXPECT_EQ(s.LoadRoster("T2", "3B").status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(s.FindAssignment("T2", "a-1").status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(s.FindCopy("T2", "cp-1", false).status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(s.FindSuggestion("T2", "sg-1").status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(s.FindReview("T2", "r-1").status().code(), absl::StatusCode::kNotFound);
    auto has = s.HasPerson("T2", "3B", "student", "s-1");
    EXPECT_TRUE(has.ok() && !*has);
    has = s.HasPerson("T1", "3B", "teacher", "t-1");
    EXPECT_TRUE(has.ok() && *has);
    return absl::OkStatus();
  }).ok());
}

TEST_P(StoreConformance, ARosterIsReplacedWhole) {
  ASSERT_TRUE(Populate().ok());
  model::RosterRecord smaller = Roster();
  smaller.students.pop_back();
  ASSERT_TRUE(store_->Write([&](Session& s) { return s.ReplaceRoster("T1", smaller, 2); }).ok());
  ASSERT_TRUE(store_->Read([](Session& s) -> absl::Status {
    auto has = s.HasPerson("T1", "3B", "student", "s-2");
    EXPECT_TRUE(has.ok() && !*has);
    return absl::OkStatus();
  }).ok());
}

TEST_P(StoreConformance, AStateChangeAndAClosedReviewAreKept) {
  ASSERT_TRUE(Populate().ok());
  ASSERT_TRUE(store_->Write([](Session& s) -> absl::Status {
    if (auto st = s.SetCopyState("T1", "cp-1", model::CopyState::kInReview); !st.ok()) return st;
    return s.CloseReview("T1", "r-1", 2500);
  }).ok());
  ASSERT_TRUE(store_->Read([](Session& s) -> absl::Status {
    EXPECT_EQ(s.FindCopy("T1", "cp-1", false)->state, model::CopyState::kInReview);
    EXPECT_EQ(s.FindReview("T1", "r-1")->closed_at_us, 2500);
    return absl::OkStatus();
  }).ok());
}

TEST_P(StoreConformance, DecisionsListInSigningOrderAndSupersede) {
  ASSERT_TRUE(Populate().ok());
  ASSERT_TRUE(store_->Write([](Session& s) { return s.InsertDecision("T1", Decision("d-1")); }).ok());
  ASSERT_TRUE(store_->Write([](Session& s) -> absl::Status {
    if (auto st = s.SupersedeDecision("T1", "d-1"); !st.ok()) return st;
    return s.InsertDecision("T1", Decision("d-2", "d-1"));
  }).ok());
  ASSERT_TRUE(store_->Read([](Session& s) -> absl::Status {
    auto active = s.FindActiveDecision("T1", "cp-1");
    EXPECT_TRUE(active.ok() && active->has_value() && (*active)->id == "d-2");
    auto first = s.FindDecision("T1", "d-1");
    EXPECT_TRUE(first.ok() && !first->active && first->scores.size() == 2 &&
                first->scores[0].origin == model::Origin::kModified &&
                first->extra_work.size() == 1);
    EXPECT_EQ(s.FindDecision("T2", "d-1").status().code(), absl::StatusCode::kNotFound);
    auto all = s.ListDecisions("T1", "a-1", true, 0, 10);
    EXPECT_TRUE(all.ok() && all->size() == 2 && (*all)[0].second.id == "d-1");
    auto active_only = s.ListDecisions("T1", "a-1", false, 0, 10);
    EXPECT_TRUE(active_only.ok() && active_only->size() == 1);
    if (all.ok() && all->size() == 2) {
      auto after = s.ListDecisions("T1", "a-1", true, (*all)[0].first, 10);
      EXPECT_TRUE(after.ok() && after->size() == 1 && (*after)[0].second.id == "d-2");
    }
    auto none = s.FindActiveDecision("T2", "cp-1");
    EXPECT_TRUE(none.ok() && !none->has_value());
    return absl::OkStatus();
  }).ok());
}

TEST_P(StoreConformance, RepliesAreKeptPerTenantMethodAndRequest) {
  IdempotentReply reply{"fp-1", "bytes", "", ""};
  ASSERT_TRUE(store_->Write([&](Session& s) {
    return s.RecordReply("T1", "SignOff", "req-1", reply, 10);
  }).ok());
  ASSERT_TRUE(store_->Read([](Session& s) -> absl::Status {
    auto found = s.FindReply("T1", "SignOff", "req-1");
    EXPECT_TRUE(found.ok() && found->has_value() && (*found)->fingerprint == "fp-1" &&
                (*found)->response == "bytes");
    for (auto [tenant, method, request] :
         {std::tuple{"T2", "SignOff", "req-1"}, std::tuple{"T1", "OpenReview", "req-1"},
          std::tuple{"T1", "SignOff", "req-2"}}) {
      auto other = s.FindReply(tenant, method, request);
      EXPECT_TRUE(other.ok() && !other->has_value()) << tenant << method << request;
    }
    return absl::OkStatus();
  }).ok());
}

TEST_P(StoreConformance, TheTrailIsTheSameBytesAsInMemory) {
  MemoryTrail memory;
  for (int i = 1; i <= 13; ++i) {
    ASSERT_TRUE(audit::AppendEvent(memory, Event(i)).ok());
    ASSERT_TRUE(store_->Write([&](Session& s) {
      return audit::AppendEvent(s, Event(i)).status();
    }).ok());
  }
  ASSERT_TRUE(store_->Read([&](Session& s) -> absl::Status {
    auto head = s.Head();
    EXPECT_TRUE(head.ok() && head->seq == 13 && head->hash == memory.events().back().hash);
    std::vector<model::AuditEventRecord> stored;
    EXPECT_TRUE(s.ForEachAuditEvent([&](const auto& e) { stored.push_back(e); }, 0).ok());
    EXPECT_EQ(stored.size(), 13u);
    for (size_t i = 0; i < stored.size() && i < memory.events().size(); ++i) {
      EXPECT_EQ(audit::CanonicalBytes(stored[i]).value(),
                audit::CanonicalBytes(memory.events()[i]).value());
    }
    EXPECT_EQ(s.TreeSize().value(), 13u);
    EXPECT_EQ(audit::RootAt(s.TreeNodes(), 13).value(),
              audit::RootAt(memory.TreeNodes(), 13).value());
    auto seventh = s.FindAuditEvent(7);
    EXPECT_TRUE(seventh.ok() && seventh->has_value() && (*seventh)->tenant == "T1");
    AuditQuery query;
    query.tenant = "T1";
    query.action = "DECISION_SIGNED";
    auto listed = s.ListAuditEvents(query);
    EXPECT_TRUE(listed.ok() && listed->size() == 2);  // 3 and 9
    query.action.clear();
    query.object_id = "cp-5";
    listed = s.ListAuditEvents(query);
    EXPECT_TRUE(listed.ok() && listed->size() == 1 && (*listed)[0].seq == 5);
    return absl::OkStatus();
  }).ok());
}

TEST_P(StoreConformance, ARefusedWriteLeavesNothing) {
  const absl::Status refused = store_->Write([](Session& s) -> absl::Status {
    if (auto st = s.ReplaceRoster("T1", Roster(), 1); !st.ok()) return st;
    if (auto e = audit::AppendEvent(s, Event(1)); !e.ok()) return e.status();
    return absl::InvalidArgumentError("refused after writing");
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->Read([](Session& s) -> absl::Status {
    EXPECT_EQ(s.LoadRoster("T1", "3B").status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(s.Head()->seq, 0);
    EXPECT_EQ(s.TreeSize().value(), 0u);
    return absl::OkStatus();
  }).ok());
}

TEST_P(StoreConformance, AReadCannotWrite) {
  const absl::Status st =
      store_->Read([](Session& s) { return s.ReplaceRoster("T1", Roster(), 1); });
  EXPECT_FALSE(st.ok());
  ASSERT_TRUE(store_->Read([](Session& s) -> absl::Status {
    EXPECT_EQ(s.LoadRoster("T1", "3B").status().code(), absl::StatusCode::kNotFound);
    return absl::OkStatus();
  }).ok());
}

TEST_P(StoreConformance, CheckpointsKeepTheirOrder) {
  ASSERT_TRUE(store_->Write([](Session& s) -> absl::Status {
    if (auto st = s.InsertCheckpoint({5, std::string(32, 'a'), "note 5", 100}); !st.ok()) return st;
    return s.InsertCheckpoint({9, std::string(32, 'b'), "note 9", 200});
  }).ok());
  ASSERT_TRUE(store_->Read([](Session& s) -> absl::Status {
    auto latest = s.LatestCheckpoint();
    EXPECT_TRUE(latest.ok() && latest->has_value() && (*latest)->tree_size == 9 &&
                (*latest)->note == "note 9" && (*latest)->root == std::string(32, 'b'));
    auto all = s.ListCheckpoints();
    EXPECT_TRUE(all.ok() && all->size() == 2 && (*all)[0].tree_size == 5);
    return absl::OkStatus();
  }).ok());
}

TEST_P(StoreConformance, DuplicatesAndOrphansAreRefusedAlikeByEveryEngine) {
  ASSERT_TRUE(Populate().ok());
  const auto code = [&](const std::function<absl::Status(Session&)>& body) {
    return store_->Write(body).code();
  };
  EXPECT_EQ(code([](Session& s) { return s.InsertAssignment("T1", Assignment()); }),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(code([](Session& s) {
              return s.RecordReply("T1", "M", "r", {"f", "x", "", ""}, 1).ok()
                         ? s.RecordReply("T1", "M", "r", {"g", "y", "", ""}, 2)
                         : absl::InternalError("first reply");
            }),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(code([](Session& s) {
              return s.InsertEvent(model::AuditEventRecord{1, 1, "T1", "a", "r", "X", {}, "",
                                                           "{}", "", "h"}).ok()
                         ? s.InsertEvent(model::AuditEventRecord{1, 2, "T1", "a", "r", "X", {},
                                                                 "", "{}", "", "h"})
                         : absl::InternalError("first event");
            }),
            absl::StatusCode::kAlreadyExists);
  // A copy of an assignment that does not exist is refused (a foreign key), not stored.
  model::CopyRecord orphan{"cp-9", "a-404", "s-1", model::CopyState::kSubmitted,
                           std::string(64, 'c'), "texte", 1};
  EXPECT_FALSE(store_->Write([&](Session& s) { return s.InsertCopy("T1", orphan); }).ok());
  ASSERT_TRUE(store_->Read([](Session& s) -> absl::Status {
    EXPECT_EQ(s.FindCopy("T1", "cp-9", false).status().code(), absl::StatusCode::kNotFound);
    EXPECT_FALSE(s.FindReply("T1", "M", "r")->has_value());
    EXPECT_EQ(s.Head()->seq, 0);
    return absl::OkStatus();
  }).ok());
}

// The trail's verdict on the store: OK, or the first event that does not hold.
audit::VerifyResult VerifyChain(Store& store) {
  audit::ChainVerifier verifier;
  EXPECT_TRUE(store.Read([&](Session& s) {
    return s.ForEachAuditEvent([&](const auto& e) { verifier.Feed(e); }, 0);
  }).ok());
  return verifier.result();
}

TEST_P(StoreConformance, AnInsiderCannotChangeWhatIsAppendOnly) {
  ASSERT_TRUE(Populate().ok());
  ASSERT_TRUE(store_->Write([](Session& s) -> absl::Status {
    if (auto st = s.InsertDecision("T1", Decision("d-1")); !st.ok()) return st;
    if (auto st = s.InsertCheckpoint({1, std::string(32, 'a'), "note", 1}); !st.ok()) return st;
    for (int i = 1; i <= 4; ++i) {
      if (auto e = audit::AppendEvent(s, Event(i)); !e.ok()) return e.status();
    }
    return absl::OkStatus();
  }).ok());
  for (bool as_owner : {false, true}) {
    for (const std::string sql : {
             "UPDATE audit_events SET actor_id = 'x' WHERE seq = 2",
             "DELETE FROM audit_events WHERE seq = 4",
             "UPDATE merkle_nodes SET level = 9 WHERE idx = 0",
             "DELETE FROM merkle_nodes",
             "UPDATE checkpoints SET note = 'forged'",
             "DELETE FROM checkpoints",
             "UPDATE decisions SET content_json = '{}'",
             "UPDATE decisions SET decision_id = 'd-9'",
             "UPDATE decisions SET seq = seq + 100",
             "UPDATE decisions SET assignment_id = 'a-9'",
             "DELETE FROM decisions",
         }) {
      EXPECT_FALSE(opened_.insider(sql, as_owner).ok()) << sql << (as_owner ? " as owner" : "");
    }
  }
  // A superseded decision never becomes active again; PostgreSQL refuses TRUNCATE as well.
  ASSERT_TRUE(store_->Write([](Session& s) { return s.SupersedeDecision("T1", "d-1"); }).ok());
  for (bool as_owner : {false, true}) {
    EXPECT_FALSE(opened_.insider("UPDATE decisions SET active = 1", as_owner).ok());
    if (GetParam().name == "postgresql") {
      for (const char* table : {"audit_events", "merkle_nodes", "checkpoints", "decisions"}) {
        EXPECT_FALSE(opened_.insider(absl::StrCat("TRUNCATE ", table, " CASCADE"), as_owner).ok())
            << table << (as_owner ? " as owner" : "");
      }
    }
  }
  // Nothing moved: four events, a valid chain, the decision and the checkpoint as written.
  const audit::VerifyResult before = VerifyChain(*store_);
  EXPECT_TRUE(before.ok) << before.problem;
  EXPECT_EQ(before.events_checked, 4);
  ASSERT_TRUE(store_->Read([](Session& s) -> absl::Status {
    EXPECT_TRUE(s.FindDecision("T1", "d-1").ok() && !s.FindDecision("T1", "d-1")->active);
    EXPECT_EQ(s.ListCheckpoints()->size(), 1u);
    EXPECT_EQ(s.TreeSize().value(), 4u);
    return absl::OkStatus();
  }).ok());
}

TEST_P(StoreConformance, AnInsiderWhoDropsTheTriggersIsCaughtByTheChain) {
  ASSERT_TRUE(store_->Write([](Session& s) -> absl::Status {
    for (int i = 1; i <= 4; ++i) {
      if (auto e = audit::AppendEvent(s, Event(i)); !e.ok()) return e.status();
    }
    return absl::OkStatus();
  }).ok());
  // The service's own rights never reach the schema (SQLite has no rights: its file is all).
  if (GetParam().name == "postgresql") {
    EXPECT_EQ(opened_.insider(opened_.drop_trail_triggers, false).code(),
              absl::StatusCode::kPermissionDenied);
  }
  ASSERT_TRUE(opened_.insider(opened_.drop_trail_triggers, true).ok());
  ASSERT_TRUE(opened_.insider("UPDATE audit_events SET actor_id = 'x' WHERE seq = 2", true).ok());
  const audit::VerifyResult after = VerifyChain(*store_);
  EXPECT_FALSE(after.ok);
  EXPECT_EQ(after.first_bad_seq, 2);
}

TEST_P(StoreConformance, EveryTableCopiesRowForRowToEveryEngine) {
  ASSERT_TRUE(Populate().ok());
  ASSERT_TRUE(store_->Write([](Session& s) -> absl::Status {
    if (auto st = s.InsertDecision("T1", Decision("d-1")); !st.ok()) return st;
    if (auto st = s.SupersedeDecision("T1", "d-1"); !st.ok()) return st;
    if (auto st = s.InsertDecision("T1", Decision("d-2", "d-1")); !st.ok()) return st;
    if (auto st = s.RecordReply("T1", "SignOff", "r", {"fp", std::string("\0\xff\x01", 3), "", ""}, 5);
        !st.ok()) {
      return st;
    }
    for (int i = 1; i <= 6; ++i) {
      if (auto e = audit::AppendEvent(s, Event(i)); !e.ok()) return e.status();
    }
    return s.InsertCheckpoint({6, std::string("\0\x80", 2) + std::string(30, 'r'), "n", 7});
  }).ok());
  for (const Engine& target : Engines()) {
    TempDir dir;
    absl::StatusOr<Opened> copy = target.open(dir.path());
    ASSERT_TRUE(copy.ok()) << copy.status();
    std::map<std::string, std::vector<std::vector<std::string>>> source_rows, copied_rows;
    const absl::Status copied = store_->Read([&](Session& from) {
      return copy->store->Write([&](Session& to) -> absl::Status {
        for (const TableSpec& table : Tables()) {
          absl::Status st = from.ForEachRow(table, [&](const std::vector<std::string>& row) {
            source_rows[std::string(table.name)].push_back(row);
            return to.InsertRow(table, row);
          });
          if (!st.ok()) return st;
        }
        return absl::OkStatus();
      });
    });
    ASSERT_TRUE(copied.ok()) << target.name << ": " << copied;
    ASSERT_TRUE(copy->store->Read([&](Session& s) -> absl::Status {
      for (const TableSpec& table : Tables()) {
        absl::Status st = s.ForEachRow(table, [&](const std::vector<std::string>& row) {
          copied_rows[std::string(table.name)].push_back(row);
          return absl::OkStatus();
        });
        if (!st.ok()) return st;
      }
      auto listed = s.ListDecisions("T1", "a-1", true, 0, 10);
      EXPECT_TRUE(listed.ok() && listed->size() == 2 && !(*listed)[0].second.active);
      return absl::OkStatus();
    }).ok());
    EXPECT_EQ(source_rows, copied_rows) << GetParam().name << " -> " << target.name;
    EXPECT_EQ(source_rows.size(), Tables().size());  // every table had rows
    // A decision signed after the copy comes after the copied ones.
    ASSERT_TRUE(copy->store->Write([](Session& s) -> absl::Status {
      if (auto st = s.SupersedeDecision("T1", "d-2"); !st.ok()) return st;
      return s.InsertDecision("T1", Decision("d-3", "d-2"));
    }).ok());
    ASSERT_TRUE(copy->store->Read([](Session& s) -> absl::Status {
      auto listed = s.ListDecisions("T1", "a-1", true, 0, 10);
      EXPECT_TRUE(listed.ok() && listed->size() == 3 && listed->back().second.id == "d-3");
      return absl::OkStatus();
    }).ok());
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreConformance, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gardefou::store
