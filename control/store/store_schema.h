#pragma once
// The store's schema as an ordered list of migrations. The database records
// the version it is at (schema_version table); opening runs the missing
// steps, each in its own transaction. A database newer than this binary is
// refused rather than guessed at.

#include "control/store/sqlite_db.h"

namespace weir::ctl {

inline constexpr int kSchemaVersion = 4;

/// Current version of `db` (0 for a new file).
int schema_version(SqliteDb& db);

/// Brings `db` to `target` (<= kSchemaVersion). Throws StoreError if the
/// database is newer than kSchemaVersion or a step fails.
void migrate(SqliteDb& db, int target = kSchemaVersion);

}  // namespace weir::ctl
