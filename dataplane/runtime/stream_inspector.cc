#include "dataplane/runtime/stream_inspector.h"

namespace weir::dp {

SinkVerdict StreamInspector::on_chunk(const parse::StreamChunk& chunk, uint64_t) {
  bytes_[static_cast<int>(chunk.direction)] += chunk.bytes.size();
  return SinkVerdict::Continue;
}

}  // namespace weir::dp
