#pragma once
// StreamSink: where the stream stage hands in-order bytes (the L7 stage, or
// TLS in front of it). Called synchronously while the segment that made the
// bytes deliverable is still held, so a Block stops that very segment: the
// server never receives the bytes that completed a blocked message unit.

#include <cstdint>

#include "parsers/stream_chunk.h"

namespace weir::dp {

enum class SinkVerdict : uint8_t { Continue, Block };

class StreamSink {
 public:
  virtual ~StreamSink() = default;
  /// In-order bytes of one direction; `stream_offset` counts the bytes of
  /// that direction delivered before these (0 for the first). A chunk with
  /// end_of_stream set and no bytes reports the sender's FIN.
  virtual SinkVerdict on_chunk(const parse::StreamChunk& chunk, uint64_t stream_offset) = 0;
};

}  // namespace weir::dp
