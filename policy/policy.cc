// Parsing of the policy document and its checks.
#include "policy/policy.h"

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "policy/default_policy_text.h"
#include "service/common/config_file.h"
#include "service/common/files.h"
#include "service/common/hashing.h"
#include "service/common/roles.h"

namespace gardefou::policy {
namespace {

using Names = std::set<std::string, std::less<>>;

// Every method of the API a role may be given.
const Names& KnownMethods() {
  static const Names* methods = new Names{
      "UpsertRoster",  "CreateAssignment", "SubmitCopy",    "RequestSuggestion",
      "OpenReview",    "SignOff",          "GetDecision",   "ListDecisions",
      "ListEvents",    "VerifyTrail",      "GetCheckpoint", "GetInclusionProof",
      "GetConsistencyProof", "RecordProvisionalScores", "SecondMark", "RecordFamiliesInformed",
      "RecordObjection", "OverrideObjection", "WithdrawObjection", "ListObjections",
      "ListReleases"};
  return *methods;
}

const Names& KnownRoles() {
  static const Names* roles = new Names(common::kRoles.begin(), common::kRoles.end());
  return *roles;
}

// A teacher's acts: no other role may be given them (no grade without a teacher).
const Names& TeacherActs() {
  static const Names* acts =
      new Names{"OpenReview", "SignOff", "RecordProvisionalScores", "SecondMark"};
  return *acts;
}

// The purposes a policy may allow; AI_DETECTION is not among them, whatever the file says.
const Names& AllowablePurposes() {
  static const Names* purposes = new Names{"CORRECTION", "EVALUATION", "EXTRA_WORK"};
  return *purposes;
}

// A comma-separated list of names, each in `known`.
absl::StatusOr<Names> NameList(absl::string_view value, const Names& known,
                               absl::string_view what) {
  Names out;
  for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    if (!known.contains(item)) {
      if (what == "purpose" && item == "AI_DETECTION") {
        return absl::InvalidArgumentError(
            "cannot allow AI_DETECTION: gardefou never judges whether a pupil used AI");
      }
      return absl::InvalidArgumentError(absl::StrCat(
          "names an unknown ", what, " '", item, "' (known: ", absl::StrJoin(known, ", "), ")"));
    }
    out.insert(std::string(item));
  }
  return out;
}

// Any non-empty comma-separated list (provider names are checked against the registry at
// start, not here: the same policy serves deployments with different providers).
absl::StatusOr<Names> FreeList(absl::string_view value) {
  Names out;
  for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
    out.insert(std::string(absl::StripAsciiWhitespace(item)));
  }
  if (out.empty()) return absl::InvalidArgumentError("must name at least one provider");
  return out;
}

absl::StatusOr<bool> YesNo(absl::string_view value) {
  if (value == "yes") return true;
  if (value == "no") return false;
  return absl::InvalidArgumentError("must be yes or no");
}

template <typename Int>
absl::StatusOr<Int> Number(absl::string_view value, Int min, Int max) {
  Int out = 0;
  if (!absl::SimpleAtoi(value, &out) || out < min || out > max) {
    return absl::InvalidArgumentError(absl::StrCat("must be a whole number from ", min, " to ", max));
  }
  return out;
}

// Entries of one section, each given to `apply(key, value) -> Status`; errors with the line.
template <typename Apply>
absl::Status ForEach(const std::vector<common::ConfigEntry>& entries, absl::string_view source,
                     Apply apply) {
  for (const common::ConfigEntry& e : entries) {
    if (absl::Status st = apply(e.key, e.value); !st.ok()) {
      return common::ConfigError(source, e.line, e.key, st.message());
    }
  }
  return absl::OkStatus();
}

absl::Status Unknown() { return absl::InvalidArgumentError("is unknown"); }

}  // namespace

