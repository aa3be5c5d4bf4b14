#pragma once
// A thin RAII layer over sqlite3: a connection and prepared statements that
// throw StoreError with SQLite's own message. Control plane only.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace weir::ctl {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SqliteDb {
 public:
  /// Opens (creating) `path`; ":memory:" works for tests.
  explicit SqliteDb(const std::string& path);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  void exec(const std::string& sql);
  int64_t last_insert_rowid() const;
  int changes() const;
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStmt {
 public:
  SqliteStmt(SqliteDb& db, std::string_view sql);
  ~SqliteStmt();
  SqliteStmt(const SqliteStmt&) = delete;
  SqliteStmt& operator=(const SqliteStmt&) = delete;

  SqliteStmt& bind(int index, int64_t v);  ///< 1-based, like SQLite
  SqliteStmt& bind(int index, std::string_view text);
  SqliteStmt& bind_blob(int index, std::string_view bytes);
  SqliteStmt& bind_null(int index);
  /// true: a row is ready; false: done.
  bool step();
  void reset();

  int64_t int64(int col) const;  ///< 0-based, like SQLite
  std::string text(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDb& db);
  ~SqliteTransaction();
  void commit();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace weir::ctl
