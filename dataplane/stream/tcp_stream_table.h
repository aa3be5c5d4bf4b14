#pragma once
// TcpStreamTable: one worker's TcpStream per flow slot, allocated once and
// indexed like the FlowTable's pool, so a flow's stream state needs no
// pointer in Flow. release() belongs in the FlowTable remove hook.

#include <cstdint>
#include <vector>

#include "dataplane/stream/stream_context.h"
#include "dataplane/stream/tcp_stream.h"

namespace weir::dp {

class TcpStreamTable {
 public:
  /// Slots 0..`slots`-1 (a FlowTable of capacity N uses slots 1..N: pass N + 1).
  explicit TcpStreamTable(uint32_t slots) : streams_(slots) {}

  TcpStream& at(uint32_t slot) { return streams_[slot]; }
  const TcpStream& at(uint32_t slot) const { return streams_[slot]; }
  void release(uint32_t slot, StreamContext& ctx) { streams_[slot].release(ctx); }
  uint32_t size() const { return static_cast<uint32_t>(streams_.size()); }
  /// Memory of the table per slot: the cost of an idle flow in this stage.
  static constexpr size_t bytes_per_flow() { return sizeof(TcpStream); }

 private:
  std::vector<TcpStream> streams_;
};

}  // namespace weir::dp
