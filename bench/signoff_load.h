// The sign-off load of the benchmarks, over real gRPC calls with development headers: a roster
// and an assignment, copies submitted and reviews opened ahead of time, then every pending copy
// signed off by N client threads, spread over one or more channels (several servers sharing
// one store).
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gardefou/v1/grading.grpc.pb.h"

namespace gardefou::bench {

inline constexpr char kTenant[] = "0999001A";
inline constexpr char kTeacher[] = "t-1";
inline constexpr int kCriteria = 3;

inline std::unique_ptr<grpc::ClientContext> Context(const char* actor, const char* role) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->AddMetadata("x-gardefou-tenant", kTenant);
  c->AddMetadata("x-gardefou-actor", actor);
  c->AddMetadata("x-gardefou-role", role);
  return c;
}

// OK, or INTERNAL naming the call and the gRPC error.
inline absl::Status CallStatus(const grpc::Status& status, const char* what) {
  if (status.ok()) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat(what, " failed: ", status.error_code(), " ", status.error_message()));
}

struct Pending {
  std::string copy_id;
  std::string review_id;
};

class SignOffLoad {
 public:
  // Setup() and Prepare() go through the first channel; sign-offs are spread over all of them.
  explicit SignOffLoad(const std::vector<std::shared_ptr<grpc::Channel>>& channels)
      : channel_(channels.front()), stub_(v1::GradingAssist::NewStub(channel_)) {
    for (const auto& channel : channels) stubs_.push_back(v1::GradingAssist::NewStub(channel));
  }

  // The roster (one teacher, one pupil) and an assignment of kCriteria criteria.
  absl::Status Setup() {
    v1::UpsertRosterRequest roster;
    roster.set_request_id("bench-roster");
    roster.set_class_id("B");
    roster.mutable_school()->set_name("Bench");
    v1::Person* t = roster.add_teachers();
    t->set_id(kTeacher);
    t->set_last("Prof");
    v1::Person* s = roster.add_students();
    s->set_id("s-1");
    s->set_first("Eleve");
    v1::UpsertRosterResponse r;
    if (absl::Status st =
            CallStatus(stub_->UpsertRoster(Context("lms", "lms").get(), roster, &r), "UpsertRoster");
        !st.ok()) {
      return st;
    }
    v1::RecordFamiliesInformedRequest inform;
    inform.set_request_id("bench-families");
    inform.set_class_id("B");
    inform.set_informed_on("2026-09-01");
    v1::FamiliesInformed informed;
    if (absl::Status st = CallStatus(stub_->RecordFamiliesInformed(Context("lms", "lms").get(),
                                                                   inform, &informed),
                                     "RecordFamiliesInformed");
        !st.ok()) {
      return st;
    }
    v1::CreateAssignmentRequest create;
    create.set_request_id("bench-assignment");
    create.set_class_id("B");
    create.set_title("Bench");
    for (int i = 0; i < kCriteria; ++i) {
      v1::Criterion* c = create.mutable_rubric()->add_criteria();
      c->set_id("c" + std::to_string(i));
      c->set_label("Critère");
      c->set_max_points(10);
    }
    create.add_teacher_ids(kTeacher);
    return CallStatus(stub_->CreateAssignment(Context("lms", "lms").get(), create, &assignment_),
                      "CreateAssignment");
  }

  // Submits `n` copies and opens a review on each, ready to be signed off.
  absl::StatusOr<std::vector<Pending>> Prepare(int n) {
    std::vector<Pending> out;
    for (int i = 0; i < n; ++i) {
      const std::string id = std::to_string(next_++);
      v1::SubmitCopyRequest submit;
      submit.set_request_id("copy-" + id);
      submit.set_assignment_id(assignment_.assignment_id());
      submit.set_student_id("s-1");
      submit.set_text("Un texte d'élève assez court pour le banc d'essai numéro " + id + ".");
      v1::Copy copy;
      if (absl::Status st = CallStatus(
              stub_->SubmitCopy(Context("lms", "lms").get(), submit, &copy), "SubmitCopy");
          !st.ok()) {
        return st;
      }
      v1::OpenReviewRequest open;
      open.set_request_id("review-" + id);
      open.set_copy_id(copy.copy_id());
      v1::Review review;
      if (absl::Status st = CallStatus(
              stub_->OpenReview(Context(kTeacher, "teacher").get(), open, &review), "OpenReview");
          !st.ok()) {
        return st;
      }
      out.push_back({copy.copy_id(), review.review_id()});
    }
    return out;
  }

  // Signs off every pending copy with `clients` threads spread over the first `channels`
  // channels (0: all), client c on channel c % channels; returns sign-offs per second. The
  // first failure stops every client and is returned.
  absl::StatusOr<double> SignOffs(const std::vector<Pending>& pending, int clients,
                                  size_t channels = 0) {
    if (channels == 0 || channels > stubs_.size()) channels = stubs_.size();
    std::atomic<size_t> next{0};
    std::mutex failure_mutex;
    absl::Status failure;
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      v1::GradingAssist::Stub* stub = stubs_[static_cast<size_t>(c) % channels].get();
      threads.emplace_back([&, stub] {
        for (size_t i = next++; i < pending.size(); i = next++) {
          v1::SignOffRequest sign;
          sign.set_request_id("sign-" + pending[i].copy_id);
          sign.set_copy_id(pending[i].copy_id);
          sign.set_review_id(pending[i].review_id);
          for (int k = 0; k < kCriteria; ++k) {
            v1::CriterionScore* score = sign.add_scores();
            score->set_criterion_id("c" + std::to_string(k));
            score->set_points(7);
            score->set_origin(v1::TEACHER_ONLY);
          }
          sign.set_attest_copy_read(true);
          v1::Decision decision;
          absl::Status st =
              CallStatus(stub->SignOff(Context(kTeacher, "teacher").get(), sign, &decision),
                         "SignOff");
          if (!st.ok()) {
            next = pending.size();
            std::lock_guard<std::mutex> lock(failure_mutex);
            if (failure.ok()) failure = std::move(st);
            return;
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    if (!failure.ok()) return failure;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return static_cast<double>(pending.size()) / seconds;
  }

 protected:
  std::shared_ptr<grpc::Channel> channel_;            // the first channel
  std::unique_ptr<v1::GradingAssist::Stub> stub_;     // on the first channel
  std::vector<std::unique_ptr<v1::GradingAssist::Stub>> stubs_;  // one per channel
  v1::Assignment assignment_;
  int next_ = 0;
};

}  // namespace gardefou::bench
