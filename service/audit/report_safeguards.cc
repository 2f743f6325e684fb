// The inspector's report, safeguard sections: objections and overrides, AI calls refused by a
// safeguard, stop periods, blind-first agreement, second marks and rubber-stamp flags. From
// the audit events alone; identifiers and hashes only, never a justification or a name.
#include <time.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "service/audit/decision_events.h"
#include "service/audit/policy_events.h"
#include "service/audit/report_sections.h"
#include "service/audit/safeguard_events.h"

namespace gardefou::audit::report_html {
namespace {

constexpr double kSame = 1e-9;

// `<span data-metric="name">value</span>`.
std::string Metric(absl::string_view name, absl::string_view value) {
  return absl::StrCat("<span data-metric=\"", name, "\">", value, "</span>");
}

std::string Metric(absl::string_view name, int64_t value) {
  return Metric(name, absl::StrCat(value));
}

std::string Percent(int64_t part, int64_t whole) {
  return absl::StrCat(whole ? std::lround(100.0 * static_cast<double>(part) / whole) : 0);
}

// UTC, to the second.
std::string Time(int64_t time_us) {
  const time_t seconds = static_cast<time_t>(time_us / 1000000);
  struct tm utc {};
  gmtime_r(&seconds, &utc);
  char text[32];
  strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return text;
}

// Sign-offs in force: every DECISION_SIGNED not replaced by a DECISION_SUPERSEDED, as the
// summary counts them (a pending decision settled by a second mark stays its signer's act).
std::vector<DecisionSigned> SignOffsInForce(const std::vector<model::AuditEventRecord>& events) {
  std::set<std::string> replaced;
  for (const auto& e : events) {
    if (auto r = DecisionSuperseded::Parse(e); r.ok()) replaced.insert(r->decision_id);
  }
  std::vector<DecisionSigned> out;
  for (const auto& e : events) {
    absl::StatusOr<DecisionSigned> d = DecisionSigned::Parse(e);
    if (d.ok() && !replaced.contains(d->decision_id)) out.push_back(*std::move(d));
  }
  return out;
}

std::string ObjectionLabel(const std::string& action) {
  if (action == ObjectionChanged::kRecorded) return "enregistrée";
  if (action == ObjectionChanged::kOverridden) return "passée outre (chef d'établissement)";
  return "retirée";
}

std::string Objections(const std::vector<model::AuditEventRecord>& events) {
  std::map<std::string, int64_t> counts = {{ObjectionChanged::kRecorded, 0},
                                           {ObjectionChanged::kOverridden, 0},
                                           {ObjectionChanged::kWithdrawn, 0}};
  std::string rows;
  for (const auto& e : events) {
    if (!counts.contains(e.action)) continue;
    absl::StatusOr<ObjectionChanged> o = ObjectionChanged::Parse(e);
    if (!o.ok()) continue;
    ++counts[o->action];
    const std::string hash =
        o->justification_sha256.empty() ? "" : o->justification_sha256.substr(0, 12) + "…";
    absl::StrAppend(&rows, "<tr data-objection=\"", Esc(o->objection_id), "\" data-action=\"",
                    Esc(o->action), "\"><td data-metric=\"event\">", e.seq, "</td><td>",
                    Time(e.time_us), "</td><td class=\"l\">", Esc(o->objection_id),
                    "</td><td class=\"l\">", Esc(o->class_id), "</td><td class=\"l\">",
                    Esc(o->student_id), "</td><td class=\"l\">", ObjectionLabel(o->action),
                    "</td><td class=\"l\"><code class=\"justification\">", Esc(hash),
                    "</code></td></tr>");
  }
  return absl::StrCat(
      "<h2>Oppositions des familles</h2><p>Enregistrées : ",
      Metric("objections_recorded", counts[ObjectionChanged::kRecorded]),
      ", passées outre : ", Metric("objections_overridden", counts[ObjectionChanged::kOverridden]),
      ", retirées : ", Metric("objections_withdrawn", counts[ObjectionChanged::kWithdrawn]),
      ". La justification d'un passage outre n'apparaît que par le début de son SHA-256.</p>"
      "<table id=\"objections\"><tr><th>Év.</th><th>Date</th><th class=\"l\">Opposition</th>"
      "<th class=\"l\">Classe</th><th class=\"l\">Élève (id LMS)</th><th class=\"l\">Action</th>"
      "<th class=\"l\">Justification (SHA-256)</th></tr>",
      rows, "</table>");
}

std::string Refusals(const std::vector<model::AuditEventRecord>& events) {
  const std::map<std::string, std::string> labels = {
      {"FAMILIES_NOT_INFORMED", "familles non informées"},
      {"OBJECTION", "opposition d'une famille"},
      {"BLIND_FIRST", "notes provisoires de l'enseignant attendues"}};
  std::map<std::string, int64_t> counts;
  for (const auto& [reason, label] : labels) counts[reason] = 0;
  int64_t total = 0;
  for (const auto& e : events) {
    if (auto refused = AiCallRefused::Parse(e); refused.ok()) {
      ++counts[refused->reason];
      ++total;
    }
  }
  std::string html =
      "<h2>Appels à l'IA refusés par une garantie</h2><table id=\"refusals\"><tr>"
      "<th class=\"l\">Motif</th><th>Appels refusés</th></tr>";
  for (const auto& [reason, count] : counts) {
    const auto label = labels.find(reason);
    absl::StrAppend(&html, "<tr data-reason=\"", Esc(reason), "\"><td class=\"l\">",
                    label == labels.end() ? Esc(reason) : label->second, "</td><td>",
                    Metric(absl::AsciiStrToLower("refused_" + reason), count), "</td></tr>");
  }
  return absl::StrCat(html, "<tr><th class=\"l\">Total</th><th>", Metric("refused_total", total),
                      "</th></tr></table>");
}

struct StopPeriod {
  std::string what;                                 // "all", "provider X", "tenant Y"
  const model::AuditEventRecord* from = nullptr;    // null: already in force before the trail
  const model::AuditEventRecord* until = nullptr;   // null: still in force
};

// A period starts when a name appears in a POLICY_CHANGED's new_stopped and ends at the first
// later one that drops it; a name already in old_stopped with no start seen was in force before.
std::vector<StopPeriod> StopPeriods(const std::vector<model::AuditEventRecord>& events) {
  std::vector<StopPeriod> periods;
  std::map<std::string, size_t> open;  // name -> index in periods
  for (const auto& e : events) {
    if (e.action != PolicyChanged::kAction) continue;
    absl::StatusOr<PolicyChanged> change = PolicyChanged::Parse(e);
    if (!change.ok()) continue;  // written before the stop switch existed
    for (const std::string& name : change->old_stopped) {
      if (open.emplace(name, periods.size()).second) periods.push_back({name, nullptr, nullptr});
    }
    const std::set<std::string> now(change->new_stopped.begin(), change->new_stopped.end());
    for (auto it = open.begin(); it != open.end();) {
      if (now.contains(it->first)) {
        ++it;
      } else {
        periods[it->second].until = &e;
        it = open.erase(it);
      }
    }
    for (const std::string& name : now) {
      if (open.emplace(name, periods.size()).second) periods.push_back({name, &e, nullptr});
    }
  }
  return periods;
}

std::string EventCell(absl::string_view metric, const model::AuditEventRecord* e,
                      absl::string_view otherwise) {
  if (e == nullptr) {
    return absl::StrCat("<td data-metric=\"", metric, "\" data-value=\"none\">", otherwise,
                        "</td><td></td>");
  }
  return absl::StrCat("<td data-metric=\"", metric, "\">", e->seq, "</td><td>", Time(e->time_us),
                      "</td>");
}

std::string Stops(const std::vector<model::AuditEventRecord>& events) {
  const std::vector<StopPeriod> periods = StopPeriods(events);
  const int64_t in_force =
      std::count_if(periods.begin(), periods.end(), [](const StopPeriod& p) { return !p.until; });
  std::string html = absl::StrCat(
      "<h2>Périodes d'arrêt (coupe-circuit)</h2><p>Périodes : ",
      Metric("stop_periods", static_cast<int64_t>(periods.size())), ", dont toujours en vigueur : ",
      Metric("stop_periods_in_force", in_force),
      ".</p><table id=\"stops\"><tr><th class=\"l\">Arrêté</th><th>Depuis (év.)</th><th>Date</th>"
      "<th>Jusqu'à (év.)</th><th>Date</th></tr>");
  for (const StopPeriod& p : periods) {
    absl::StrAppend(&html, "<tr data-stop=\"", Esc(p.what), "\"><td class=\"l\">", Esc(p.what),
                    "</td>", EventCell("from_event", p.from, "avant le journal"),
                    EventCell("until_event", p.until, "toujours en vigueur"), "</tr>");
  }
  return html + "</table>";
}

struct BlindFirstCounts {
  int64_t decisions = 0, compared = 0, changed = 0, toward_ai = 0;
  double shift = 0;  // sum of |final − provisional| over the criteria compared
};

BlindFirstCounts CountBlindFirst(const std::vector<DecisionSigned>& sign_offs) {
  BlindFirstCounts n;
  for (const DecisionSigned& d : sign_offs) {
    bool provisional = false;
    for (const CriterionOutcome& c : d.criteria) {
      if (!c.provisional_points) continue;
      provisional = true;
      if (!c.ai_points) continue;  // graded without the AI: nothing to compare with
      ++n.compared;
      const double moved = std::fabs(c.final_points - *c.provisional_points);
      n.shift += moved;
      if (moved <= kSame) continue;
      ++n.changed;
      if (std::fabs(c.final_points - *c.ai_points) <
          std::fabs(*c.provisional_points - *c.ai_points) - kSame) {
        ++n.toward_ai;
      }
    }
    if (provisional) ++n.decisions;
  }
  return n;
}

std::string BlindFirst(const std::vector<DecisionSigned>& sign_offs) {
  const BlindFirstCounts n = CountBlindFirst(sign_offs);
  return absl::StrCat(
      "<h2>Notation à l'aveugle d'abord : accord avec l'IA</h2><table id=\"blind-first\">"
      "<tr><th class=\"l\">Décisions avec notes provisoires</th><td>",
      Metric("provisional_decisions", n.decisions),
      "</td></tr><tr><th class=\"l\">Critères comparés (note provisoire et proposition de "
      "l'IA)</th><td>",
      Metric("provisional_criteria", n.compared),
      "</td></tr><tr><th class=\"l\">Note finale différente de la note provisoire</th><td>",
      Metric("provisional_changed", n.changed), " (",
      Metric("provisional_changed_percent", Percent(n.changed, n.compared)),
      " %)</td></tr><tr><th class=\"l\">… dont rapprochées de la proposition de l'IA</th><td>",
      Metric("provisional_toward_ai", n.toward_ai),
      "</td></tr><tr><th class=\"l\">Écart moyen |finale − provisoire| (points)</th><td>",
      Metric("provisional_mean_shift", Num(n.compared ? n.shift / n.compared : 0.0)),
      "</td></tr></table>");
}

std::string SecondMarks(const std::vector<model::AuditEventRecord>& events,
                        const std::vector<DecisionSigned>& sign_offs) {
  std::set<std::string> settled;
  int64_t agreed = 0, amended = 0;
  double change = 0;
  for (const auto& e : events) {
    absl::StatusOr<DecisionSecondMarked> m = DecisionSecondMarked::Parse(e);
    if (!m.ok()) continue;
    settled.insert(m->pending_decision_id);
    ++(m->agreed ? agreed : amended);
    change += std::fabs(m->total_after - m->total_before);
  }
  int64_t required = 0, pending = 0;
  for (const DecisionSigned& d : sign_offs) {
    if (d.second_mark_reason.empty()) continue;
    ++required;
    if (!settled.contains(d.decision_id)) ++pending;
  }
  const int64_t marked = agreed + amended;
  return absl::StrCat(
      "<h2>Doubles corrections</h2><table id=\"second-marks\">"
      "<tr><th class=\"l\">Décisions qui en demandaient une</th><td>",
      Metric("second_mark_required", required),
      "</td></tr><tr><th class=\"l\">Contresignées sans changement</th><td>",
      Metric("second_mark_cosigned", agreed),
      "</td></tr><tr><th class=\"l\">Modifiées par le second enseignant</th><td>",
      Metric("second_mark_amended", amended),
      "</td></tr><tr><th class=\"l\">En attente</th><td>", Metric("second_mark_pending", pending),
      "</td></tr><tr><th class=\"l\">Écart moyen du total |après − avant| (points)</th><td>",
      Metric("second_mark_mean_change", Num(marked ? change / marked : 0.0)),
      "</td></tr></table>");
}

std::string RubberStamp(const std::vector<DecisionSigned>& sign_offs,
                        const ReportOptions& options) {
  const int64_t threshold_ms = int64_t{options.fast_review_seconds} * 1000;
  int64_t fast = 0, rationales = 0;
  for (const DecisionSigned& d : sign_offs) {
    if (d.review_duration_ms < threshold_ms) ++fast;
    if (!d.rationale_sha256.empty()) ++rationales;
  }
  return absl::StrCat(
      "<h2>Signaux de validation sans lecture</h2><table id=\"rubber-stamp\">"
      "<tr><th class=\"l\">Revues plus rapides que le seuil</th><td>",
      Metric("fast_reviews_total", fast),
      "</td></tr><tr><th class=\"l\">Propositions toutes acceptées vite, avec justification "
      "(gardée hors du journal, hachée)</th><td>",
      Metric("fast_acceptance_rationales", rationales), "</td></tr></table>");
}

}  // namespace

std::string SafeguardSections(const std::vector<model::AuditEventRecord>& events,
                              const ReportOptions& options) {
  const std::vector<DecisionSigned> sign_offs = SignOffsInForce(events);
  return absl::StrCat(Objections(events), Refusals(events), Stops(events), BlindFirst(sign_offs),
                      SecondMarks(events, sign_offs), RubberStamp(sign_offs, options));
}

}  // namespace gardefou::audit::report_html
