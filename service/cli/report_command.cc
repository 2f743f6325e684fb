// `gardefou audit report --db FILE|--store SPEC --out FILE.html`: verifies the log, then writes the
// inspector's page with the verdict at the top (mode 0600: it shows pupils' ids).
#include <iostream>

#include "absl/strings/numbers.h"
#include "service/audit/report.h"
#include "service/cli/audit_sources.h"
#include "service/cli/commands.h"
#include "service/common/private_files.h"

namespace gardefou::cli {

int RunAuditReport(const Args& args) {
  audit::ReportOptions options;
  absl::StatusOr<std::string> spec = StoreSpecOf(args);
  if (!spec.ok()) return UsageError(AuditReportCommand(), std::string(spec.status().message()));
  options.database = store::DescribeStore(*spec);
  if (auto it = args.options.find("fast-review-seconds"); it != args.options.end()) {
    if (!absl::SimpleAtoi(it->second, &options.fast_review_seconds) ||
        options.fast_review_seconds < 0 || options.fast_review_seconds > 86400) {
      return UsageError(AuditReportCommand(), "--fast-review-seconds must be 0 to 86400");
    }
  }
  absl::StatusOr<std::optional<std::string>> trusted = TrustedCheckpoint(args);
  if (!trusted.ok()) {
    std::cerr << "gardefou audit report: " << trusted.status().message() << "\n";
    return 2;
  }
  auto store = store::OpenStoreForReading(*spec);
  auto key = KeyFileOf(args);
  if (!store.ok() || !key.ok()) {
    std::cerr << "gardefou audit report: "
              << (store.ok() ? key.status() : store.status()).message() << "\n";
    return 2;
  }
  // One snapshot: the events shown are the events verified.
  std::vector<model::AuditEventRecord> events;
  absl::StatusOr<audit::LogVerdict> verdict = VerifyDatabase(**store, *key, *trusted, &events);
  if (!verdict.ok()) {
    std::cerr << "gardefou audit report: cannot read the trail: " << verdict.status().message()
              << "\n";
    return 2;
  }
  if (absl::Status written = common::ReplaceWithPrivateFile(
          args.options.at("out"), audit::RenderReport(events, *verdict, options));
      !written.ok()) {
    std::cerr << "gardefou audit report: " << written.message() << "\n";
    return 2;
  }
  std::cout << "report written to " << args.options.at("out") << " ("
            << (verdict->chain.ok ? "log verified" : "LOG TAMPERED: see the top of the page")
            << ")\n";
  return verdict->chain.ok ? 0 : 1;
}

}  // namespace gardefou::cli
