#pragma once
// What the dataplane hands the WebSocket parser from the HTTP/1 handshake:
// the request path (the WebSocket channel in the inventory), the Host, and
// the Sec-WebSocket-Extensions value of the 101 response, i.e. what was
// actually negotiated. Only permessage-deflate (RFC 7692) is understood;
// another extension makes RSV bits and payloads opaque to us.

#include <cstdint>
#include <string_view>

namespace weir::parse {

struct WebSocketHandshake {
  std::string_view path;        ///< request target of the Upgrade request
  std::string_view host;        ///< its Host header
  std::string_view extensions;  ///< Sec-WebSocket-Extensions of the 101 response ("" = none)
};

/// permessage-deflate as negotiated (RFC 7692 7.1). Window bits only bound
/// the senders' compressors; the parser always inflates with a 15-bit
/// window, which reads every smaller one.
struct WebSocketDeflate {
  bool enabled = false;
  bool client_no_context_takeover = false;
  bool server_no_context_takeover = false;
  uint8_t client_max_window_bits = 15;
  uint8_t server_max_window_bits = 15;
};

enum class ExtensionsStatus : uint8_t {
  Ok,
  UnknownExtension,  ///< an extension other than permessage-deflate was accepted
  BadParameters,     ///< permessage-deflate twice, unknown or out-of-range parameter
};

/// Parses the response's Sec-WebSocket-Extensions value into `out`.
ExtensionsStatus parse_websocket_extensions(std::string_view value, WebSocketDeflate& out);

}  // namespace weir::parse
