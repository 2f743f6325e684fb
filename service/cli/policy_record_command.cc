// `gardefou policy record`: the record of processing (GDPR Art. 30) of a deployment, printed
// from the configuration `serve` would run with — the policy file and the providers file — so
// that a data-protection officer reads what is processed, for what, by whom, and how long.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "plugins/offline_rubric.h"
#include "plugins/openai_compatible.h"
#include "plugins/provider_config.h"
#include "policy/policy.h"
#include "service/cli/commands.h"

namespace gardefou::cli {
namespace {

std::string YesNo(bool value) { return value ? "yes" : "no"; }

// One recipient: what the provider declares, how it is reached, and whether the policy lets
// a copy reach it.
void PrintRecipient(const policy::Policy& policy, const std::string& name,
                    const std::string& where, const plugins::ProviderInfo& info) {
  const std::vector<std::string> unmet = policy.UnmetRequirements(
      "", name,
      {info.guarantees.eu_residency, info.guarantees.retention_days,
       info.guarantees.used_for_training, info.encrypted_or_local});
  std::cout << "  - " << name << " (model " << info.model << ", " << where
            << "): processing in the EU " << YesNo(info.guarantees.eu_residency)
            << "; kept by the provider " << info.guarantees.retention_days
            << " days; used for training " << YesNo(info.guarantees.used_for_training)
            << "; transport " << (info.encrypted_or_local ? "encrypted or local" : "in clear")
            << ". Under this policy: "
            << (unmet.empty() ? "may receive pseudonymised copies"
                              : "receives nothing (unmet: " + absl::StrJoin(unmet, ", ") + ")")
            << "\n";
}

}  // namespace

const CommandSpec& PolicyRecordCommand() {
  static const CommandSpec* spec = new CommandSpec{
      .path = "policy record",
      .summary = "print the record of processing (GDPR Art. 30) of a configuration",
      .options = {{"policy", "FILE", "the policy file serve runs with (default: the shipped one)"},
                  {"providers", "FILE", "the providers file serve runs with (default: none)"}},
      .notes = "Exit 0, or 2 when a file cannot be read or has a mistake (as serve would\n"
               "refuse it).\n"};
  return *spec;
}

int RunPolicyRecord(const Args& args) {
  policy::Policy policy = policy::Policy::Default();
  if (const std::string path = OptionOr(args, "policy"); !path.empty()) {
    absl::StatusOr<policy::Policy> loaded = policy::LoadPolicyFile(path);
    if (!loaded.ok()) {
      std::cerr << "gardefou policy record: " << loaded.status().message() << "\n";
      return 2;
    }
    policy = *std::move(loaded);
  }
  plugins::ProvidersConfig providers;
  if (const std::string path = OptionOr(args, "providers"); !path.empty()) {
    absl::StatusOr<plugins::ProvidersConfig> loaded = plugins::LoadProvidersConfig(path);
    if (!loaded.ok()) {
      std::cerr << "gardefou policy record: " << loaded.status().message() << "\n";
      return 2;
    }
    providers = *std::move(loaded);
  }

  std::cout << "Record of processing (GDPR Art. 30): gardefou under policy " << policy.name()
            << " (sha256 " << policy.hash() << ")\n\n"
            << "Purpose: help teachers correct and evaluate pupils' copies; every grade and every "
               "piece of extra work is a teacher's decision.\n"
            << "AI help allowed: "
            << absl::StrJoin(policy.purposes(), ", ")
            << " (never AI-text detection, never an automatic grade).\n\n"
            << "Data processed:\n"
            << "  - class rosters: pupils' and teachers' names, aliases, national pupil ids; "
               "never sent to a provider (pseudonymised), never in the audit trail\n"
            << "  - copies: the pupils' texts (at most " << policy.max_copy_bytes()
            << " bytes each); sent to a provider only pseudonymised and after an independent "
               "leak check\n"
            << "  - AI suggestions, reviews, teachers' decisions (scores, comments, extra work), "
               "provisional scores, families' objections and overrides (justification kept, "
               "only its hash in the trail)\n"
            << "  - the audit trail: ids, hashes, scores, actors, policy hashes; no name, no "
               "free text\n\n"
            << "Safeguards: families informed before any AI call: "
            << YesNo(policy.families_must_be_informed())
            << "; blind-first review by default: " << YesNo(policy.BlindFirst(""))
            << "; second marking above " << policy.criterion_gap_points()
            << " points on a criterion or " << policy.total_gap_points()
            << " on the total (0: off); automation-bias notice " << policy.notice_version()
            << "; stopped now: "
            << (policy.Stopped().empty() ? "nothing" : absl::StrJoin(policy.Stopped(), ", "))
            << "\n\n"
            << "Recipients (AI providers; the default is "
            << (providers.default_provider.empty() ? policy.default_provider()
                                                   : providers.default_provider)
            << "):\n";
  const plugins::OfflineRubricProvider offline;
  PrintRecipient(policy, std::string(offline.name()), "in process, no network", offline.info());
  for (const plugins::ProviderSettings& p : providers.providers) {
    PrintRecipient(policy, p.name, p.base_url,
                   {p.model, p.guarantees, plugins::EncryptedOrLocal(p.base_url)});
  }
  std::cout << "\nRetention: gardefou deletes nothing by itself yet. Every record above, copy "
               "texts included, is kept until the operator deletes the database; the audit "
               "trail is append-only.\n";
  return 0;
}

}  // namespace gardefou::cli
