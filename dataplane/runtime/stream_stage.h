#pragma once
// StreamStage: the worker's TCP stage. Per-flow TcpStream state in a table
// indexed by the flow's slot, the worker's reassembly memory budget, the
// segment hints the receiver would act on (checksum, TTL), and what the
// verdict means for the frame: forward, drop, or block (both ends reset with
// RSTs at their exact RCV.NXT; challenge ACKs answered the same way).

#include <cstdint>

#include "config/weir_config.h"
#include "dataplane/packet.h"
#include "dataplane/stream/stream_context.h"
#include "dataplane/stream/tcp_reset_builder.h"
#include "dataplane/stream/tcp_stream_table.h"

namespace weir::dp {

/// One RST to send: `frame` holds `len` bytes; `toward_sender` tells the
/// port (the one the packet came in on) or the peer port.
struct ResetFrame {
  uint8_t frame[kMaxResetFrameLen + 16];
  uint32_t len = 0;
  bool toward_sender = false;
};

struct StreamOutcome {
  SegmentVerdict verdict;
  uint8_t n_resets = 0;
  ResetFrame resets[2];
};

class StreamStage {
 public:
  StreamStage(const config::StreamConfig& cfg, uint32_t flow_capacity);

  /// Runs one TCP segment of the flow in `slot` through reassembly; `sink`
  /// receives in-order bytes (and may block). Fills RST frames to send
  /// when the stream is (or already was) blocked.
  void on_segment(uint32_t slot, const Packet& pkt, bool from_initiator, StreamSink& sink,
                  StreamOutcome& out);
  /// Blocks the flow for a reason outside the stream (policy) and builds the resets.
  void block(uint32_t slot, const Packet& pkt, bool from_initiator, StreamOutcome& out);
  /// The flow left the table: its memory goes back to the budget.
  void release(uint32_t slot) { streams_.release(slot, ctx_); }

  const StreamStats& stats() const { return ctx_.stats; }
  const StreamMemory& memory() const { return ctx_.memory; }
  uint64_t resets_sent() const { return resets_built_; }
  static size_t bytes_per_flow() { return TcpStreamTable::bytes_per_flow(); }

 private:
  void build_resets(uint32_t slot, const Packet& pkt, bool from_initiator, StreamOutcome& out);

  StreamContext ctx_;
  TcpStreamTable streams_;
  uint32_t min_ttl_;
  uint64_t resets_built_ = 0;
};

}  // namespace weir::dp
