// Aggregation of DECISION_SIGNED / DECISION_SUPERSEDED events and the HTML around them.
#include "service/audit/report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/audit/decision_events.h"
#include "service/audit/report_sections.h"
#include "service/common/hashing.h"

namespace gardefou::audit {
namespace {

struct CriterionRow {
  std::string id;
  std::optional<double> ai;
  double final_points = 0;
  std::string origin;
};

struct DecisionRow {
  int64_t seq = 0;
  int64_t time_us = 0;
  std::string tenant, teacher, assignment, decision_id, copy_id, student_id;
  int64_t review_ms = 0;
  double total = 0, max = 0;
  size_t extra_work = 0;
  std::vector<CriterionRow> criteria;
  bool superseded = false;
  bool pending = false;  // waits for a second mark
  std::string second_marker;
};

struct Group {
  std::vector<const DecisionRow*> decisions;
  int criteria_with_ai = 0;
  int unchanged = 0;
  std::map<int, int> differences;  // rounded final − AI, clamped to [-5, 5] -> count
  std::vector<int64_t> review_ms;
  int fast = 0;
};

constexpr int kMaxBin = 5;

using report_html::Esc;
using report_html::Num;

int64_t Median(std::vector<int64_t> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::vector<DecisionRow> Decisions(const std::vector<model::AuditEventRecord>& events) {
  std::vector<DecisionRow> rows;
  std::set<std::string> superseded;
  for (const auto& e : events) {
    if (auto replaced = DecisionSuperseded::Parse(e); replaced.ok()) {
      superseded.insert(replaced->decision_id);
    }
    if (auto marked = DecisionSecondMarked::Parse(e); marked.ok()) {
      // The decision in force now: the waiting one, as the second teacher left it.
      superseded.insert(marked->pending_decision_id);
      for (size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].decision_id != marked->pending_decision_id) continue;
        DecisionRow row = rows[i];
        row.seq = e.seq;
        row.time_us = e.time_us;
        row.decision_id = marked->decision_id;
        row.total = marked->total_after;
        row.pending = false;
        row.second_marker = marked->second_teacher_id;
        row.criteria.clear();
        for (const auto& c : marked->criteria) {
          row.criteria.push_back({c.criterion_id, c.ai_points, c.final_points, c.origin});
        }
        rows.push_back(std::move(row));
        break;
      }
      continue;
    }
    absl::StatusOr<DecisionSigned> d = DecisionSigned::Parse(e);
    if (!d.ok()) continue;
    DecisionRow row;
    row.seq = e.seq;
    row.time_us = e.time_us;
    row.tenant = e.tenant;
    row.teacher = d->teacher_id;
    row.assignment = d->assignment_id;
    row.decision_id = d->decision_id;
    row.copy_id = d->copy_id;
    row.student_id = d->student_id;
    row.review_ms = d->review_duration_ms;
    row.total = d->total_points;
    row.max = d->max_points;
    row.extra_work = d->extra_work.size();
    row.pending = !d->second_mark_reason.empty();
    for (const auto& c : d->criteria) {
      CriterionRow cr;
      cr.id = c.criterion_id;
      cr.ai = c.ai_points;
      cr.final_points = c.final_points;
      cr.origin = c.origin;
      row.criteria.push_back(std::move(cr));
    }
    rows.push_back(std::move(row));
  }
  for (auto& r : rows) r.superseded = superseded.contains(r.decision_id);
  return rows;
}

std::string StatusOf(const DecisionRow& r) {
  if (r.superseded) return "remplacée";
  if (r.pending) return "attend une seconde correction";
  if (!r.second_marker.empty()) {
    return absl::StrCat("en vigueur (seconde correction : ", Esc(r.second_marker), ")");
  }
  return "en vigueur";
}

std::string Histogram(const Group& g) {
  int peak = 1;
  for (const auto& [bin, count] : g.differences) peak = std::max(peak, count);
  constexpr int kBar = 22, kHeight = 90;
  std::string svg = absl::StrFormat(
      "<svg class=\"hist\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">"
      "<title>final − AI difference per criterion</title>",
      (2 * kMaxBin + 1) * kBar, kHeight + 30, (2 * kMaxBin + 1) * kBar, kHeight + 30);
  for (int bin = -kMaxBin; bin <= kMaxBin; ++bin) {
    const int count = g.differences.contains(bin) ? g.differences.at(bin) : 0;
    const int h = count * kHeight / peak;
    const int x = (bin + kMaxBin) * kBar;
    absl::StrAppendFormat(&svg,
                          "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"%s\">"
                          "<title>%s%d: %d</title></rect>",
                          x + 2, 10 + kHeight - h, kBar - 4, h, bin == 0 ? "same" : "diff",
                          bin > 0 ? "+" : "", bin, count);
    absl::StrAppendFormat(&svg, "<text x=\"%d\" y=\"%d\">%s%d</text>", x + kBar / 2,
                          kHeight + 25, bin == -kMaxBin ? "≤" : bin == kMaxBin ? "≥" : "", bin);
  }
  return svg + "</svg>";
}

std::string ShareBar(double share) {
  const int w = static_cast<int>(std::lround(share * 160));
  return absl::StrFormat(
      "<svg role=\"img\" width=\"164\" height=\"14\" viewBox=\"0 0 164 14\">"
      "<rect x=\"0\" y=\"1\" width=\"162\" height=\"12\" class=\"track\"/>"
      "<rect x=\"1\" y=\"2\" width=\"%d\" height=\"10\" class=\"same\"/></svg>",
      w);
}

}  // namespace

