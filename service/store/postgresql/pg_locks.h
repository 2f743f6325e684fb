// The advisory locks gardefou instances sharing one PostgreSQL database take: (space, key) pairs
// that no other application is expected to use.
#pragma once

namespace gardefou::store {

inline constexpr int kLockSpace = 0x67617264;  // "gard"
// Held by every write transaction: writes are serialised across instances, so the trail is
// one linear chain and an idempotent retry on another instance sees the first answer.
inline constexpr int kWriteLock = 1;
// Held for as long as an instance's leadership connection lives: that instance signs
// checkpoints in the background.
inline constexpr int kLeaderLock = 2;
// Held while migrating the schema.
inline constexpr int kMigrationLock = 3;

}  // namespace gardefou::store
