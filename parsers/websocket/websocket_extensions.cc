// Parameter grammar is RFC 7692 7.1 on top of RFC 6455 9.1 (token or
// quoted-string values); a server response must give client_max_window_bits
// a value, and every value is 8..15.
#include "parsers/websocket/websocket_extensions.h"

#include "parsers/multipart/mime_params.h"

namespace weir::parse {
namespace {

bool window_bits(std::string_view v, uint8_t& out) {
  if (v.empty() || v.size() > 2) return false;
  unsigned n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  if (n < 8 || n > 15) return false;
  out = static_cast<uint8_t>(n);
  return true;
}

}  // namespace

ExtensionsStatus parse_websocket_extensions(std::string_view value, WebSocketDeflate& out) {
  out = WebSocketDeflate{};
  ExtensionsStatus status = ExtensionsStatus::Ok;
  while (!value.empty()) {
    // Extensions are comma-separated; parameters never hold a comma.
    const size_t comma = value.find(',');
    const std::string_view item = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    MimeParamReader reader(item);
    if (reader.value().empty()) continue;
    if (!mime_name_equals(reader.value(), "permessage-deflate")) {
      if (status == ExtensionsStatus::Ok) status = ExtensionsStatus::UnknownExtension;
      continue;
    }
    if (out.enabled) return ExtensionsStatus::BadParameters;
    out.enabled = true;
    MimeParam p;
    while (reader.next(p)) {
      if (mime_name_equals(p.name, "server_no_context_takeover") && p.value.empty()) {
        out.server_no_context_takeover = true;
      } else if (mime_name_equals(p.name, "client_no_context_takeover") && p.value.empty()) {
        out.client_no_context_takeover = true;
      } else if (mime_name_equals(p.name, "server_max_window_bits")) {
        if (!window_bits(p.value, out.server_max_window_bits)) return ExtensionsStatus::BadParameters;
      } else if (mime_name_equals(p.name, "client_max_window_bits")) {
        if (!window_bits(p.value, out.client_max_window_bits)) return ExtensionsStatus::BadParameters;
      } else {
        return ExtensionsStatus::BadParameters;
      }
    }
  }
  return status;
}

}  // namespace weir::parse
