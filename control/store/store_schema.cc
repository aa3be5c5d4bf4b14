// Migrations: append a step, never edit a released one.
#include "control/store/store_schema.h"

#include <string>

namespace weir::ctl {

namespace {
const char* const kSteps[kSchemaVersion] = {
    // 1: alerts (event_id UNIQUE gives exactly-once) and the audit log.
    R"sql(
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id INTEGER NOT NULL UNIQUE,
  ts_ns INTEGER NOT NULL,
  received_ns INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  worker INTEGER NOT NULL,
  severity INTEGER NOT NULL,
  rule_id INTEGER NOT NULL,
  class TEXT NOT NULL,
  zone TEXT NOT NULL,
  proto INTEGER NOT NULL,
  client TEXT NOT NULL,
  client_port INTEGER NOT NULL,
  server TEXT NOT NULL,
  server_port INTEGER NOT NULL,
  text BLOB NOT NULL
);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ns INTEGER NOT NULL,
  uid INTEGER NOT NULL,
  user TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL,
  diff TEXT NOT NULL
);
)sql",
    // 2: blocklist and small key/value state (mode, ...).
    R"sql(
CREATE TABLE blocks (
  cidr TEXT PRIMARY KEY,
  ttl_s INTEGER NOT NULL,
  created_ns INTEGER NOT NULL,
  expires_ns INTEGER,
  reason TEXT NOT NULL,
  by TEXT NOT NULL
);
CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql",
    // 3: retention deletes by age; listing filters by severity.
    R"sql(
CREATE INDEX alerts_received ON alerts(received_ns);
CREATE INDEX alerts_severity ON alerts(severity, id);
CREATE INDEX audit_at ON audit(at_ns);
)sql",
    // 4: where each alert exporter stopped (last alert id handed on), and
    // the remote admin API's bearer tokens (salted SHA-256, never the token).
    R"sql(
CREATE TABLE export_cursors (exporter TEXT PRIMARY KEY, last_id INTEGER NOT NULL);
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  key_id TEXT NOT NULL UNIQUE,
  scope TEXT NOT NULL,
  salt TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_ns INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revoked_ns INTEGER,
  last_used_ns INTEGER
);
)sql",
};
}  // namespace

int schema_version(SqliteDb& db) {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  SqliteStmt q(db, "SELECT MAX(version) FROM schema_version");
  return q.step() && !q.is_null(0) ? static_cast<int>(q.int64(0)) : 0;
}

void migrate(SqliteDb& db, int target) {
  const int current = schema_version(db);
  if (current > kSchemaVersion)
    throw StoreError("store schema version " + std::to_string(current) +
                     " is newer than this weir-control (" + std::to_string(kSchemaVersion) + ")");
  for (int v = current + 1; v <= target && v <= kSchemaVersion; ++v) {
    SqliteTransaction tx(db);
    db.exec(kSteps[v - 1]);
    SqliteStmt ins(db, "INSERT INTO schema_version(version) VALUES (?)");
    ins.bind(1, int64_t{v}).step();
    tx.commit();
  }
}

}  // namespace weir::ctl
