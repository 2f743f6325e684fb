// `make bench`, audit log: durable events appended per second with the Merkle tree maintained
// and a checkpoint signed every 100 events; inclusion proof time from the stored tree of a
// 1,000,000-event log; and `gardefou audit verify DIR` over that log's export beside
// `sha256sum` of the same events file.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "service/audit/signing_key.h"
#include "service/audit/trail_writer.h"
#include "service/store/store.h"
#include "service/workflow/checkpointer.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

void Check(const absl::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "audit_bench: %s: %s\n", what, status.ToString().c_str());
    std::exit(1);
  }
}

// A sign-off event of realistic size (about 600 bytes of canonical JSON).
gardefou::model::AuditEventRecord SignOffEvent(int64_t i) {
  gardefou::model::AuditEventRecord e;
  e.time_us = 1795000000000000 + i;
  e.tenant = "0999001A";
  e.actor_id = absl::StrCat("t-", i % 40);
  e.actor_role = "teacher";
  e.action = "DECISION_SIGNED";
  e.objects = {{"copy_id", absl::StrCat("cp-", i)}, {"decision_id", absl::StrCat("dc-", i)},
               {"assignment_id", absl::StrCat("as-", i % 300)},
               {"student_id", absl::StrCat("s-", i % 3000)}};
  e.policy_hash = std::string(64, 'a');
  e.details_json = absl::StrCat(
      R"({"teacher_id":"t-)", i % 40, R"(","teacher_role":"teacher","review_opened_at_us":)",
      e.time_us - 90000000, R"(,"review_duration_ms":)", 90000 + i % 1000,
      R"(,"criteria":[{"criterion_id":"c1","ai_points":4,"final_points":4,"origin":"ACCEPTED_SUGGESTION"},)"
      R"({"criterion_id":"c2","ai_points":5,"final_points":4.5,"origin":"MODIFIED"},)"
      R"({"criterion_id":"c3","ai_points":null,"final_points":5,"origin":"TEACHER_ONLY"}],)"
      R"("total_points":13.5,"max_points":20,"extra_work":[],"attest_copy_read":true})");
  return e;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t big = argc > 1 ? std::atoll(argv[1]) : 1000000;
  const std::string gardefou = argc > 2 ? argv[2] : "build/service/gardefou";
  const fs::path dir = fs::temp_directory_path() / ("gardefou-audit-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);

  // 1. Durable appends, one transaction per event as in the server, a checkpoint per 100.
  {
    auto store = gardefou::store::OpenStore((dir / "append.db").string());
    Check(store.status(), "open");
    auto key = gardefou::audit::LoadOrCreateSigningKey((dir / "append.key").string(), "bench/log");
    Check(key.status(), "key");
    gardefou::workflow::Checkpointer checkpointer(**store, *key, {0, 0});
    constexpr int kEvents = 2000;
    const auto start = Clock::now();
    for (int i = 0; i < kEvents; ++i) {
      Check((*store)->Write([&](gardefou::store::Session& s) {
        return gardefou::audit::AppendEvent(s, SignOffEvent(i)).status();
      }), "append");
      if ((i + 1) % 100 == 0) Check(checkpointer.SignNow().status(), "checkpoint");
    }
    const double s = Seconds(start);
    std::printf("\naudit log benchmark\n\n");
    std::printf("%-60s %10.0f /s\n",
                "events appended (durable, tree kept, checkpoint per 100)", kEvents / s);
  }

  // 2. A large log built in batches of 10,000 events, a checkpoint after each batch.
  const fs::path db = dir / "big.db";
  {
    auto store = gardefou::store::OpenStore(db.string());
    Check(store.status(), "open");
    auto key = gardefou::audit::LoadOrCreateSigningKey(db.string() + ".signing-key", "bench/log");
    Check(key.status(), "key");
    gardefou::workflow::Checkpointer checkpointer(**store, *key, {0, 0});
    const auto start = Clock::now();
    for (int64_t done = 0; done < big;) {
      Check((*store)->Write([&](gardefou::store::Session& s) -> absl::Status {
        for (int k = 0; k < 10000 && done < big; ++k, ++done) {
          auto appended = gardefou::audit::AppendEvent(s, SignOffEvent(done));
          if (!appended.ok()) return appended.status();
        }
        return absl::OkStatus();
      }), "batch");
      Check(checkpointer.SignNow().status(), "checkpoint");
    }
    std::printf("%-60s %10.1f s\n", absl::StrCat("building a ", big, "-event log (batches of 10,000)").c_str(),
                Seconds(start));

    std::mt19937_64 random(42);
    constexpr int kProofs = 2000;
    size_t hashes = 0;
    const auto proofs_start = Clock::now();
    Check((*store)->Read([&](gardefou::store::Session& s) -> absl::Status {
      const auto nodes = s.TreeNodes();
      for (int i = 0; i < kProofs; ++i) {
        auto proof = gardefou::audit::InclusionProof(nodes, random() % big, big);
        if (!proof.ok()) return proof.status();
        hashes += proof->size();
      }
      return absl::OkStatus();
    }), "proofs");
    std::printf("%-60s %10.1f us (%zu hashes each)\n",
                absl::StrCat("inclusion proof at ", big, " events, from SQLite").c_str(),
                Seconds(proofs_start) * 1e6 / kProofs, hashes / kProofs);
  }

  // 3. Offline verification of the export against sha256sum over the same events file.
  const fs::path out = dir / "export";
  const std::string export_cmd = absl::StrCat(gardefou, " audit export --db '", db.string(),
                                              "' --out '", out.string(), "' > /dev/null");
  if (std::system(export_cmd.c_str()) != 0) {
    std::fprintf(stderr, "audit_bench: export failed\n");
    return 1;
  }
  const auto verify_start = Clock::now();
  const std::string verify_cmd =
      absl::StrCat(gardefou, " audit verify '", out.string(), "' > '", (dir / "verify.txt").string(), "'");
  const int verify_rc = std::system(verify_cmd.c_str());
  const double verify_s = Seconds(verify_start);
  const auto sha_start = Clock::now();
  const std::string sha_cmd = absl::StrCat("sha256sum '", (out / "events.jsonl").string(), "' > '",
                                           (dir / "sha.txt").string(), "'");
  const int sha_rc = std::system(sha_cmd.c_str());
  const double sha_s = Seconds(sha_start);
  const double mb = static_cast<double>(fs::file_size(out / "events.jsonl")) / 1e6;
  std::printf("%-60s %10.2f s%s\n",
              absl::StrCat("gardefou audit verify DIR, ", big, " events (", static_cast<int>(mb),
                           " MB), target <= 5 s").c_str(),
              verify_s, verify_rc == 0 ? "" : " (VERIFY FAILED)");
  std::printf("%-60s %10.2f s%s\n", "reference: sha256sum over the same events.jsonl", sha_s,
              sha_rc == 0 ? "" : " (failed)");
  std::printf("%-60s %10.1fx\n", "ratio verify / sha256sum", verify_s / sha_s);
  fs::remove_all(dir);
  return verify_rc == 0 ? 0 : 1;
}
