#pragma once
// StreamInspector: the StreamSink the worker hands to reassembly. It receives
// every in-order byte of an in-scope TCP flow while the segment that made the
// bytes deliverable is held, and returns Block to stop that very segment.
// Detection engines plug in here (stream signatures; the L7 parsers next).

#include <cstdint>

#include "dataplane/flow/flow.h"
#include "dataplane/packet.h"
#include "dataplane/stream/stream_sink.h"

namespace weir::dp {

class StreamInspector final : public StreamSink {
 public:
  /// Sets the flow the next chunks belong to (called before each segment).
  void begin(const Flow& flow, const Packet& pkt) {
    flow_ = &flow;
    pkt_ = &pkt;
  }
  SinkVerdict on_chunk(const parse::StreamChunk& chunk, uint64_t stream_offset) override;

  uint64_t bytes_inspected(parse::Direction d) const { return bytes_[static_cast<int>(d)]; }

 private:
  const Flow* flow_ = nullptr;
  const Packet* pkt_ = nullptr;
  uint64_t bytes_[2] = {0, 0};
};

}  // namespace weir::dp
