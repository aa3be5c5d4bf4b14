#pragma once
// StreamInspector: the StreamSink the worker hands to reassembly. It receives
// every in-order byte of an in-scope TCP flow while the segment that made the
// bytes deliverable is held, and returns Block to stop that very segment.
// Detection engines plug in here (stream signatures; the L7 parsers next).

#include <cstdint>
#include <string>

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

  /// Replay only: append every delivered chunk to DIR/<client>_<port>-<server>_<port>.<req|resp>
  /// so tests can assert exactly the stream the parser saw.
  void dump_streams_to(std::string dir) { dump_dir_ = std::move(dir); }

 private:
  const Flow* flow_ = nullptr;
  const Packet* pkt_ = nullptr;
  uint64_t bytes_[2] = {0, 0};
  std::string dump_dir_;
};

}  // namespace weir::dp
