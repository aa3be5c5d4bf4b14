// Store (see control_store.h).
#include "control/store/control_store.h"

namespace weir::ctl {

namespace {
constexpr const char* kAlertColumns =
    "id, event_id, ts_ns, received_ns, kind, worker, severity, rule_id, class, zone, proto, "
    "client, client_port, server, server_port, text";

AlertRecord read_alert(const SqliteStmt& s) {
  AlertRecord a;
  a.id = s.int64(0);
  a.event_id = static_cast<uint64_t>(s.int64(1));
  a.ts_ns = s.int64(2);
  a.received_ns = s.int64(3);
  a.kind = static_cast<int>(s.int64(4));
  a.worker = static_cast<int>(s.int64(5));
  a.severity = static_cast<int>(s.int64(6));
  a.rule_id = static_cast<uint32_t>(s.int64(7));
  a.class_name = s.text(8);
  a.zone = s.text(9);
  a.proto = static_cast<int>(s.int64(10));
  a.client = s.text(11);
  a.client_port = static_cast<int>(s.int64(12));
  a.server = s.text(13);
  a.server_port = static_cast<int>(s.int64(14));
  a.text = s.text(15);
  return a;
}

AuditRecord read_audit(const SqliteStmt& s) {
  AuditRecord r;
  r.id = s.int64(0);
  r.at_ns = s.int64(1);
  r.uid = s.int64(2);
  r.user = s.text(3);
  r.action = s.text(4);
  r.target = s.text(5);
  r.detail = s.text(6);
  r.diff = s.text(7);
  return r;
}

BlockRecord read_block(const SqliteStmt& s) {
  BlockRecord b;
  b.cidr = s.text(0);
  b.ttl_s = static_cast<uint32_t>(s.int64(1));
  b.created_ns = s.int64(2);
  b.expires_ns = s.is_null(3) ? 0 : s.int64(3);
  b.reason = s.text(4);
  b.by = s.text(5);
  return b;
}
}  // namespace

Store::Store(const std::string& path, int schema) : db_(path) {
  // WAL: readers (admin API) never wait for the writer (event ingest).
  db_.exec("PRAGMA journal_mode=WAL");
  db_.exec("PRAGMA synchronous=NORMAL");
  migrate(db_, schema);
  if (schema >= 1) last_alert_id_ = max_alert_id();
}

int Store::schema_version() {
  std::lock_guard lock(mu_);
  return weir::ctl::schema_version(db_);
}

int64_t Store::count(const char* table) {
  SqliteStmt q(db_, std::string("SELECT COUNT(*) FROM ") + table);
  q.step();
  return q.int64(0);
}

size_t Store::insert_alerts(const std::vector<AlertRecord>& alerts) {
  size_t added = 0;
  {
    std::lock_guard lock(mu_);
    SqliteTransaction tx(db_);
    SqliteStmt ins(db_,
                   "INSERT OR IGNORE INTO alerts(event_id, ts_ns, received_ns, kind, worker, severity, "
                   "rule_id, class, zone, proto, client, client_port, server, server_port, text) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    for (const AlertRecord& a : alerts) {
      ins.reset();
      ins.bind(1, static_cast<int64_t>(a.event_id)).bind(2, a.ts_ns).bind(3, a.received_ns);
      ins.bind(4, int64_t{a.kind}).bind(5, int64_t{a.worker}).bind(6, int64_t{a.severity});
      ins.bind(7, int64_t{a.rule_id}).bind(8, a.class_name).bind(9, a.zone);
      ins.bind(10, int64_t{a.proto}).bind(11, a.client).bind(12, int64_t{a.client_port});
      ins.bind(13, a.server).bind(14, int64_t{a.server_port}).bind_blob(15, a.text);
      ins.step();
      if (db_.changes() > 0) {
        ++added;
        last_alert_id_ = db_.last_insert_rowid();
      }
    }
    tx.commit();
  }
  if (added > 0) alerts_cv_.notify_all();
  return added;
}

std::vector<AlertRecord> Store::list_alerts(const AlertQuery& q) {
  std::lock_guard lock(mu_);
  std::string sql = std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE severity >= ?";
  int64_t bound = 0;
  if (q.after_id >= 0) {
    sql += " AND id > ? ORDER BY id ASC LIMIT ?";
    bound = q.after_id;
  } else if (q.before_id > 0) {
    sql += " AND id < ? ORDER BY id DESC LIMIT ?";
    bound = q.before_id;
  } else {
    sql += " AND ? = 0 ORDER BY id DESC LIMIT ?";
  }
  SqliteStmt s(db_, sql);
  s.bind(1, int64_t{q.min_severity}).bind(2, bound).bind(3, int64_t{q.limit});
  std::vector<AlertRecord> out;
  while (s.step()) out.push_back(read_alert(s));
  return out;
}

std::optional<AlertRecord> Store::get_alert(int64_t id) {
  std::lock_guard lock(mu_);
  SqliteStmt s(db_, std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_alert(s);
}

int64_t Store::newest_alert_id() {
  std::lock_guard lock(mu_);
  return last_alert_id_;
}

int64_t Store::max_alert_id() {
  // AUTOINCREMENT keeps the high-water mark in sqlite_sequence even when
  // retention deleted the newest rows.
  SqliteStmt q(db_, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'alerts'), 0)");
  q.step();
  return q.int64(0);
}

int64_t Store::count_alerts() {
  std::lock_guard lock(mu_);
  return count("alerts");
}

bool Store::wait_for_alerts(int64_t after_id, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  alerts_cv_.wait_for(lock, timeout, [&] { return interrupted_ || last_alert_id_ > after_id; });
  return last_alert_id_ > after_id;
}

void Store::interrupt_waits() {
  {
    std::lock_guard lock(mu_);
    interrupted_ = true;
  }
  alerts_cv_.notify_all();
}

int64_t Store::add_audit(const AuditRecord& r) {
  std::lock_guard lock(mu_);
  SqliteStmt s(db_,
               "INSERT INTO audit(at_ns, uid, user, action, target, detail, diff) VALUES (?,?,?,?,?,?,?)");
  s.bind(1, r.at_ns).bind(2, r.uid).bind(3, r.user).bind(4, r.action).bind(5, r.target);
  s.bind(6, r.detail).bind(7, r.diff);
  s.step();
  return db_.last_insert_rowid();
}

std::vector<AuditRecord> Store::list_audit(int64_t after_id, int64_t before_id, int limit) {
  std::lock_guard lock(mu_);
  const char* cols = "SELECT id, at_ns, uid, user, action, target, detail, diff FROM audit";
  std::string sql = cols;
  int64_t bound = 0;
  if (after_id >= 0) {
    sql += " WHERE id > ? ORDER BY id ASC LIMIT ?";
    bound = after_id;
  } else if (before_id > 0) {
    sql += " WHERE id < ? ORDER BY id DESC LIMIT ?";
    bound = before_id;
  } else {
    sql += " WHERE ? = 0 ORDER BY id DESC LIMIT ?";
  }
  SqliteStmt s(db_, sql);
  s.bind(1, bound).bind(2, int64_t{limit});
  std::vector<AuditRecord> out;
  while (s.step()) out.push_back(read_audit(s));
  return out;
}

int64_t Store::count_audit() {
  std::lock_guard lock(mu_);
  return count("audit");
}

bool Store::put_block(const BlockRecord& b) {
  std::lock_guard lock(mu_);
  SqliteTransaction tx(db_);
  SqliteStmt q(db_, "SELECT 1 FROM blocks WHERE cidr = ?");
  q.bind(1, b.cidr);
  const bool existed = q.step();
  SqliteStmt s(db_,
               "INSERT OR REPLACE INTO blocks(cidr, ttl_s, created_ns, expires_ns, reason, by) "
               "VALUES (?,?,?,?,?,?)");
  s.bind(1, b.cidr).bind(2, int64_t{b.ttl_s}).bind(3, b.created_ns);
  if (b.expires_ns > 0) {
    s.bind(4, b.expires_ns);
  } else {
    s.bind_null(4);
  }
  s.bind(5, b.reason).bind(6, b.by);
  s.step();
  tx.commit();
  return existed;
}

std::optional<BlockRecord> Store::remove_block(const std::string& cidr) {
  std::lock_guard lock(mu_);
  SqliteTransaction tx(db_);
  SqliteStmt q(db_, "SELECT cidr, ttl_s, created_ns, expires_ns, reason, by FROM blocks WHERE cidr = ?");
  q.bind(1, cidr);
  if (!q.step()) return std::nullopt;
  BlockRecord b = read_block(q);
  SqliteStmt d(db_, "DELETE FROM blocks WHERE cidr = ?");
  d.bind(1, cidr).step();
  tx.commit();
  return b;
}

std::vector<BlockRecord> Store::list_blocks() {
  std::lock_guard lock(mu_);
  SqliteStmt q(db_, "SELECT cidr, ttl_s, created_ns, expires_ns, reason, by FROM blocks ORDER BY created_ns, cidr");
  std::vector<BlockRecord> out;
  while (q.step()) out.push_back(read_block(q));
  return out;
}

std::vector<BlockRecord> Store::take_expired_blocks(int64_t now_ns) {
  std::lock_guard lock(mu_);
  SqliteTransaction tx(db_);
  SqliteStmt q(db_,
               "SELECT cidr, ttl_s, created_ns, expires_ns, reason, by FROM blocks "
               "WHERE expires_ns IS NOT NULL AND expires_ns <= ?");
  q.bind(1, now_ns);
  std::vector<BlockRecord> out;
  while (q.step()) out.push_back(read_block(q));
  SqliteStmt d(db_, "DELETE FROM blocks WHERE expires_ns IS NOT NULL AND expires_ns <= ?");
  d.bind(1, now_ns).step();
  tx.commit();
  return out;
}

std::optional<std::string> Store::get_state(const std::string& key) {
  std::lock_guard lock(mu_);
  SqliteStmt q(db_, "SELECT value FROM kv WHERE key = ?");
  q.bind(1, key);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

void Store::set_state(const std::string& key, const std::string& value) {
  std::lock_guard lock(mu_);
  SqliteStmt s(db_, "INSERT OR REPLACE INTO kv(key, value) VALUES (?, ?)");
  s.bind(1, key).bind(2, value).step();
}

Store::RetentionResult Store::apply_retention(const RetentionPolicy& p, int64_t now_ns) {
  std::lock_guard lock(mu_);
  RetentionResult r;
  SqliteTransaction tx(db_);
  if (p.max_age_s > 0) {
    const int64_t cutoff = now_ns - p.max_age_s * 1000000000LL;
    SqliteStmt a(db_, "DELETE FROM alerts WHERE received_ns < ?");
    a.bind(1, cutoff).step();
    r.alerts_deleted += db_.changes();
    SqliteStmt b(db_, "DELETE FROM audit WHERE at_ns < ?");
    b.bind(1, cutoff).step();
    r.audit_deleted += db_.changes();
  }
  // Keep the newest N rows: delete everything at or below the id of the
  // (N+1)-th newest.
  if (p.max_alerts > 0) {
    SqliteStmt a(db_,
                 "DELETE FROM alerts WHERE id <= (SELECT id FROM alerts ORDER BY id DESC LIMIT 1 OFFSET ?)");
    a.bind(1, p.max_alerts).step();
    r.alerts_deleted += db_.changes();
  }
  if (p.max_audit > 0) {
    SqliteStmt b(db_,
                 "DELETE FROM audit WHERE id <= (SELECT id FROM audit ORDER BY id DESC LIMIT 1 OFFSET ?)");
    b.bind(1, p.max_audit).step();
    r.audit_deleted += db_.changes();
  }
  tx.commit();
  return r;
}

}  // namespace weir::ctl
