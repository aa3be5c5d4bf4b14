#pragma once
// DecisionPoint: where a verdict is due. A server acts on message units, so
// the parser stops at each of them and asks its sink before going on.

#include <cstdint>

namespace weir::parse {

enum class DecisionPoint : uint8_t {
  /// Request line / status line and headers are complete: method, path,
  /// query, header and cookie fields (or status and response headers).
  EndOfHeaders,
  /// The message body is complete (also emitted, with no body fields, for a
  /// message without a body): body fields.
  EndOfBody,
  /// A framed message inside a longer stream (WebSocket, gRPC) is complete.
  EndOfMessage,
  /// The stream cannot be parsed further; the findings name the cause.
  /// Whatever the sink returns, the parser stops (FeedStatus::ParseError).
  ParseError,
};

const char* decision_point_name(DecisionPoint p);

}  // namespace weir::parse
