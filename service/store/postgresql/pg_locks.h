// The advisory locks gardefou instances sharing one PostgreSQL database take: (space, key) pairs
// that no other application is expected to use. Any role that may connect can take an advisory
// lock: these guard nothing an outsider could abuse beyond delaying checkpoints or a migration.
#pragma once

namespace gardefou::store {

inline constexpr int kLockSpace = 0x67617264;  // "gard"
// (Writes are serialised by a row lock instead, on gardefou_write_lock: see pg_schema.cc.)
// Held for as long as an instance's leadership connection lives: that instance signs
// checkpoints in the background.
inline constexpr int kLeaderLock = 2;
// Held while migrating the schema.
inline constexpr int kMigrationLock = 3;

}  // namespace gardefou::store
