// Checkpoint signing inside one write transaction: the tree cannot grow between reading its
// head and storing the signed note, whichever instance appends. Before signing, the new
// leaves are re-derived from their events and the old head (whoever signed it) from the stored
// tree. The background loop runs only while the store says this instance leads.
#include "service/workflow/checkpointer.h"

#include <chrono>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "service/audit/canonical.h"
#include "service/audit/checkpoint.h"
#include "service/audit/merkle.h"
#include "service/common/hashing.h"
#include "service/common/ids.h"
#include "service/common/status_macros.h"

namespace gardefou::workflow {
Checkpointer::Checkpointer(store::Store& store, audit::SigningKey key, CheckpointPolicy policy)
    : store_(store), key_(std::move(key)), policy_(policy) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::Start() {
  if (policy_.every_events <= 0 && policy_.every_seconds <= 0) return;  // on request only
  thread_ = std::thread([this] { Loop(); });
}

absl::StatusOr<model::CheckpointRecord> Checkpointer::SignNow() {
  model::CheckpointRecord out;
  RETURN_IF_ERROR(store_.Write([&](store::Session& session) -> absl::Status {
    ASSIGN_OR_RETURN(uint64_t size, session.TreeSize());
    ASSIGN_OR_RETURN(std::optional<model::CheckpointRecord> latest, session.LatestCheckpoint());
    if (latest && static_cast<uint64_t>(latest->tree_size) == size) {
      out = *latest;
      return absl::OkStatus();
    }
    if (size == 0) return absl::NotFoundError("the audit log is empty: nothing to sign yet");
    const audit::NodeReader nodes = session.TreeNodes();
    // The leaves this head adds must still be the events they were appended for.
    const int64_t from = latest ? latest->tree_size : 0;
    absl::Status leaves = absl::OkStatus();
    int64_t expected = from + 1;
    RETURN_IF_ERROR(session.ForEachAuditEvent(
        [&](const model::AuditEventRecord& event) {
          if (!leaves.ok() || event.seq > static_cast<int64_t>(size)) return;
          absl::StatusOr<std::string> canonical = audit::CanonicalBytes(event);
          absl::StatusOr<audit::Hash> leaf = nodes(0, static_cast<uint64_t>(event.seq - 1));
          if (event.seq != expected || !canonical.ok() || !leaf.ok() ||
              *leaf != audit::LeafHash(*canonical)) {
            leaves = absl::DataLossError(absl::StrCat(
                "audit event ", expected, " no longer matches the Merkle leaf appended for it: "
                "refusing to sign (run `gardefou audit verify --db`)"));
          }
          ++expected;
        },
        from));
    RETURN_IF_ERROR(leaves);
    if (expected != static_cast<int64_t>(size) + 1) {
      return absl::DataLossError(absl::StrCat("audit events ", expected, " to ", size,
                                              " are missing: refusing to sign"));
    }
    ASSIGN_OR_RETURN(audit::Hash root, audit::RootAt(nodes, size));
    if (latest) {
      const auto old_size = static_cast<uint64_t>(latest->tree_size);
      absl::StatusOr<audit::Hash> old_root = audit::RootAt(nodes, old_size);
      absl::StatusOr<std::vector<audit::Hash>> proof =
          audit::ConsistencyProof(nodes, old_size, size);
      audit::Hash signed_root{};
      if (!old_root.ok() || !proof.ok() || !common::DigestFromBytes(latest->root, signed_root) ||
          *old_root != signed_root ||
          !audit::VerifyConsistency(old_size, size, signed_root, root, *proof).ok()) {
        return absl::DataLossError(absl::StrCat(
            "the stored Merkle tree no longer matches the checkpoint signed at size ", old_size,
            ": refusing to sign (run `gardefou audit verify --db`)"));
      }
    }
    out = {static_cast<int64_t>(size), std::string(common::DigestBytes(root)), audit::SignCheckpoint(size, root, key_),
           common::NowMicros()};
    return session.InsertCheckpoint(out);
  }));
  return out;
}

void Checkpointer::Loop() {
  using Clock = std::chrono::steady_clock;
  auto last_signed = Clock::now();
  std::string last_error;
  std::optional<bool> was_leading;
  std::unique_lock<std::mutex> lock(mu_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping_; })) {
    lock.unlock();
    // On a shared database one instance signs in the background; the others stand by.
    const bool leading = store_.HoldsLeadership();
    if (was_leading.has_value() && leading != *was_leading) {  // a change, said once
      std::cerr << (leading ? "gardefou: this instance now signs checkpoints"
                            : "gardefou: this instance no longer signs checkpoints")
                << std::endl;
    }
    was_leading = leading;
    if (!leading) {
      lock.lock();
      continue;
    }
    int64_t size = 0, signed_size = 0;
    absl::Status read = store_.Read([&](store::Session& session) -> absl::Status {
      ASSIGN_OR_RETURN(uint64_t tree_size, session.TreeSize());
      ASSIGN_OR_RETURN(std::optional<model::CheckpointRecord> latest, session.LatestCheckpoint());
      size = static_cast<int64_t>(tree_size);
      signed_size = latest ? latest->tree_size : 0;
      return absl::OkStatus();
    });
    const bool by_count = policy_.every_events > 0 && size - signed_size >= policy_.every_events;
    const bool by_time = policy_.every_seconds > 0 && size > signed_size &&
                         Clock::now() - last_signed >= std::chrono::seconds(policy_.every_seconds);
    if (read.ok() && (by_count || by_time)) {
      absl::StatusOr<model::CheckpointRecord> signed_now = SignNow();
      if (signed_now.ok()) {
        last_signed = Clock::now();
        last_error.clear();
      } else if (signed_now.status().ToString() != last_error) {
        last_error = signed_now.status().ToString();  // said once, not every 200 ms
        std::cerr << "gardefou: checkpoint not signed: " << last_error << std::endl;
      }
    }
    lock.lock();
  }
}

}  // namespace gardefou::workflow
