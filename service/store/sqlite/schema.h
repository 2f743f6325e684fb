// The versioned schema: migrations applied in order, tracked by PRAGMA user_version.
#pragma once

#include "absl/status/status.h"
#include "service/store/sqlite/database.h"

namespace gardefou::store {

// The schema version this binary writes.
int CurrentSchemaVersion();

// Brings `db` up to CurrentSchemaVersion(), one transaction per migration. Fails with
// FAILED_PRECONDITION when the file was written by a newer binary.
absl::Status Migrate(Database& db);

}  // namespace gardefou::store