absl::StatusOr<Policy> Policy::Parse(absl::string_view text, absl::string_view source) {
  absl::StatusOr<common::ConfigFile> file = common::SplitConfigFile(text, source);
  if (!file.ok()) return file.status();
  Policy policy;
  policy.hash_ = common::Sha256Hex(text);
  std::optional<Names> purposes;
  bool has_version = false;
  absl::Status top = ForEach(file->top, source, [&](absl::string_view key,
                                                    absl::string_view value) -> absl::Status {
    if (key == "name") {
      if (value.empty()) return absl::InvalidArgumentError("must not be empty");
      policy.name_ = std::string(value);
    } else if (key == "version") {
      absl::StatusOr<int> version = Number<int>(value, 1, 1000000);
      if (!version.ok()) return version.status();
      has_version = true;
    } else if (key == "max_copy_bytes") {
      absl::StatusOr<size_t> bytes = Number<size_t>(value, 1, size_t{16} << 20);
      if (!bytes.ok()) return bytes.status();
      policy.max_copy_bytes_ = *bytes;
    } else if (key == "default_provider") {
      if (value.empty()) return absl::InvalidArgumentError("must name a provider");
      policy.default_provider_ = std::string(value);
    } else if (key == "purposes") {
      absl::StatusOr<Names> names = NameList(value, AllowablePurposes(), "purpose");
      if (!names.ok()) return names.status();
      purposes = *std::move(names);
    } else {
      return Unknown();
    }
    return absl::OkStatus();
  });
  if (!top.ok()) return top;
  for (absl::string_view key : {"name", "version", "max_copy_bytes", "default_provider",
                                "purposes"}) {
    const bool given = key == "name"               ? !policy.name_.empty()
                       : key == "version"          ? has_version
                       : key == "max_copy_bytes"   ? policy.max_copy_bytes_ > 0
                       : key == "default_provider" ? !policy.default_provider_.empty()
                                                   : purposes.has_value();
    if (!given) return common::ConfigError(source, 1, key, "is missing (a top-level key)");
  }
  policy.purposes_ = *std::move(purposes);

  for (const common::ConfigSection& section : file->sections) {
    const std::vector<std::string> words =
        absl::StrSplit(section.header, ' ', absl::SkipWhitespace());
    absl::Status st;
    if (words.size() == 2 && words[0] == "role") {
      const std::string& role = words[1];
      if (!KnownRoles().contains(role)) {
        return common::ConfigError(source, section.line, "",
                                   absl::StrCat("unknown role '", role, "' (known: ",
                                                absl::StrJoin(KnownRoles(), ", "), ")"));
      }
      if (policy.roles_.contains(role)) {
        return common::ConfigError(source, section.line, "", "[role " + role + "] given twice");
      }
      Names& methods = policy.roles_[role];
      st = ForEach(section.entries, source, [&](absl::string_view key, absl::string_view value) {
        if (key != "methods") return Unknown();
        absl::StatusOr<Names> names = NameList(value, KnownMethods(), "method");
        if (!names.ok()) return names.status();
        for (const std::string& method : *names) {
          if (TeacherActs().contains(method) && role != "teacher") {
            return absl::InvalidArgumentError(absl::StrCat(
                method, " is a teacher's act: it cannot be given to role '", role, "'"));
          }
          if (method == "OverrideObjection" && role != "head_of_school") {
            return absl::InvalidArgumentError(absl::StrCat(
                "only the head of school may overrule a family's objection, not role '", role,
                "'"));
          }
        }
        methods = *std::move(names);
        return absl::OkStatus();
      });
    } else if (words.size() == 1 && words[0] == "providers") {
      st = ForEach(section.entries, source, [&](absl::string_view key, absl::string_view value) {
        ProviderRequirements& r = policy.requirements_;
        absl::StatusOr<bool> flag = YesNo(value);
        if (key == "require_eu_residency" || key == "require_no_training" ||
            key == "require_encrypted_transport") {
          if (!flag.ok()) return flag.status();
          (key == "require_eu_residency"  ? r.eu_residency
           : key == "require_no_training" ? r.no_training
                                          : r.encrypted_transport) = *flag;
        } else if (key == "max_retention_days") {
          absl::StatusOr<int> days = Number<int>(value, 0, 3650);
          if (!days.ok()) return days.status();
          r.max_retention_days = *days;
        } else if (key == "allowed") {
          absl::StatusOr<Names> names = FreeList(value);
          if (!names.ok()) return names.status();
          policy.providers_ = *std::move(names);
        } else {
          return Unknown();
        }
        return absl::OkStatus();
      });
    } else if (words.size() == 1 && words[0] == "stop") {
      st = ForEach(section.entries, source, [&](absl::string_view key, absl::string_view value) {
        if (key == "all") {
          absl::StatusOr<bool> all = YesNo(value);
          if (!all.ok()) return all.status();
          policy.stop_all_ = *all;
          return absl::OkStatus();
        }
        if (key != "providers" && key != "tenants") return Unknown();
        absl::StatusOr<Names> names = FreeList(value);
        if (!names.ok()) return names.status();
        (key == "providers" ? policy.stopped_providers_ : policy.stopped_tenants_) =
            *std::move(names);
        return absl::OkStatus();
      });
    } else if (words.size() == 1 && words[0] == "review") {
      st = ForEach(section.entries, source, [&](absl::string_view key, absl::string_view value) {
        if (key == "blind_first") {
          absl::StatusOr<bool> flag = YesNo(value);
          if (!flag.ok()) return flag.status();
          policy.blind_first_ = *flag;
          return absl::OkStatus();
        }
        int* target = key == "min_seconds"                  ? &policy.min_review_seconds_
                      : key == "min_seconds_per_1000_chars" ? &policy.min_review_seconds_per_1000_chars_
                      : key == "fast_accept_seconds"        ? &policy.fast_accept_seconds_
                                                            : nullptr;
        if (target == nullptr) return Unknown();
        absl::StatusOr<int> seconds = Number<int>(value, 0, 3600);
        if (!seconds.ok()) return seconds.status();
        *target = *seconds;
        return absl::OkStatus();
      });
    } else if (words.size() == 1 && words[0] == "families") {
      st = ForEach(section.entries, source, [&](absl::string_view key, absl::string_view value) {
        if (key != "require_informed") return Unknown();
        absl::StatusOr<bool> flag = YesNo(value);
        if (!flag.ok()) return flag.status();
        policy.families_must_be_informed_ = *flag;
        return absl::OkStatus();
      });
    } else if (words.size() == 1 && words[0] == "second_marking") {
      st = ForEach(section.entries, source, [&](absl::string_view key, absl::string_view value) {
        double* target = key == "criterion_gap_points" ? &policy.criterion_gap_points_
                         : key == "total_gap_points"   ? &policy.total_gap_points_
                                                       : nullptr;
        if (target == nullptr) return Unknown();
        double points = 0;
        if (!absl::SimpleAtod(value, &points) || !(points >= 0 && points <= 1000)) {
          return absl::InvalidArgumentError("must be a number of points from 0 (off) to 1000");
        }
        *target = points;
        return absl::OkStatus();
      });
    } else if (words.size() == 1 && words[0] == "notice") {
      st = ForEach(section.entries, source, [&](absl::string_view key, absl::string_view value) {
        if (key != "version" && key != "text") return Unknown();
        const size_t limit = key == "version" ? 64 : 2000;
        if (value.empty() || value.size() > limit) {
          return absl::InvalidArgumentError(
              absl::StrCat("must be 1 to ", limit, " bytes long"));
        }
        (key == "version" ? policy.notice_version_ : policy.notice_text_) = std::string(value);
        return absl::OkStatus();
      });
    } else if (words.size() == 2 && words[0] == "tenant") {
      if (policy.tenants_.contains(words[1])) {
        return common::ConfigError(source, section.line, "",
                                   "[tenant " + words[1] + "] given twice");
      }
      TenantRules& rules = policy.tenants_[words[1]];
      st = ForEach(section.entries, source, [&](absl::string_view key, absl::string_view value) {
        if (key == "blind_first") {
          absl::StatusOr<bool> flag = YesNo(value);
          if (!flag.ok()) return flag.status();
          rules.blind_first = *flag;
          return absl::OkStatus();
        }
        if (key != "purposes" && key != "providers") return Unknown();
        absl::StatusOr<Names> names = key == "purposes"
                                          ? NameList(value, AllowablePurposes(), "purpose")
                                          : FreeList(value);
        if (!names.ok()) return names.status();
        (key == "purposes" ? rules.purposes : rules.providers) = *std::move(names);
        return absl::OkStatus();
      });
    } else {
      return common::ConfigError(
          source, section.line, "",
          absl::StrCat("unknown section [", section.header,
                       "] (known: [role NAME], [providers], [review], [stop], [families], "
                       "[second_marking], [notice], [tenant UAI])"));
    }
    if (!st.ok()) return st;
  }
  if (!policy.roles_.contains("teacher") || !policy.roles_["teacher"].contains("SignOff")) {
    return common::ConfigError(source, 1, "",
                               "no [role teacher] with SignOff: no decision could ever be signed");
  }
  return policy;
}

