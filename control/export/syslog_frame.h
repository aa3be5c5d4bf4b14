#pragma once
// Syslog message construction: RFC 5424 header and structured data, and
// RFC 6587 octet-counting framing for stream transports (TCP, TLS).

#include <cstdint>
#include <string>
#include <string_view>

namespace weir::ctl {

/// Syslog severity (RFC 5424: 0 emergency .. 7 debug) for a Weir severity
/// 0 (info) .. 4 (critical).
int syslog_severity(int weir_severity);

/// SD-PARAM value escaping (RFC 5424 6.3.3): '"', '\' and ']' get a '\'.
std::string sd_escape(std::string_view value);

struct SyslogHeader {
  int facility = 16;  ///< 0..23
  int severity = 6;   ///< 0..7
  int64_t ts_ns = 0;  ///< realtime
  std::string hostname = "-";
  std::string app_name = "weir";
  std::string procid = "-";
  std::string msgid = "-";
  std::string structured_data = "-";  ///< already rendered "[id k="v"]" or "-"
};

/// "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG"; header fields
/// are clipped to their RFC limits and printable US-ASCII.
std::string syslog_message(const SyslogHeader& h, std::string_view msg);

/// RFC 6587 3.4.1 octet counting: "LEN SP MSG".
std::string octet_counted(std::string_view message);

}  // namespace weir::ctl
