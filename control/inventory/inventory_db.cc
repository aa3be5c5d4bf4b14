// InventoryDb; see inventory_db.h. Migrations: append a step, never edit one.
#include "control/inventory/inventory_db.h"

namespace weir::ctl {

namespace {
const char* const kSteps[kInventorySchemaVersion] = {
    // 1: endpoints (one JSON document each), change history, imported specs, flows.
    R"sql(
CREATE TABLE inventory_endpoints (id INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE inventory_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ns INTEGER NOT NULL,
  endpoint_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL,
  severity INTEGER NOT NULL
);
CREATE TABLE inventory_specs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  host TEXT NOT NULL,
  title TEXT NOT NULL,
  version TEXT NOT NULL,
  imported_ns INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE TABLE business_flows (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  steps TEXT NOT NULL,
  source TEXT NOT NULL,
  created_ns INTEGER NOT NULL
);
)sql",
};
}  // namespace

InventoryDb::InventoryDb(const std::string& path) : db_(path) {
  db_.exec("PRAGMA journal_mode=WAL");
  db_.exec("CREATE TABLE IF NOT EXISTS inventory_schema (version INTEGER NOT NULL)");
  int current = 0;
  {
    SqliteStmt q(db_, "SELECT MAX(version) FROM inventory_schema");
    if (q.step() && !q.is_null(0)) current = static_cast<int>(q.int64(0));
  }
  if (current > kInventorySchemaVersion)
    throw StoreError("inventory schema version " + std::to_string(current) + " is newer than this weir-control");
  for (int v = current + 1; v <= kInventorySchemaVersion; ++v) {
    SqliteTransaction tx(db_);
    db_.exec(kSteps[v - 1]);
    SqliteStmt ins(db_, "INSERT INTO inventory_schema(version) VALUES (?)");
    ins.bind(1, int64_t{v}).step();
    tx.commit();
  }
}

std::vector<std::string> InventoryDb::load_endpoint_docs() {
  std::vector<std::string> out;
  SqliteStmt q(db_, "SELECT doc FROM inventory_endpoints ORDER BY id");
  while (q.step()) out.push_back(q.text(0));
  return out;
}

void InventoryDb::save_endpoints(const std::vector<std::pair<int64_t, std::string>>& id_docs,
                                 const std::vector<int64_t>& deleted) {
  SqliteTransaction tx(db_);
  SqliteStmt up(db_, "INSERT OR REPLACE INTO inventory_endpoints(id, doc) VALUES (?, ?)");
  for (const auto& [id, doc] : id_docs) {
    up.reset();
    up.bind(1, id).bind(2, doc).step();
  }
  SqliteStmt del(db_, "DELETE FROM inventory_endpoints WHERE id = ?");
  for (int64_t id : deleted) {
    del.reset();
    del.bind(1, id).step();
  }
  tx.commit();
}

int64_t InventoryDb::add_change(const ChangeRow& c) {
  SqliteStmt ins(db_, "INSERT INTO inventory_changes(at_ns, endpoint_id, kind, detail, severity) VALUES (?,?,?,?,?)");
  ins.bind(1, c.at_ns).bind(2, c.endpoint_id).bind(3, c.kind).bind(4, c.detail).bind(5, int64_t{c.severity}).step();
  return db_.last_insert_rowid();
}

std::vector<ChangeRow> InventoryDb::list_changes(int64_t after_id, int limit) {
  std::vector<ChangeRow> out;
  SqliteStmt q(db_, "SELECT id, at_ns, endpoint_id, kind, detail, severity FROM inventory_changes "
                    "WHERE id > ? ORDER BY id LIMIT ?");
  q.bind(1, after_id).bind(2, int64_t{limit});
  while (q.step())
    out.push_back({q.int64(0), q.int64(1), q.int64(2), q.text(3), q.text(4), static_cast<int>(q.int64(5))});
  return out;
}

int64_t InventoryDb::add_spec(const SpecRow& s) {
  SqliteStmt ins(db_, "INSERT INTO inventory_specs(host, title, version, imported_ns, doc) VALUES (?,?,?,?,?)");
  ins.bind(1, s.host).bind(2, s.title).bind(3, s.version).bind(4, s.imported_ns).bind(5, s.doc).step();
  return db_.last_insert_rowid();
}

std::vector<SpecRow> InventoryDb::list_specs() {
  std::vector<SpecRow> out;
  SqliteStmt q(db_, "SELECT id, host, title, version, imported_ns, doc FROM inventory_specs ORDER BY id");
  while (q.step()) out.push_back({q.int64(0), q.text(1), q.text(2), q.text(3), q.int64(4), q.text(5)});
  return out;
}

int64_t InventoryDb::add_flow(const FlowRow& f) {
  SqliteStmt ins(db_, "INSERT OR REPLACE INTO business_flows(name, steps, source, created_ns) VALUES (?,?,?,?)");
  ins.bind(1, f.name).bind(2, f.steps).bind(3, f.source).bind(4, f.created_ns).step();
  return db_.last_insert_rowid();
}

std::vector<FlowRow> InventoryDb::list_flows() {
  std::vector<FlowRow> out;
  SqliteStmt q(db_, "SELECT id, name, steps, source, created_ns FROM business_flows ORDER BY id");
  while (q.step()) out.push_back({q.int64(0), q.text(1), q.text(2), q.text(3), q.int64(4)});
  return out;
}

}  // namespace weir::ctl