const Policy& Policy::Default() {
  static const Policy* policy = [] {
    absl::StatusOr<Policy> parsed = Parse(kDefaultPolicyText, "default_policy.conf");
    if (!parsed.ok()) std::abort();  // the shipped file is checked by a unit test
    return new Policy(*std::move(parsed));
  }();
  return *policy;
}

absl::Status Policy::CheckRole(absl::string_view role, absl::string_view method) const {
  auto it = roles_.find(role);
  if (it == roles_.end() || !it->second.contains(method)) {
    return absl::PermissionDeniedError(
        absl::StrCat("role '", role, "' may not call ", method, " under policy ", name_));
  }
  return absl::OkStatus();
}

std::optional<std::string> Policy::StopOf(absl::string_view tenant,
                                          absl::string_view provider) const {
  if (stop_all_) return "all AI calls";
  if (stopped_providers_.contains(provider)) return absl::StrCat("provider '", provider, "'");
  if (stopped_tenants_.contains(tenant)) return "this tenant's AI calls";
  return std::nullopt;
}

std::vector<std::string> Policy::Stopped() const {
  std::vector<std::string> out;
  if (stop_all_) out.push_back("all");
  for (const std::string& p : stopped_providers_) out.push_back("provider " + p);
  for (const std::string& t : stopped_tenants_) out.push_back("tenant " + t);
  return out;
}

