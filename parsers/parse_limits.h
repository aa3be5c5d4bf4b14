#pragma once
// ParseLimits: the caps that bound what a parser keeps and builds for one
// message. Crossing one is reported as a finding, never silently skipped.

#include <cstddef>
#include <cstdint>

namespace weir::parse {

struct ParseLimits {
  size_t max_head_bytes = 16 * 1024;    ///< request/status line + headers
  size_t max_line_bytes = 8 * 1024;     ///< one request line or header line
  uint32_t max_headers = 100;           ///< header lines per message
  size_t max_body_inspect = 64 * 1024;  ///< body bytes kept for inspection
  uint32_t max_fields = 2048;           ///< fields per message (all zones)
  uint32_t max_json_depth = 32;         ///< nesting levels flattened
  uint32_t max_json_fields = 1024;      ///< leaf fields from one JSON document
  uint32_t max_pipeline = 32;           ///< requests awaiting their response
  /// Content decoding (gzip, deflate, br): output of one coding layer past
  /// which the body is a decompression bomb (encoding.bomb) ...
  uint64_t max_decoded_bytes = 16u << 20;
  /// ... or output/input ratio at or past which it is one, once the output
  /// is larger than decode_ratio_floor.
  uint32_t max_decode_ratio = 200;
  uint64_t decode_ratio_floor = 1u << 20;
  /// WebSocket: a message longer than this is a finding (ws.message_too_large);
  /// its first max_body_inspect bytes are inspected either way.
  uint64_t max_ws_message_bytes = 1u << 20;
  /// multipart: nesting levels of multipart parts split into fields.
  uint32_t max_multipart_depth = 2;
};

}  // namespace weir::parse
