// An LMS integration in C++, as a school platform would write it: sends the roster, creates an
// assignment, submits copies, asks for AI suggestions, then lets a teacher review and sign off,
// and finally reads the released grades and checks the audit trail.
//
// usage: lms_demo --target HOST:PORT --roster roster.json --copies DIR
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gardefou/v1/audit.grpc.pb.h"
#include "gardefou/v1/grading.grpc.pb.h"

namespace v1 = gardefou::v1;

namespace {

constexpr char kTenant[] = "0999001A";

struct Caller {
  std::string actor;
  std::string role;
};

// Every call carries the tenant, the actor and the role as metadata.
std::unique_ptr<grpc::ClientContext> ContextFor(const Caller& caller) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("x-gardefou-tenant", kTenant);
  context->AddMetadata("x-gardefou-actor", caller.actor);
  context->AddMetadata("x-gardefou-role", caller.role);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

[[noreturn]] void Fail(const std::string& step, const grpc::Status& status) {
  std::cerr << "demo failed at " << step << ": " << status.error_code() << " "
            << status.error_message() << "\n";
  std::exit(1);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void FillPerson(const nlohmann::json& j, v1::Person* p) {
  p->set_id(j.value("id", ""));
  p->set_first(j.value("first", ""));
  p->set_last(j.value("last", ""));
  p->set_title(j.value("title", ""));
  p->set_ine(j.value("ine", ""));
  for (const auto& alias : j.value("aliases", std::vector<std::string>{})) p->add_aliases(alias);
}

std::string Points(double v) {
  std::ostringstream out;
  out << std::setprecision(3) << v;
  return out.str();
}

const char* OriginLabel(v1::Origin origin) {
  switch (origin) {
    case v1::ACCEPTED_SUGGESTION: return "accepted AI proposal";
    case v1::MODIFIED: return "changed by the teacher";
    case v1::TEACHER_ONLY: return "set by the teacher alone";
    default: return "?";
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string target = "127.0.0.1:50051", roster_path = "examples/demo/roster.json",
              copies_dir = "examples/demo/copies";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--target") target = argv[i + 1];
    else if (flag == "--roster") roster_path = argv[i + 1];
    else if (flag == "--copies") copies_dir = argv[i + 1];
  }

  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(15))) {
    std::cerr << "demo: no gardefou server answers at " << target << "\n";
    return 1;
  }
  auto grading = v1::GradingAssist::NewStub(channel);
  auto trail = v1::AuditTrail::NewStub(channel);

  // 1. The LMS sends the identity context of the class.
  const nlohmann::json roster = nlohmann::json::parse(ReadFile(roster_path)).at(0);
  const Caller lms{"lms-demo", "lms"};
  v1::UpsertRosterRequest upsert;
  upsert.set_request_id("demo-roster");
  upsert.set_class_id(roster.at("class_id").get<std::string>());
  const auto& school = roster.at("school");
  upsert.mutable_school()->set_name(school.value("name", ""));
  upsert.mutable_school()->set_uai(school.value("uai", ""));
  upsert.mutable_school()->set_city(school.value("city", ""));
  upsert.mutable_school()->set_postcode(school.value("postcode", ""));
  for (const auto& t : roster.at("teachers")) FillPerson(t, upsert.add_teachers());
  for (const auto& s : roster.at("students")) FillPerson(s, upsert.add_students());
  v1::UpsertRosterResponse upserted;
  if (auto st = grading->UpsertRoster(ContextFor(lms).get(), upsert, &upserted); !st.ok()) {
    Fail("UpsertRoster", st);
  }
  std::cout << "1. Roster of class " << upserted.class_id() << ": " << upserted.student_count()
            << " students, " << upserted.teacher_count() << " teachers.\n";
  // Families were told about AI assistance (GDPR Art. 21): without this record the default
  // policy makes no AI call for the class.
  v1::RecordFamiliesInformedRequest inform;
  inform.set_request_id("demo-families");
  inform.set_class_id(upsert.class_id());
  inform.set_informed_on("2026-09-01");
  v1::FamiliesInformed informed;
  if (auto st = grading->RecordFamiliesInformed(ContextFor(lms).get(), inform, &informed);
      !st.ok()) {
    Fail("RecordFamiliesInformed", st);
  }
  std::cout << "   Families informed on " << informed.informed_on() << ".\n";

  // 2. An assignment with a three-criterion rubric.
  const std::string teacher_id = upsert.teachers(0).id();
  v1::CreateAssignmentRequest create;
  create.set_request_id("demo-assignment");
  create.set_class_id(upsert.class_id());
  create.set_title("Essai argumenté : faut-il avoir peur des écrans ?");
  create.set_instructions("Rédigez un essai argumenté d'une page, avec introduction, "
                          "arguments illustrés d'exemples et conclusion.");
  auto add_criterion = [&](const char* id, const char* label, double max,
                           std::vector<std::string> descriptors) {
    v1::Criterion* c = create.mutable_rubric()->add_criteria();
    c->set_id(id);
    c->set_label(label);
    c->set_max_points(max);
    for (auto& d : descriptors) c->add_descriptors(d);
  };
  add_criterion("structure", "Structure", 6,
                {"introduction qui pose la question", "conclusion qui répond", "paragraphes"});
  add_criterion("argumentation", "Argumentation", 8,
                {"arguments illustrés par des exemples", "concession et nuance"});
  add_criterion("langue", "Maîtrise de la langue", 6,
                {"orthographe correcte", "ponctuation et phrases construites"});
  create.add_teacher_ids(teacher_id);
  v1::Assignment assignment;
  if (auto st = grading->CreateAssignment(ContextFor(lms).get(), create, &assignment); !st.ok()) {
    Fail("CreateAssignment", st);
  }
  std::cout << "2. Assignment " << assignment.assignment_id() << " created, teacher "
            << teacher_id << ".\n";