std::string RenderReport(const std::vector<model::AuditEventRecord>& events,
                         const LogVerdict& verdict, const ReportOptions& options) {
  const std::vector<DecisionRow> rows = Decisions(events);
  std::map<std::pair<std::string, std::string>, Group> groups;  // (teacher, assignment)
  for (const auto& r : rows) {
    if (r.superseded) continue;  // the decision in force is the one to judge
    Group& g = groups[{r.teacher, r.assignment}];
    g.decisions.push_back(&r);
    g.review_ms.push_back(r.review_ms);
    if (r.review_ms < int64_t{options.fast_review_seconds} * 1000) ++g.fast;
    for (const auto& c : r.criteria) {
      if (!c.ai) continue;
      ++g.criteria_with_ai;
      const double diff = c.final_points - *c.ai;
      if (std::fabs(diff) < 1e-9) ++g.unchanged;
      const int bin = std::clamp(static_cast<int>(std::lround(diff)), -kMaxBin, kMaxBin);
      ++g.differences[bin];
    }
  }

  std::string html =
      "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">"
      "<title>gardefou — rapport d'inspection</title><style>"
      "body{font-family:sans-serif;margin:2em;color:#222}"
      "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;"
      "text-align:right}th{background:#eee}td.l,th.l{text-align:left}"
      ".ok{background:#e3f4e3;border:1px solid #5a5;padding:1em}"
      ".bad{background:#fbe3e3;border:1px solid #c55;padding:1em}"
      "rect.same{fill:#4a8}rect.diff{fill:#c84}rect.track{fill:#eee}"
      "svg.hist text{font-size:10px;text-anchor:middle}tr.fast td{background:#fff3cd}"
      "code{font-size:90%}</style></head><body>"
      "<h1>Rapport d'inspection — décisions de notation</h1>";
  const VerifyResult& chain = verdict.chain;
  if (chain.ok) {
    absl::StrAppend(&html, "<div class=\"ok\" id=\"verification\" data-metric=\"verification\" "
                           "data-value=\"OK\"><strong>Journal vérifié</strong> : ",
                    "<span data-metric=\"events_checked\">", chain.events_checked,
                    "</span> événements, chaîne de hachage et arbre de Merkle intacts, ",
                    verdict.checkpoints_checked,
                    verdict.checkpoints_checked == 1 ? " point de contrôle signé vérifié."
                                                     : " points de contrôle signés vérifiés.");
    if (verdict.latest) {
      absl::StrAppend(
          &html, "<br>Vérifié par rapport au point de contrôle de taille <span "
                 "data-metric=\"checkpoint_size\">",
          verdict.latest->size, "</span>, racine <code>",
          absl::Base64Escape(common::DigestBytes(verdict.latest->root)),
          "</code>", verdict.trusted_checked ? " (point de contrôle de confiance fourni)" : "",
          ".");
    } else {
      html += "<br>Aucun point de contrôle signé : seule la chaîne a pu être vérifiée.";
    }
    html += "</div>";
  } else {
    absl::StrAppend(&html, "<div class=\"bad\" id=\"verification\" data-metric=\"verification\" "
                           "data-value=\"TAMPERED\"><strong>Journal altéré</strong> : ",
                    Esc(chain.problem),
                    ". Les chiffres ci-dessous proviennent d'un journal non fiable.</div>");
  }
  absl::StrAppend(&html, "<p>Base : <code>", Esc(options.database),
                  "</code>. Seuil de revue rapide : <span data-metric=\"fast_threshold\">",
                  options.fast_review_seconds,
                  "</span> s. Les élèves n'apparaissent que par leur identifiant LMS.</p>");

  html += "<h2>Par enseignant et devoir</h2><table id=\"summary\"><tr><th class=\"l\">Enseignant"
          "</th><th class=\"l\">Devoir</th><th>Décisions</th><th>Critères repris de l'IA sans "
          "changement</th><th></th><th>Temps de revue médian (s)</th><th>Revues rapides"
          "</th><th>Écarts note finale − IA</th></tr>";
  for (const auto& [key, g] : groups) {
    const std::string id = Esc(absl::StrCat(key.first, "|", key.second));
    const double share = g.criteria_with_ai ? double(g.unchanged) / g.criteria_with_ai : 0.0;
    absl::StrAppendFormat(
        &html,
        "<tr data-group=\"%s\"><td class=\"l\">%s</td><td class=\"l\">%s</td>"
        "<td data-metric=\"decisions\">%d</td>"
        "<td><span data-metric=\"unchanged\">%d</span> / <span data-metric=\"criteria_with_ai\">"
        "%d</span> (<span data-metric=\"unchanged_percent\">%d</span> %%)</td><td>%s</td>"
        "<td data-metric=\"median_review_seconds\">%s</td>"
        "<td data-metric=\"fast_reviews\">%d</td><td>%s</td></tr>",
        id, Esc(key.first), Esc(key.second), g.decisions.size(), g.unchanged, g.criteria_with_ai,
        static_cast<int>(std::lround(share * 100)), ShareBar(share),
        Num(static_cast<double>(Median(g.review_ms)) / 1000.0), g.fast, Histogram(g));
  }
  html += "</table>";
  html += report_html::SafeguardSections(events, options);

  html += "<h2>Détail des décisions</h2><table id=\"decisions\"><tr><th>Év.</th><th class=\"l\">"
          "Décision</th><th class=\"l\">Enseignant</th><th class=\"l\">Devoir</th><th class=\"l\">"
          "Élève (id LMS)</th><th>Revue (s)</th><th class=\"l\">Critère : IA → finale "
          "(origine)</th><th>Total</th><th>Travail suppl.</th><th class=\"l\">État</th></tr>";
  for (const auto& r : rows) {
    const bool fast = r.review_ms < int64_t{options.fast_review_seconds} * 1000;
    std::string criteria;
    for (const auto& c : r.criteria) {
      absl::StrAppend(&criteria, Esc(c.id), " : ", c.ai ? Num(*c.ai) : "—", " → ",
                      Num(c.final_points), " (", Esc(c.origin), ")<br>");
    }
    absl::StrAppendFormat(
        &html,
        "<tr data-decision=\"%s\"%s><td>%d</td><td class=\"l\">%s</td><td class=\"l\">%s</td>"
        "<td class=\"l\">%s</td><td class=\"l\">%s</td><td>%s%s</td><td class=\"l\">%s</td>"
        "<td>%s / %s</td><td>%d</td><td class=\"l\">%s</td></tr>",
        Esc(r.decision_id), fast ? " class=\"fast\"" : "", r.seq, Esc(r.decision_id),
        Esc(r.teacher), Esc(r.assignment), Esc(r.student_id),
        Num(static_cast<double>(r.review_ms) / 1000.0), fast ? " ⚠" : "", criteria,
        Num(r.total), Num(r.max), r.extra_work, StatusOf(r));
  }
  html += "</table><p>⚠ : revue plus rapide que le seuil (possible validation sans lecture).</p>"
          "</body></html>\n";
  return html;
}

}  // namespace gardefou::audit
