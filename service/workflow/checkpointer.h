// Signs checkpoints of the audit log: after every N events or T seconds (whichever comes
// first, checked by a background thread) and on request. It never signs a tree head that is
// inconsistent with the last one it signed: the stored tree must still reproduce that head
// and prove the new one extends it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/status/statusor.h"
#include "service/audit/signing_key.h"
#include "service/store/store.h"

namespace gardefou::workflow {

struct CheckpointPolicy {
  int64_t every_events = 100;  // 0: no count trigger
  int64_t every_seconds = 60;  // 0: no time trigger
};

class Checkpointer {
 public:
  Checkpointer(store::Store& store, audit::SigningKey key, CheckpointPolicy policy);
  ~Checkpointer();  // stops the background thread
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Starts the background thread applying the policy (none when both triggers are 0).
  void Start();

  // Signs a checkpoint of the whole tree unless the latest one already covers it, and
  // returns the latest. NOT_FOUND when the log is empty; DATA_LOSS when the stored tree no
  // longer matches the last signed head (nothing is signed then).
  absl::StatusOr<model::CheckpointRecord> SignNow();

  const audit::VerifierKey& verifier_key() const { return key_.verifier; }

 private:
  void Loop();

  store::Store& store_;
  const audit::SigningKey key_;
  const CheckpointPolicy policy_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gardefou::workflow