  // 3. Copies, named after the student who wrote them.
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(copies_dir)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<v1::Copy> copies;
  for (const auto& file : files) {
    v1::SubmitCopyRequest submit;
    submit.set_request_id("demo-copy-" + file.stem().string());
    submit.set_assignment_id(assignment.assignment_id());
    submit.set_student_id(file.stem().string());
    submit.set_text(ReadFile(file));
    v1::Copy copy;
    if (auto st = grading->SubmitCopy(ContextFor(lms).get(), submit, &copy); !st.ok()) {
      Fail("SubmitCopy", st);
    }
    copies.push_back(copy);
  }
  std::cout << "3. " << copies.size() << " copies submitted.\n";

  // 4. AI suggestions for each copy: evaluation, correction, extra work.
  std::map<std::string, v1::Suggestion> evaluations, extra_work;
  for (const auto& copy : copies) {
    for (v1::Purpose purpose : {v1::EVALUATION, v1::CORRECTION, v1::EXTRA_WORK}) {
      v1::RequestSuggestionRequest ask;
      ask.set_request_id("demo-suggest-" + copy.student_id() + "-" + v1::Purpose_Name(purpose));
      ask.set_copy_id(copy.copy_id());
      ask.set_purpose(purpose);
      v1::Suggestion suggestion;
      if (auto st = grading->RequestSuggestion(ContextFor(lms).get(), ask, &suggestion);
          !st.ok()) {
        Fail("RequestSuggestion", st);
      }
      if (purpose == v1::EVALUATION) evaluations[copy.copy_id()] = suggestion;
      if (purpose == v1::EXTRA_WORK) extra_work[copy.copy_id()] = suggestion;
    }
  }
  int ready = 0;
  for (const auto& [id, eval] : evaluations) ready += eval.state() == v1::READY;
  const v1::Suggestion& first = evaluations.begin()->second;
  std::cout << "4. " << copies.size() * 3 << " AI suggestions recorded (provider "
            << first.provider() << ", model " << first.model()
            << (first.heuristic() ? ", heuristic" : "") << "); evaluations ready: " << ready << "/"
            << evaluations.size() << ".\n";
  for (const auto& [id, eval] : evaluations) {
    if (eval.state() != v1::READY) {
      std::cout << "   failed, the teacher grades alone: " << eval.failure_reason() << "\n";
    }
  }

  // 5. Before any sign-off, there is no grade: the server refuses.
  {
    v1::GetDecisionRequest get;
    get.set_copy_id(copies.front().copy_id());
    v1::Decision decision;
    grpc::Status st = grading->GetDecision(ContextFor(lms).get(), get, &decision);
    if (st.error_code() != grpc::StatusCode::FAILED_PRECONDITION) {
      std::cerr << "demo: GetDecision before sign-off should be refused\n";
      return 1;
    }
    std::cout << "5. GetDecision before sign-off refused: FAILED_PRECONDITION: "
              << st.error_message() << "\n";
  }

