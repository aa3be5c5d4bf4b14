// CEF rendering (see cef_format.h).
#include "control/export/cef_format.h"

#include "control/admin/api_json.h"

namespace weir::ctl {

std::string cef_escape_header(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (char c : field) {
    if (c == '\\' || c == '|') out += '\\';
    // A header is one line; a line break would end the event early.
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

std::string cef_escape_extension(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '=': out += "\\="; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

int cef_severity(int severity) {
  static constexpr int kMap[] = {1, 3, 5, 8, 10};
  if (severity < 0) return 0;
  return severity > 4 ? 10 : kMap[severity];
}

std::string alert_to_cef(const AlertRecord& a) {
  const std::string kind = kind_name(a.kind);
  const std::string signature = a.rule_id != 0 ? std::to_string(a.rule_id) : kind;
  std::string name = a.class_name.empty() ? kind : a.class_name;
  if (!a.zone.empty()) name += " in " + a.zone;
  std::string out = "CEF:0|Weir|weir-control|0.1.0|" + cef_escape_header(signature) + "|" +
                    cef_escape_header(name) + "|" + std::to_string(cef_severity(a.severity)) + "|";
  auto ext = [&](const char* key, std::string_view value) {
    if (value.empty()) return;
    if (out.back() != '|') out += ' ';
    out += key;
    out += '=';
    out += cef_escape_extension(value);
  };
  ext("rt", std::to_string(a.ts_ns / 1000000));
  ext("externalId", event_id_hex(a.event_id));
  ext("cat", kind);
  ext("proto", proto_name(a.proto));
  ext("src", a.client);
  if (a.client_port) ext("spt", std::to_string(a.client_port));
  ext("dst", a.server);
  if (a.server_port) ext("dpt", std::to_string(a.server_port));
  ext("cs1Label", "class");
  ext("cs1", a.class_name);
  ext("cs2Label", "zone");
  ext("cs2", a.zone);
  ext("cn1Label", "worker");
  ext("cn1", std::to_string(a.worker));
  ext("msg", a.text);
  return out;
}

}  // namespace weir::ctl
