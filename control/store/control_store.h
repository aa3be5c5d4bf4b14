#pragma once
// The weir-control store: SQLite in WAL mode holding alerts (exactly once
// per event id), the audit log, the blocklist and small state (mode).
// Thread-safe: one connection behind a mutex; alert inserts wake long-poll
// readers (wait_for_alerts).

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "control/store/sqlite_db.h"
#include "control/store/store_records.h"
#include "control/store/store_schema.h"

namespace weir::ctl {

class Store {
 public:
  /// Opens (creating) the database and migrates it to `schema` (tests pass
  /// an older version to exercise migrations).
  explicit Store(const std::string& path, int schema = kSchemaVersion);

  int schema_version();

  /// Inserts the alerts whose event_id is new, in one transaction; returns
  /// how many were new. Duplicates (replays) are ignored.
  size_t insert_alerts(const std::vector<AlertRecord>& alerts);
  std::vector<AlertRecord> list_alerts(const AlertQuery& q);
  std::optional<AlertRecord> get_alert(int64_t id);
  int64_t newest_alert_id();  ///< highest id ever inserted (0: none)
  int64_t count_alerts();
  /// (severity, count) for every severity present (metrics).
  std::vector<std::pair<int, int64_t>> count_alerts_by_severity();
  /// Blocks until an alert with id > after_id exists or `timeout` passes;
  /// true if one exists.
  bool wait_for_alerts(int64_t after_id, std::chrono::milliseconds timeout);
  /// Wakes every wait_for_alerts now and makes later ones return at once
  /// (shutdown: long-polls must not hold the daemon up to their wait_ms).
  void interrupt_waits();

  int64_t add_audit(const AuditRecord& r);
  /// after_id >= 0: oldest first from there; else newest first below before_id (if > 0).
  std::vector<AuditRecord> list_audit(int64_t after_id, int64_t before_id, int limit);
  int64_t count_audit();

  /// Inserts or replaces; returns true if the prefix was already blocked.
  bool put_block(const BlockRecord& b);
  std::optional<BlockRecord> remove_block(const std::string& cidr);
  std::vector<BlockRecord> list_blocks();
  /// Removes and returns the blocks with 0 < expires_ns <= now_ns.
  std::vector<BlockRecord> take_expired_blocks(int64_t now_ns);

  std::optional<std::string> get_state(const std::string& key);
  void set_state(const std::string& key, const std::string& value);

  // Alert exporters (export_cursor_rows.cc): the last alert id each has
  // handed on (delivered or spooled); 0 when it never ran.
  int64_t export_cursor(const std::string& exporter);
  void set_export_cursor(const std::string& exporter, int64_t last_id);

  // Remote admin tokens (token_rows.cc). add_token throws StoreError when
  // the name is taken (active or revoked).
  int64_t add_token(const TokenRecord& t);
  std::optional<TokenRecord> find_token(const std::string& key_id);
  std::vector<TokenRecord> list_tokens();
  /// Marks the named token revoked; nullopt if no active token has that name.
  std::optional<TokenRecord> revoke_token(const std::string& name, int64_t now_ns);
  void touch_token(int64_t id, int64_t now_ns);

  struct RetentionResult {
    int64_t alerts_deleted = 0;
    int64_t audit_deleted = 0;
  };
  RetentionResult apply_retention(const RetentionPolicy& p, int64_t now_ns);

 private:
  int64_t count(const char* table);
  int64_t max_alert_id();

  std::mutex mu_;
  std::condition_variable alerts_cv_;
  SqliteDb db_;
  int64_t last_alert_id_ = 0;
  bool interrupted_ = false;
};

}  // namespace weir::ctl