  // 6. The teacher reviews and signs off each copy.
  const Caller teacher{teacher_id, "teacher"};
  for (const auto& copy : copies) {
    v1::OpenReviewRequest open;
    open.set_request_id("demo-review-" + copy.student_id());
    open.set_copy_id(copy.copy_id());
    v1::Review review;
    if (auto st = grading->OpenReview(ContextFor(teacher).get(), open, &review); !st.ok()) {
      Fail("OpenReview", st);
    }
    const v1::Suggestion& eval = evaluations[copy.copy_id()];
    v1::SignOffRequest sign;
    sign.set_request_id("demo-signoff-" + copy.student_id());
    sign.set_copy_id(copy.copy_id());
    sign.set_review_id(review.review_id());
    if (eval.state() == v1::READY) {
      sign.set_evaluation_suggestion_id(eval.suggestion_id());
      sign.set_notice_version(eval.notice_version());  // the notice shown with it
    }
    // Without a usable suggestion the teacher scores every criterion alone.
    for (const auto& criterion : assignment.rubric().criteria()) {
      if (eval.state() == v1::READY) break;
      v1::CriterionScore* score = sign.add_scores();
      score->set_criterion_id(criterion.id());
      score->set_points(criterion.max_points() / 2);
      score->set_origin(v1::TEACHER_ONLY);
    }
    for (int i = 0; i < eval.criteria_size(); ++i) {
      const v1::CriterionProposal& p = eval.criteria(i);
      v1::CriterionScore* score = sign.add_scores();
      score->set_criterion_id(p.criterion_id());
      if (i == 0) {
        score->set_points(p.proposed_points());
        score->set_origin(v1::ACCEPTED_SUGGESTION);
      } else if (i == 1) {
        const double max = assignment.rubric().criteria(i).max_points();
        score->set_points(p.proposed_points() >= 1 ? p.proposed_points() - 1 : max / 2);
        score->set_origin(v1::MODIFIED);
      } else {
        score->set_points(4);
        score->set_origin(v1::TEACHER_ONLY);
      }
    }
    sign.set_final_comment("Copie lue et annotée en classe.");
    const v1::Suggestion& extra = extra_work[copy.copy_id()];
    if (extra.state() == v1::READY && extra.extra_work_size() > 0) {
      sign.set_extra_work_suggestion_id(extra.suggestion_id());
      v1::ExtraWorkItem* item = sign.add_extra_work();
      item->set_description(extra.extra_work(0).description());
      item->set_origin(v1::ACCEPTED_SUGGESTION);
      item->set_proposal_item_id(extra.extra_work(0).item_id());
    }
    sign.set_attest_copy_read(true);
    v1::Decision decision;
    if (auto st = grading->SignOff(ContextFor(teacher).get(), sign, &decision); !st.ok()) {
      Fail("SignOff", st);
    }
  }
  std::cout << "6. " << copies.size() << " copies reviewed and signed off by " << teacher_id
            << ".\n";

  // 7. The gradebook: released decisions only.
  v1::ListDecisionsRequest list;
  list.set_assignment_id(assignment.assignment_id());
  v1::ListDecisionsResponse released;
  if (auto st = grading->ListDecisions(ContextFor(lms).get(), list, &released); !st.ok()) {
    Fail("ListDecisions", st);
  }
  std::cout << "7. Released grades (" << released.decisions_size() << "):\n";
  for (const auto& d : released.decisions()) {
    std::cout << "   " << d.student_id() << ": " << Points(d.total_points()) << "/"
              << Points(d.max_points()) << " signed by " << d.teacher_id() << "\n";
    for (const auto& s : d.scores()) {
      std::cout << "      " << std::left << std::setw(14) << s.criterion_id() << std::right
                << std::setw(4) << Points(s.points()) << "  " << OriginLabel(s.origin()) << "\n";
    }
    for (const auto& x : d.extra_work()) {
      std::cout << "      extra work (" << OriginLabel(x.origin()) << "): " << x.description()
                << "\n";
    }
  }

  // 8. The inspector verifies the trail.
  const Caller inspector{"inspector-demo", "inspector"};
  v1::VerifyTrailResponse verified;
  if (auto st = trail->VerifyTrail(ContextFor(inspector).get(), {}, &verified); !st.ok()) {
    Fail("VerifyTrail", st);
  }
  v1::ListEventsRequest events_request;
  events_request.set_page_size(1000);
  v1::ListEventsResponse events;
  if (auto st = trail->ListEvents(ContextFor(inspector).get(), events_request, &events);
      !st.ok()) {
    Fail("ListEvents", st);
  }
  std::map<std::string, int> by_action;
  for (const auto& e : events.events()) ++by_action[e.action()];
  std::cout << "8. Audit trail: " << verified.events_checked() << " events, chain "
            << (verified.ok() ? "intact" : "BROKEN") << " (head " << verified.head_hash().substr(0, 16)
            << "…)\n";
  for (const auto& [action, count] : by_action) {
    std::cout << "      " << std::left << std::setw(22) << action << count << "\n";
  }
  // 9. The inspector asks for a signed checkpoint and a proof that the last event is in it.
  v1::GetCheckpointRequest checkpoint_request;
  checkpoint_request.set_sign_now(true);
  v1::Checkpoint checkpoint;
  if (auto st = trail->GetCheckpoint(ContextFor(inspector).get(), checkpoint_request, &checkpoint);
      !st.ok()) {
    Fail("GetCheckpoint", st);
  }
  v1::GetInclusionProofRequest proof_request;
  proof_request.set_seq(events.events().empty() ? 1 : events.events().rbegin()->seq());
  v1::InclusionProof proof;
  if (auto st = trail->GetInclusionProof(ContextFor(inspector).get(), proof_request, &proof);
      !st.ok()) {
    Fail("GetInclusionProof", st);
  }
  std::cout << "9. Signed checkpoint of " << checkpoint.tree_size() << " events (key "
            << checkpoint.public_key().substr(0, checkpoint.public_key().find('+')) << "):\n";
  std::istringstream note(checkpoint.note());
  for (std::string line; std::getline(note, line);) std::cout << "      " << line << "\n";
  std::cout << "   Event " << proof.seq() << " is in it: inclusion proof of " << proof.hashes_size()
            << " hashes.\n";
  std::cout << "\nIn short: the AI proposed, " << teacher_id << " decided every score; "
            << "no grade existed before the sign-off.\n";
  return verified.ok() ? 0 : 1;
}
