// Store: per-exporter cursors (see control_store.h). A cursor moves only
// after the alerts up to it were delivered or durably spooled, so a restart
// resumes where the exporter stopped (at-least-once).
#include "control/store/control_store.h"

namespace weir::ctl {

int64_t Store::export_cursor(const std::string& exporter) {
  std::lock_guard lock(mu_);
  SqliteStmt q(db_, "SELECT last_id FROM export_cursors WHERE exporter = ?");
  q.bind(1, exporter);
  return q.step() ? q.int64(0) : 0;
}

void Store::set_export_cursor(const std::string& exporter, int64_t last_id) {
  std::lock_guard lock(mu_);
  SqliteStmt s(db_, "INSERT OR REPLACE INTO export_cursors(exporter, last_id) VALUES (?, ?)");
  s.bind(1, exporter).bind(2, last_id).step();
}

}  // namespace weir::ctl
