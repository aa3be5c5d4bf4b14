#pragma once
// Http2Limits: the caps and abuse thresholds of the HTTP/2 parser. The
// parser has no clock (chunks carry no time), so the flood windows count
// frames: every `flood_window_frames` frames of one side the counters start
// again. The decoded header list is capped by ParseLimits::max_head_bytes
// and bodies / gRPC messages by ParseLimits::max_body_inspect.

#include <cstddef>
#include <cstdint>

namespace weir::parse {

struct Http2Limits {
  /// Streams tracked at once (the table is part of the flow state).
  uint32_t max_streams = 128;
  /// Our cap on the HPACK dynamic table, whatever a peer announces.
  uint32_t max_header_table_size = 64 * 1024;
  /// CONTINUATION frames in one header block, and the compressed block size.
  uint32_t max_continuations = 32;
  uint32_t max_header_block_bytes = 64 * 1024;
  uint32_t flood_window_frames = 1024;
  /// Per window: client RST_STREAM on streams still in flight.
  uint32_t max_rapid_resets = 100;
  /// Per window: SETTINGS (not ACK) and PING (not ACK) frames of one side.
  uint32_t max_settings_frames = 100;
  uint32_t max_ping_frames = 100;
  /// BoundedHeap bytes one connection may hold (HPACK tables, header lists, bodies).
  size_t heap_budget = 4 << 20;
  /// Nesting levels of protobuf decoded in a gRPC message.
  uint32_t max_protobuf_depth = 16;
};

}  // namespace weir::parse
