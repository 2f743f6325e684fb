// The inspector's report: one self-contained HTML page (inline CSS and SVG, no script, no
// external asset) built from the audit events alone, so it says what the verified trail says.
// Per teacher and assignment: decisions, share of criteria where the teacher kept the AI's
// value, distribution of final − AI differences, median review time, and sign-offs faster than
// a threshold (possible rubber-stamping); then the safeguards (objections and overrides, AI
// calls refused, stop periods, blind-first agreement, second marks, fast acceptances with a
// rationale: report_safeguards.cc); then every decision beside its AI suggestion.
// Numbers carry data-metric attributes so tests can read them from the rendered page.
#pragma once

#include <string>
#include <vector>

#include "service/audit/log_verifier.h"
#include "service/model/records.h"

namespace gardefou::audit {

struct ReportOptions {
  int fast_review_seconds = 30;  // sign-offs under this are flagged
  std::string database;          // shown in the header
};

std::string RenderReport(const std::vector<model::AuditEventRecord>& events,
                         const LogVerdict& verdict, const ReportOptions& options);

}  // namespace gardefou::audit
