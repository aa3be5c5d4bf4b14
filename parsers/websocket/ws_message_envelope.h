#pragma once
// WsMessageEnvelope: the JSON document inside the two application envelopes
// that carry most WebSocket API traffic, so its values become ws_message
// fields by JSON path like a bare JSON message instead of one opaque field
// (where a quote inside a JSON string would hide an injection from the
// lexical detectors):
//  * Socket.IO over Engine.IO: packet-type digits, an optional namespace
//    ("/chat,") and ack id, then JSON: 42["chat message",{"msg":"..."}],
//    42/admin,17["cmd",{...}].
//  * STOMP 1.x frames: COMMAND LF, header lines, a blank line, the body,
//    NUL: SEND\ndestination:/app/chat\n\n{"content":"..."}\0.
// Pure functions on the message bytes; no allocation.

#include <string_view>

namespace weir::parse {

struct WsEnvelope {
  /// The JSON document (starts with '{' or '['); empty: no envelope found.
  std::string_view json;
  /// What precedes it and is not JSON (STOMP command and headers; empty for
  /// Socket.IO, whose prefix is digits and a namespace).
  std::string_view head;
};

/// `message` is a complete text message that does not itself start with
/// JSON. Returns the JSON inside a Socket.IO or STOMP envelope, if any.
WsEnvelope find_ws_envelope(std::string_view message);

}  // namespace weir::parse
