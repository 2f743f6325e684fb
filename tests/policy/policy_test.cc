// Unit tests of the policy engine: the shipped default policy, per-tenant narrowing, provider
// requirements, and every kind of mistake in a policy file reported with its line and field.
#include "policy/policy.h"

#include <gtest/gtest.h>


#include "service/common/hashing.h"
#include "tests/support/file_modes.h"

namespace gardefou::policy {
namespace {

std::string Shipped() {
  return testing::ReadAll(GARDEFOU_SOURCE_DIR "/policy/default_policy.conf");
}

TEST(Policy, DefaultIsTheShippedFileByteForByte) {
  EXPECT_EQ(Policy::Default().hash(), common::Sha256Hex(Shipped()));
  EXPECT_EQ(Policy::Default().max_copy_bytes(), 1024u * 1024u);
  EXPECT_EQ(Policy::Default().default_provider(), "offline-rubric");
  EXPECT_EQ(Policy::Default().name(), "gardefou-default");
}

TEST(Policy, DefaultRefusesAiDetectionAndAllowsTheThreePurposes) {
  const Policy& p = Policy::Default();
  EXPECT_EQ(p.CheckPurpose("T", "AI_DETECTION").code(), absl::StatusCode::kPermissionDenied);
  for (const char* purpose : {"CORRECTION", "EVALUATION", "EXTRA_WORK"}) {
    EXPECT_TRUE(p.CheckPurpose("T", purpose).ok()) << purpose;
  }
}

TEST(Policy, OnlyTeachersSignOff) {
  const Policy& p = Policy::Default();
  EXPECT_TRUE(p.CheckRole("teacher", "SignOff").ok());
  for (const char* role : {"lms", "inspector", "dpo", "admin", "nobody"}) {
    EXPECT_EQ(p.CheckRole(role, "SignOff").code(), absl::StatusCode::kPermissionDenied) << role;
  }
}

TEST(Policy, TheDefaultRequiresEuNoTrainingShortRetentionAndEncryption) {
  const Policy& p = Policy::Default();
  const ProviderTerms good{true, 0, false, true};
  EXPECT_TRUE(p.UnmetRequirements("T", "any", good).empty());
  EXPECT_EQ(p.UnmetRequirements("T", "x", {false, 0, false, true}),
            std::vector<std::string>{"eu_residency"});
  EXPECT_EQ(p.UnmetRequirements("T", "x", {true, 3650, false, true}),
            std::vector<std::string>{"max_retention_days"});
  EXPECT_EQ(p.UnmetRequirements("T", "x", {true, 30, false, true}), std::vector<std::string>{});
  EXPECT_EQ(p.UnmetRequirements("T", "x", {true, 0, true, true}),
            std::vector<std::string>{"no_training"});
  EXPECT_EQ(p.UnmetRequirements("T", "x", {true, 0, false, false}),
            std::vector<std::string>{"encrypted_transport"});
  EXPECT_EQ(p.UnmetRequirements("T", "x", {false, 3650, true, false}).size(), 4u);
}

constexpr char kBase[] =
    "name = test\n"
    "version = 1\n"
    "max_copy_bytes = 1000\n"
    "default_provider = offline-rubric\n"
    "purposes = CORRECTION, EVALUATION\n"
    "[role teacher]\n"
    "methods = SignOff, OpenReview, RequestSuggestion\n";

TEST(Policy, TenantsNarrowPurposesAndProviders) {
  const std::string text = std::string(kBase) +
                           "[providers]\n"
                           "require_eu_residency = no\n"
                           "allowed = offline-rubric, albert\n"
                           "[tenant 0999001A]\n"
                           "purposes = EVALUATION\n"
                           "providers = offline-rubric\n";
  absl::StatusOr<Policy> p = Policy::Parse(text, "p.conf");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->CheckPurpose("0999002B", "CORRECTION").ok());
  EXPECT_FALSE(p->CheckPurpose("0999001A", "CORRECTION").ok());
  EXPECT_TRUE(p->CheckPurpose("0999001A", "EVALUATION").ok());
  const ProviderTerms us_hosted{false, 0, false, true};
  EXPECT_TRUE(p->UnmetRequirements("0999002B", "albert", us_hosted).empty());
  EXPECT_EQ(p->UnmetRequirements("0999001A", "albert", us_hosted),
            std::vector<std::string>{"allowed"});
  EXPECT_EQ(p->UnmetRequirements("0999002B", "mistral", us_hosted),
            std::vector<std::string>{"allowed"});
}

struct Mistake {
  std::string text;
  std::string says;  // the message must contain this (with the line)
};

TEST(Policy, EveryKindOfMistakeNamesItsLineAndField) {
  const std::string base = kBase;
  const std::vector<Mistake> mistakes = {
      {"name = x\nnot a line\n", "p.conf:2:"},
      {base + "colour = blue\n", "p.conf:8: field 'colour' is unknown"},
      {base + "[role teacher]\nmethods = SignOff\n", "p.conf:8: [role teacher] given twice"},
      {base + "[role janitor]\nmethods = GetDecision\n", "p.conf:8: unknown role 'janitor'"},
      {base + "[role lms]\nmethods = SubmitCopy, AutoGrade\n",
       "p.conf:9: field 'methods' names an unknown method 'AutoGrade'"},
      {base + "[role lms]\nmethods = SignOff\n",
       "p.conf:9: field 'methods' SignOff is a teacher's act: it cannot be given to role 'lms'"},
      {base + "[role admin]\nmethods = OpenReview\n",
       "OpenReview is a teacher's act: it cannot be given to role 'admin'"},
      {base + "[role lms]\ngrade = auto\n", "p.conf:9: field 'grade' is unknown"},
      {base + "[providers]\nrequire_eu_residency = maybe\n",
       "p.conf:9: field 'require_eu_residency' must be yes or no"},
      {base + "[providers]\nmax_retention_days = -1\n",
       "p.conf:9: field 'max_retention_days' must be a whole number from 0 to 3650"},
      {base + "[providers]\nallowed = ,\n", "p.conf:9: field 'allowed' must name at least one"},
      {base + "[providers]\nauto_assign_extra_work = yes\n",
       "p.conf:9: field 'auto_assign_extra_work' is unknown"},
      {base + "[tenant 0999001A]\npurposes = AI_DETECTION\n",
       "p.conf:9: field 'purposes' cannot allow AI_DETECTION"},
      {base + "[tenant 0999001A]\nauto_grade = yes\n", "p.conf:9: field 'auto_grade' is unknown"},
      {base + "[tenant 0999001A]\n[tenant 0999001A]\n", "p.conf:9: [tenant 0999001A] given twice"},
      {base + "[detector ai]\n", "p.conf:8: unknown section [detector ai]"},
      {base + "[review]\nmin_seconds = 4000\n",
       "p.conf:9: field 'min_seconds' must be a whole number from 0 to 3600"},
      {base + "[review]\nskip_if_busy = yes\n", "p.conf:9: field 'skip_if_busy' is unknown"},
      {base + "[review]\nblind_first = sometimes\n",
       "p.conf:9: field 'blind_first' must be yes or no"},
      {base + "[tenant 0999001A]\nblind_first = 1\n",
       "p.conf:9: field 'blind_first' must be yes or no"},
      {base + "[families]\nrequire_informed = perhaps\n",
       "p.conf:9: field 'require_informed' must be yes or no"},
      {base + "[families]\nassume_consent = yes\n", "p.conf:9: field 'assume_consent' is unknown"},
      {base + "[second_marking]\ncriterion_gap_points = -2\n",
       "p.conf:9: field 'criterion_gap_points' must be a number of points from 0 (off) to 1000"},
      {base + "[second_marking]\ntotal_gap_points = lots\n",
       "p.conf:9: field 'total_gap_points' must be a number of points"},
      {base + "[second_marking]\nauto_cosign = yes\n", "p.conf:9: field 'auto_cosign' is unknown"},
      {base + "[notice]\nversion =\n", "p.conf:9: field 'version' must be 1 to 64 bytes long"},
      {base + "[notice]\ntext = " + std::string(2001, 'x') + "\n",
       "p.conf:9: field 'text' must be 1 to 2000 bytes long"},
      {base + "[role dpo]\nmethods = OverrideObjection\n",
       "only the head of school may overrule a family's objection, not role 'dpo'"},
      {base + "[role lms]\nmethods = SecondMark\n",
       "SecondMark is a teacher's act: it cannot be given to role 'lms'"},
      {base + "[role head_of_school]\nmethods = RecordProvisionalScores\n",
       "RecordProvisionalScores is a teacher's act"},
      {"version = 1\nmax_copy_bytes = 1\ndefault_provider = p\npurposes = EVALUATION\n",
       "field 'name' is missing"},
      {std::string(kBase).replace(base.find("version = 1"), 11, "version = x"),
       "p.conf:2: field 'version' must be a whole number"},
      {std::string(kBase).replace(base.find("max_copy_bytes = 1000"), 21, "max_copy_bytes = 0"),
       "p.conf:3: field 'max_copy_bytes' must be a whole number from 1"},
      {std::string(kBase).replace(base.find("purposes = CORRECTION, EVALUATION"), 33,
                                  "purposes = EVALUATION, AI_DETECTION"),
       "p.conf:5: field 'purposes' cannot allow AI_DETECTION"},
      {std::string(kBase).replace(base.find("methods = SignOff, "), 19, "methods = "),
       "no [role teacher] with SignOff"},
  };
  for (const Mistake& m : mistakes) {
    absl::StatusOr<Policy> p = Policy::Parse(m.text, "p.conf");
    ASSERT_FALSE(p.ok()) << m.text;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(p.status().message().find(m.says), absl::string_view::npos)
        << "wanted: " << m.says << "\ngot: " << p.status().message();
  }
}

TEST(Policy, SafeguardsDefaultOnFamiliesAndOffForTheRestAndTenantsChooseBlindFirst) {
  absl::StatusOr<Policy> bare = Policy::Parse(kBase, "p.conf");
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_TRUE(bare->families_must_be_informed()) << "GDPR Art. 21: on unless switched off";
  EXPECT_FALSE(bare->BlindFirst("0999001A"));
  EXPECT_EQ(bare->criterion_gap_points(), 0);
  EXPECT_EQ(bare->total_gap_points(), 0);
  EXPECT_FALSE(bare->notice_version().empty());
  EXPECT_FALSE(bare->notice_text().empty());
  const Policy& shipped = Policy::Default();
  EXPECT_TRUE(shipped.families_must_be_informed());
  EXPECT_EQ(shipped.notice_version(), "gardefou-1");
  EXPECT_TRUE(shipped.CheckRole("head_of_school", "OverrideObjection").ok());
  EXPECT_FALSE(shipped.CheckRole("dpo", "OverrideObjection").ok());
  EXPECT_FALSE(shipped.CheckRole("lms", "RecordObjection").ok());

  absl::StatusOr<Policy> p = Policy::Parse(
      std::string(kBase) +
          "[review]\nblind_first = yes\n[tenant 0999002B]\nblind_first = no\n"
          "[families]\nrequire_informed = no\n"
          "[second_marking]\ncriterion_gap_points = 1.5\ntotal_gap_points = 4\n"
          "[notice]\nversion = 2026-11\ntext = L'IA peut se tromper : vérifiez.\n",
      "p.conf");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->BlindFirst("0999001A"));
  EXPECT_FALSE(p->BlindFirst("0999002B"));
  EXPECT_FALSE(p->families_must_be_informed());
  EXPECT_EQ(p->criterion_gap_points(), 1.5);
  EXPECT_EQ(p->total_gap_points(), 4);
  EXPECT_EQ(p->notice_version(), "2026-11");
  EXPECT_EQ(p->notice_text(), "L'IA peut se tromper : vérifiez.");
}

TEST(Policy, TheMinimumReviewGrowsWithTheCopy) {
  EXPECT_EQ(Policy::Default().MinReviewMicros(5000), 0) << "off by default";
  absl::StatusOr<Policy> p = Policy::Parse(
      std::string(kBase) + "[review]\nmin_seconds = 10\nmin_seconds_per_1000_chars = 60\n",
      "p.conf");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->MinReviewMicros(0), 10'000'000);
  EXPECT_EQ(p->MinReviewMicros(2500), 160'000'000);
  EXPECT_TRUE(p->review_minimum_scales());
}

TEST(Policy, AMissingFileIsNamed) {
  absl::StatusOr<Policy> p = LoadPolicyFile("/nonexistent/policy.conf");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("/nonexistent/policy.conf"), absl::string_view::npos);
}

}  // namespace
}  // namespace gardefou::policy
