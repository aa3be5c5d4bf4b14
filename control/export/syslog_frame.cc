// RFC 5424 / RFC 6587 (see syslog_frame.h).
#include "control/export/syslog_frame.h"

#include <ctime>

namespace weir::ctl {

namespace {
// PRINTUSASCII (33..126), at most `max` characters; empty becomes NILVALUE.
std::string header_field(std::string_view v, size_t max) {
  std::string out;
  for (char c : v) {
    if (out.size() == max) break;
    const auto u = static_cast<unsigned char>(c);
    out += (u >= 33 && u <= 126) ? c : '_';
  }
  return out.empty() ? "-" : out;
}

std::string timestamp(int64_t ns) {
  const time_t secs = static_cast<time_t>(ns / 1000000000);
  tm utc{};
  gmtime_r(&secs, &utc);
  char buf[96];
  const int us = static_cast<int>((ns % 1000000000) / 1000);
  snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", utc.tm_year + 1900, utc.tm_mon + 1,
           utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, us);
  return buf;
}
}  // namespace

int syslog_severity(int weir_severity) {
  // info -> informational(6), low -> notice(5), medium -> warning(4),
  // high -> error(3), critical -> critical(2).
  if (weir_severity <= 0) return 6;
  if (weir_severity >= 4) return 2;
  return 6 - weir_severity;
}

std::string sd_escape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '"' || c == '\\' || c == ']') out += '\\';
    out += c;
  }
  return out;
}

std::string syslog_message(const SyslogHeader& h, std::string_view msg) {
  const int facility = h.facility < 0 || h.facility > 23 ? 16 : h.facility;
  const int severity = h.severity < 0 || h.severity > 7 ? 6 : h.severity;
  std::string out = "<" + std::to_string(facility * 8 + severity) + ">1 ";
  out += timestamp(h.ts_ns);
  out += ' ';
  out += header_field(h.hostname, 255);
  out += ' ';
  out += header_field(h.app_name, 48);
  out += ' ';
  out += header_field(h.procid, 128);
  out += ' ';
  out += header_field(h.msgid, 32);
  out += ' ';
  out += h.structured_data.empty() ? "-" : h.structured_data;
  if (!msg.empty()) {
    out += ' ';
    out += msg;
  }
  return out;
}

std::string octet_counted(std::string_view message) {
  std::string out = std::to_string(message.size());
  out += ' ';
  out += message;
  return out;
}

}  // namespace weir::ctl
