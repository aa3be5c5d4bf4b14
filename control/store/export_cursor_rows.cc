// Store: per-exporter cursors and the alert counts metrics read (see
// control_store.h). A cursor moves only
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

std::vector<std::pair<int, int64_t>> Store::count_alerts_by_severity() {
  std::lock_guard lock(mu_);
  SqliteStmt q(db_, "SELECT severity, COUNT(*) FROM alerts GROUP BY severity ORDER BY severity");
  std::vector<std::pair<int, int64_t>> out;
  while (q.step()) out.emplace_back(static_cast<int>(q.int64(0)), q.int64(1));
  return out;
}

}  // namespace weir::ctl
