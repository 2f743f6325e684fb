// The PostgreSQL schema: versioned migrations (recorded in gardefou_schema), the triggers that
// keep the trail and the decisions append-only, and the privileges of the group role
// gardefou_service, which the login role of every gardefou instance is a member of.
#pragma once

#include "absl/status/status.h"
#include "service/store/postgresql/connection.h"

namespace gardefou::store {

// The group role the migrations grant to: SELECT and INSERT everywhere, UPDATE of the few
// columns that may change, DELETE on the roster's people only; never UPDATE or DELETE on the
// trail, the Merkle tree, the checkpoints or a decision's content.
inline constexpr char kPgServiceGroup[] = "gardefou_service";

int CurrentPgSchemaVersion();

// The schema version the database holds (0 when it has none yet).
absl::StatusOr<int> PgSchemaVersion(PgConnection& conn);

// Brings the schema to this binary's version, under an advisory lock so that instances starting
// together migrate once. FAILED_PRECONDITION when the database comes from a newer binary or
// when this role may not change the schema (the owner runs `gardefou store migrate` then).
absl::Status MigratePg(PgConnection& conn);

// What an instance checks before serving, as the role it logs in with: the schema is this
// binary's, and the role could not undo the trail's protection — not a superuser, not the
// tables' owner, no CREATE in their schema — and the trail's triggers are there and enabled.
// FAILED_PRECONDITION saying what to change otherwise.
absl::Status CheckServiceRole(PgConnection& conn);

}  // namespace gardefou::store
