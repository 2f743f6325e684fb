// The release feed: what a gradebook may show, written in the transaction of the change that
// causes it (a copy handed in, a decision in force), and read by cursor. Timestamps are whole
// seconds, strictly increasing per (assignment, pupil), so that a platform comparing them to
// the second (Moodle's 409 rule) applies every update.
#include "absl/strings/str_cat.h"
#include "service/audit/release_events.h"
#include "service/common/text.h"
#include "service/workflow/mutate.h"

namespace gardefou::workflow {
namespace {

using store::Session;

constexpr int64_t kSecond = 1000000;
constexpr int kMaxReleasePage = 500;
constexpr int kDefaultReleasePage = 100;

}  // namespace

absl::Status Workflow::Release(Session& session, const CallContext& ctx,
                               model::ReleaseRecord release, int64_t now_us) const {
  ASSIGN_OR_RETURN(const int64_t last, session.LastReleaseTime(ctx.tenant, release.assignment_id,
                                                               release.student_id));
  const int64_t whole = (now_us + kSecond - 1) / kSecond * kSecond;
  release.timestamp_us = std::max(whole, last + kSecond);
  return session.AppendRelease(ctx.tenant, release);
}

model::ReleaseRecord PendingRelease(const model::CopyRecord& copy) {
  model::ReleaseRecord release;
  release.assignment_id = copy.assignment_id;
  release.student_id = copy.student_id;
  release.copy_id = copy.id;
  return release;
}

model::ReleaseRecord GradedRelease(const model::DecisionRecord& decision) {
  model::ReleaseRecord release;
  release.assignment_id = decision.assignment_id;
  release.student_id = decision.student_id;
  release.copy_id = decision.copy_id;
  release.fully_graded = true;
  release.score_given = decision.total_points;
  release.score_maximum = decision.max_points;
  release.comment = decision.final_comment;
  release.scoring_user_id = decision.teacher_id;
  release.decision_id = decision.id;
  return release;
}

absl::StatusOr<ReleasePage> Workflow::ListReleases(const CallContext& ctx, int64_t after_cursor,
                                                   int page_size,
                                                   const std::string& assignment_id) {
  RETURN_IF_ERROR(CheckRole(ctx, "ListReleases"));
  if (after_cursor < 0) return absl::InvalidArgumentError("after_cursor must be 0 or more");
  if (page_size < 0 || page_size > kMaxReleasePage) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size must be from 1 to ", kMaxReleasePage, " (0: ",
                     kDefaultReleasePage, ")"));
  }
  if (!assignment_id.empty()) RETURN_IF_ERROR(common::CheckId("assignment_id", assignment_id));
  ReleasePage page;
  page.next_cursor = after_cursor;
  RETURN_IF_ERROR(store_.Read([&](Session& session) -> absl::Status {
    if (!assignment_id.empty()) {
      RETURN_IF_ERROR(session.FindAssignment(ctx.tenant, assignment_id).status());
    }
    ASSIGN_OR_RETURN(page.releases,
                     session.ListReleases(ctx.tenant, after_cursor, assignment_id,
                                          page_size == 0 ? kDefaultReleasePage : page_size));
    return absl::OkStatus();
  }));
  if (page.releases.empty()) return page;
  page.next_cursor = page.releases.back().cursor;
  const audit::ReleasesRead event{after_cursor, page.next_cursor,
                                  static_cast<int64_t>(page.releases.size()), assignment_id};
  RETURN_IF_ERROR(store_.Write([&](Session& session) {
    return Audit(session, ctx, event.ToContent(), common::NowMicros());
  }));
  return page;
}

}  // namespace gardefou::workflow
