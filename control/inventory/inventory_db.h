#pragma once
// SQLite persistence of the inventory, in the weir-control database file
// (own connection; WAL makes that safe next to the Store's). The inventory
// tables have their own append-only migration chain (inventory_schema
// table), so this module never edits the Store's migrations.

#include <cstdint>
#include <string>
#include <vector>

#include "control/store/sqlite_db.h"

namespace weir::ctl {

inline constexpr int kInventorySchemaVersion = 1;

struct ChangeRow {
  int64_t id = 0;
  int64_t at_ns = 0;
  int64_t endpoint_id = 0;
  std::string kind;    ///< new_endpoint, new_parameter, new_sensitive_data, auth_missing
  std::string detail;
  int severity = 0;
};

struct SpecRow {
  int64_t id = 0;
  std::string host;
  std::string title;
  std::string version;
  int64_t imported_ns = 0;
  std::string doc;  ///< resolved spec, JSON text
};

struct FlowRow {
  int64_t id = 0;
  std::string name;
  std::string steps;   ///< JSON array of endpoint keys
  std::string source;  ///< declared | promoted
  int64_t created_ns = 0;
};

class InventoryDb {
 public:
  /// ":memory:" for tests.
  explicit InventoryDb(const std::string& path);

  std::vector<std::string> load_endpoint_docs();
  void save_endpoints(const std::vector<std::pair<int64_t, std::string>>& id_docs,
                      const std::vector<int64_t>& deleted);
  int64_t add_change(const ChangeRow& c);
  std::vector<ChangeRow> list_changes(int64_t after_id, int limit);
  int64_t add_spec(const SpecRow& s);
  std::vector<SpecRow> list_specs();
  int64_t add_flow(const FlowRow& f);
  std::vector<FlowRow> list_flows();

 private:
  SqliteDb db_;
};

}  // namespace weir::ctl
