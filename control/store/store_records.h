#pragma once
// Rows of the weir-control store, as plain structs shared by the store, the
// dataplane server and the admin API.

#include <cstdint>
#include <string>

namespace weir::ctl {

struct AlertRecord {
  int64_t id = 0;          ///< store row id, grows with arrival
  uint64_t event_id = 0;   ///< dataplane event id (unique)
  int64_t ts_ns = 0;       ///< when the dataplane raised it (realtime)
  int64_t received_ns = 0;
  int kind = 0;            ///< weir::dp::EventKind
  int worker = 0;
  int severity = 0;        ///< weir::dp::Severity, 0..4
  uint32_t rule_id = 0;
  std::string class_name;
  std::string zone;
  int proto = 0;
  std::string client;      ///< address text
  int client_port = 0;
  std::string server;
  int server_port = 0;
  std::string text;        ///< bytes, may be invalid UTF-8
};

struct AuditRecord {
  int64_t id = 0;
  int64_t at_ns = 0;
  int64_t uid = -1;        ///< peer uid, -1 for the daemon itself
  std::string user;
  std::string action;      ///< config_apply, config_refused, block, unblock, block_expired, mode
  std::string target;
  std::string detail;
  std::string diff;
};

struct BlockRecord {
  std::string cidr;        ///< canonical text (Cidr::to_string)
  uint32_t ttl_s = 0;      ///< 0: no expiry
  int64_t created_ns = 0;
  int64_t expires_ns = 0;  ///< 0: never
  std::string reason;
  std::string by;
};

/// A bearer token of the remote admin API (control/auth). The token itself
/// is never stored: `hash` = hex SHA-256(salt || secret).
struct TokenRecord {
  int64_t id = 0;
  std::string name;
  std::string key_id;  ///< public part of the token, used to find the row
  std::string scope;   ///< "read" | "admin"
  std::string salt;    ///< hex
  std::string hash;    ///< hex
  int64_t created_ns = 0;
  std::string created_by;
  int64_t revoked_ns = 0;    ///< 0: active
  int64_t last_used_ns = 0;  ///< 0: never
};

/// Listing alerts: after_id >= 0 -> id > after_id oldest first; else
/// before_id > 0 -> id < before_id newest first; else newest first.
struct AlertQuery {
  int64_t after_id = -1;
  int64_t before_id = -1;
  int limit = 100;
  int min_severity = 0;
};

struct RetentionPolicy {
  int64_t max_age_s = 30 * 86400;  ///< 0: no age limit
  int64_t max_alerts = 1000000;    ///< 0: no row limit
  int64_t max_audit = 100000;
};

}  // namespace weir::ctl
