// Internal to the inspector's report: the HTML helpers report.cc and report_safeguards.cc
// share, and the safeguard sections (objections, refused AI calls, stop periods, blind-first
// agreement, second marks, rubber-stamp flags) that report.cc places after its summary.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "service/audit/report.h"
#include "service/model/records.h"

namespace gardefou::audit::report_html {

inline std::string Esc(absl::string_view s) {
  return absl::StrReplaceAll(s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

// Whole numbers without decimals, others with two.
inline std::string Num(double v) {
  return v == std::floor(v) ? absl::StrCat(static_cast<int64_t>(v)) : absl::StrFormat("%.2f", v);
}

// The safeguard sections, from the events alone; every number carries a data-metric.
std::string SafeguardSections(const std::vector<model::AuditEventRecord>& events,
                              const ReportOptions& options);

}  // namespace gardefou::audit::report_html