int64_t Policy::MinReviewMicros(size_t chars) const {
  return int64_t{1000000} * min_review_seconds_ +
         int64_t{1000} * min_review_seconds_per_1000_chars_ * static_cast<int64_t>(chars);
}

bool Policy::BlindFirst(absl::string_view tenant) const {
  const TenantRules* rules = RulesOf(tenant);
  return rules != nullptr && rules->blind_first ? *rules->blind_first : blind_first_;
}

const Policy::TenantRules* Policy::RulesOf(absl::string_view tenant) const {
  auto it = tenants_.find(tenant);
  return it == tenants_.end() ? nullptr : &it->second;
}

absl::Status Policy::CheckPurpose(absl::string_view tenant, absl::string_view purpose) const {
  const TenantRules* rules = RulesOf(tenant);
  const Names& allowed = rules != nullptr && rules->purposes ? *rules->purposes : purposes_;
  if (!allowed.contains(purpose)) {
    return absl::PermissionDeniedError(absl::StrCat("purpose ", purpose,
                                                    " is not allowed for this tenant under "
                                                    "policy ",
                                                    name_));
  }
  return absl::OkStatus();
}

std::vector<std::string> Policy::UnmetRequirements(absl::string_view tenant,
                                                   absl::string_view provider,
                                                   const ProviderTerms& terms) const {
  std::vector<std::string> unmet;
  const TenantRules* rules = RulesOf(tenant);
  const std::optional<Names>& allowed =
      rules != nullptr && rules->providers ? rules->providers : providers_;
  if (allowed && !allowed->contains(provider)) unmet.push_back("allowed");
  if (requirements_.eu_residency && !terms.eu_residency) unmet.push_back("eu_residency");
  if (terms.retention_days > requirements_.max_retention_days) {
    unmet.push_back("max_retention_days");
  }
  if (requirements_.no_training && terms.used_for_training) unmet.push_back("no_training");
  if (requirements_.encrypted_transport && !terms.encrypted_or_local) {
    unmet.push_back("encrypted_transport");
  }
  return unmet;
}

absl::StatusOr<Policy> LoadPolicyFile(const std::string& path) {
  absl::StatusOr<std::string> text = common::ReadFileToString(path);
  if (!text.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": cannot read the policy file"));
  }
  return Policy::Parse(*text, path);
}

}  // namespace gardefou::policy
