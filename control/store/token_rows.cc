// Store: remote admin tokens (see control_store.h, control/auth).
#include "control/store/control_store.h"

namespace weir::ctl {

namespace {
constexpr const char* kTokenColumns =
    "id, name, key_id, scope, salt, hash, created_ns, created_by, revoked_ns, last_used_ns";

TokenRecord read_token(const SqliteStmt& s) {
  TokenRecord t;
  t.id = s.int64(0);
  t.name = s.text(1);
  t.key_id = s.text(2);
  t.scope = s.text(3);
  t.salt = s.text(4);
  t.hash = s.text(5);
  t.created_ns = s.int64(6);
  t.created_by = s.text(7);
  t.revoked_ns = s.is_null(8) ? 0 : s.int64(8);
  t.last_used_ns = s.is_null(9) ? 0 : s.int64(9);
  return t;
}
}  // namespace

int64_t Store::add_token(const TokenRecord& t) {
  std::lock_guard lock(mu_);
  SqliteStmt s(db_,
               "INSERT INTO tokens(name, key_id, scope, salt, hash, created_ns, created_by) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, t.name).bind(2, t.key_id).bind(3, t.scope).bind(4, t.salt).bind(5, t.hash);
  s.bind(6, t.created_ns).bind(7, t.created_by);
  s.step();
  return db_.last_insert_rowid();
}

std::optional<TokenRecord> Store::find_token(const std::string& key_id) {
  std::lock_guard lock(mu_);
  SqliteStmt q(db_, std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE key_id = ?");
  q.bind(1, key_id);
  if (!q.step()) return std::nullopt;
  return read_token(q);
}

std::vector<TokenRecord> Store::list_tokens() {
  std::lock_guard lock(mu_);
  SqliteStmt q(db_, std::string("SELECT ") + kTokenColumns + " FROM tokens ORDER BY id");
  std::vector<TokenRecord> out;
  while (q.step()) out.push_back(read_token(q));
  return out;
}

std::optional<TokenRecord> Store::revoke_token(const std::string& name, int64_t now_ns) {
  std::lock_guard lock(mu_);
  SqliteStmt u(db_, "UPDATE tokens SET revoked_ns = ? WHERE name = ? AND revoked_ns IS NULL");
  u.bind(1, now_ns).bind(2, name).step();
  if (db_.changes() == 0) return std::nullopt;
  SqliteStmt q(db_, std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE name = ?");
  q.bind(1, name);
  if (!q.step()) return std::nullopt;
  return read_token(q);
}

void Store::touch_token(int64_t id, int64_t now_ns) {
  std::lock_guard lock(mu_);
  SqliteStmt u(db_, "UPDATE tokens SET last_used_ns = ? WHERE id = ?");
  u.bind(1, now_ns).bind(2, id).step();
}

}  // namespace weir::ctl
