// Implementation of the per-criterion and per-item sign-off rules.
#include "service/workflow/sign_off_rules.h"

#include <cmath>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "service/common/status_macros.h"
#include "service/common/text.h"
#include "service/workflow/validation.h"

namespace gardefou::workflow {
namespace {

constexpr double kSameScore = 1e-9;

bool Valid(model::Origin origin) {
  return origin == model::Origin::kAcceptedSuggestion || origin == model::Origin::kModified ||
         origin == model::Origin::kTeacherOnly;
}

}  // namespace

absl::Status CheckScores(const model::AssignmentRecord& assignment,
                         const std::vector<model::ScoreRecord>& scores,
                         const model::SuggestionRecord* evaluation) {
  std::map<absl::string_view, const model::ScoreRecord*> by_id;
  for (size_t i = 0; i < scores.size(); ++i) {
    const model::ScoreRecord& s = scores[i];
    RETURN_IF_ERROR(common::CheckId(absl::StrCat("scores[", i, "].criterion_id"), s.criterion_id));
    if (s.provisional_points || s.ai_points) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scores[", i, "]: provisional_points and ai_points are set by the server, not sent"));
    }
    if (!by_id.emplace(s.criterion_id, &s).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("criterion '", s.criterion_id, "' is scored twice"));
    }
  }
  for (const model::CriterionRecord& c : assignment.criteria) {
    if (!by_id.contains(c.id)) {
      return absl::InvalidArgumentError(
          absl::StrCat("criterion '", c.id, "' has no score: every criterion must be scored"));
    }
  }
  std::map<absl::string_view, double> proposed;
  if (evaluation != nullptr) {
    for (const auto& p : evaluation->criteria) proposed[p.criterion_id] = p.proposed_points;
  }
  for (const model::ScoreRecord& s : scores) {
    const model::CriterionRecord* criterion = nullptr;
    for (const auto& c : assignment.criteria) {
      if (c.id == s.criterion_id) criterion = &c;
    }
    if (criterion == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("criterion '", s.criterion_id, "' is not in the rubric"));
    }
    if (!std::isfinite(s.points) || s.points < 0 || s.points > criterion->max_points) {
      return absl::InvalidArgumentError(absl::StrCat("criterion '", s.criterion_id,
                                                     "' must be scored within [0, ",
                                                     criterion->max_points, "]"));
    }
    if (!Valid(s.origin)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "criterion '", s.criterion_id,
          "' needs an origin: ACCEPTED_SUGGESTION, MODIFIED or TEACHER_ONLY"));
    }
    if (s.origin == model::Origin::kTeacherOnly) continue;
    if (evaluation == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("criterion '", s.criterion_id,
                       "' refers to a proposal: set evaluation_suggestion_id"));
    }
    auto it = proposed.find(s.criterion_id);
    if (it == proposed.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "criterion '", s.criterion_id, "' has no proposal in the suggestion: use TEACHER_ONLY"));
    }
    const bool same = std::fabs(it->second - s.points) < kSameScore;
    if (s.origin == model::Origin::kAcceptedSuggestion && !same) {
      return absl::InvalidArgumentError(
          absl::StrCat("criterion '", s.criterion_id, "' is marked ACCEPTED_SUGGESTION but ",
                       s.points, " is not the proposed ", it->second, ": use MODIFIED"));
    }
    if (s.origin == model::Origin::kModified && same) {
      return absl::InvalidArgumentError(
          absl::StrCat("criterion '", s.criterion_id,
                       "' is marked MODIFIED but equals the proposal: use ACCEPTED_SUGGESTION"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckExtraWork(const std::vector<model::ExtraWorkItemRecord>& items,
                            const model::SuggestionRecord* extra_work) {
  if (items.size() > kMaxExtraWorkItems) {
    return absl::InvalidArgumentError(
        absl::StrCat("extra_work has more than ", kMaxExtraWorkItems, " items"));
  }
  for (size_t i = 0; i < items.size(); ++i) {
    const model::ExtraWorkItemRecord& item = items[i];
    const std::string where = absl::StrCat("extra_work[", i, "]");
    RETURN_IF_ERROR(common::CheckText(absl::StrCat(where, ".description"), item.description,
                                      4000, true, common::TextKind::kFreeText));
    if (!Valid(item.origin)) {
      return absl::InvalidArgumentError(absl::StrCat(where, " needs an origin"));
    }
    if (item.origin == model::Origin::kTeacherOnly) {
      if (!item.proposal_item_id.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, " is TEACHER_ONLY but names a proposal_item_id"));
      }
      continue;
    }
    if (extra_work == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, " refers to a proposal: set extra_work_suggestion_id"));
    }
    const model::ExtraWorkProposalRecord* proposal = nullptr;
    for (const auto& p : extra_work->extra_work) {
      if (p.item_id == item.proposal_item_id) proposal = &p;
    }
    if (proposal == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".proposal_item_id does not name a proposal of the suggestion"));
    }
    const bool same = proposal->description == item.description;
    if (item.origin == model::Origin::kAcceptedSuggestion && !same) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, " is ACCEPTED_SUGGESTION but its description differs: use MODIFIED"));
    }
    if (item.origin == model::Origin::kModified && same) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, " is MODIFIED but repeats the proposal: use ACCEPTED_SUGGESTION"));
    }
  }
  return absl::OkStatus();
}

double TotalPoints(const std::vector<model::ScoreRecord>& scores) {
  double total = 0;
  for (const auto& s : scores) total += s.points;
  return total;
}

std::string SecondMarkReason(const policy::Policy& policy,
                             const model::AssignmentRecord& assignment,
                             const std::vector<model::ScoreRecord>& scores) {
  if (assignment.high_stakes) return "high-stakes assignment";
  const double criterion_gap = policy.criterion_gap_points();
  const double total_gap = policy.total_gap_points();
  double total = 0, ai_total = 0, provisional_total = 0;
  bool all_ai = !scores.empty(), all_provisional = !scores.empty();
  for (const model::ScoreRecord& s : scores) {
    total += s.points;
    all_ai = all_ai && s.ai_points.has_value();
    all_provisional = all_provisional && s.provisional_points.has_value();
    ai_total += s.ai_points.value_or(0);
    provisional_total += s.provisional_points.value_or(0);
    for (const auto& [other, what] : {std::pair{s.ai_points, "the AI's proposal"},
                                      std::pair{s.provisional_points, "the provisional score"}}) {
      if (criterion_gap > 0 && other && std::fabs(s.points - *other) > criterion_gap + kSameScore) {
        return absl::StrCat("criterion '", s.criterion_id, "': final ", s.points, " against ",
                            what, " ", *other, ", a gap above ", criterion_gap, " points");
      }
    }
  }
  for (const auto& [present, other, what] :
       {std::tuple{all_ai, ai_total, "the AI's proposals"},
        std::tuple{all_provisional, provisional_total, "the provisional scores"}}) {
    if (total_gap > 0 && present && std::fabs(total - other) > total_gap + kSameScore) {
      return absl::StrCat("total: final ", total, " against ", what, " ", other,
                          ", a gap above ", total_gap, " points");
    }
  }
  return "";
}

}  // namespace gardefou::workflow
