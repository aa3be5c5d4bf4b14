#pragma once
// TcpStream: the stream stage's per-flow state, both directions of one TCP
// connection ([0] initiator -> responder, [1] back, as Flow indexes them).
// Connection-level rules live here: SYN/SYN-ACK ISNs, window scaling and
// timestamps from the SYN options, the receiver's ACK and window applied to
// the opposite direction, RFC 5961 exact-sequence RSTs, mid-stream policy,
// the port side each direction must arrive on, and the blocked state after
// the sink said Block. Fixed size; memory is in the worker's StreamMemory.

#include <cstdint>

#include "dataplane/packet.h"
#include "dataplane/stream/segment_verdict.h"
#include "dataplane/stream/stream_context.h"
#include "dataplane/stream/stream_sink.h"
#include "dataplane/stream/tcp_reassembler.h"

namespace weir::dp {

/// What the caller found that makes the receiver discard the segment: it is
/// then neither inspected as data nor forwarded.
struct SegmentHints {
  bool bad_checksum = false;  ///< TCP (or IP) checksum wrong
  bool ttl_expires = false;   ///< TTL / hop limit below the configured hop distance
};

/// Sequence numbers of an RST toward one endpoint.
struct ResetNumbers {
  uint32_t seq = 0;  ///< that endpoint's RCV.NXT (RFC 5961: exactly)
  uint32_t ack = 0;  ///< the next sequence number that endpoint sends
};

class TcpStream {
 public:
  /// Handles one TCP segment travelling initiator -> responder when
  /// `from_initiator` (Flow::from_initiator()). Counts the verdict's reason
  /// in ctx.stats. On Block the stream stays blocked (every later segment:
  /// Drop/Blocked) and its memory is freed.
  SegmentVerdict on_segment(StreamContext& ctx, const Packet& pkt, bool from_initiator,
                            const SegmentHints& hints, StreamSink& sink);

  /// Blocks the stream for another reason (policy, blocklist): later
  /// segments are dropped; memory is freed; reset_numbers() keeps working.
  void block(StreamContext& ctx);
  bool blocked() const { return blocked_; }
  /// An RST with the exact sequence number was accepted (the caller's flow
  /// state closes; a later SYN from the initiator reopens the stream).
  bool reset_seen() const { return reset_; }

  /// Numbers for an RST toward the initiator (`toward_initiator`) or the
  /// responder. False when the direction toward that endpoint never started.
  bool reset_numbers(bool toward_initiator, ResetNumbers& out) const;

  /// Frees the memory and returns to the initial state (flow removed).
  void release(StreamContext& ctx);

  const TcpReassembler& direction(bool from_initiator) const { return dir_[from_initiator ? 0 : 1]; }

 private:
  SegmentVerdict handle(StreamContext& ctx, const Packet& pkt, int d, const SegmentHints& hints,
                        StreamSink& sink);
  SegmentVerdict handle_rst(StreamContext& ctx, const Packet& pkt, int d);
  /// Shift to apply to the window a packet from direction `d` advertises.
  uint8_t window_shift(int d, bool syn) const;

  TcpReassembler dir_[2];
  uint32_t isn_[2] = {0, 0};
  uint32_t ts_recent_[2] = {0, 0};
  uint8_t wscale_[2] = {0, 0};
  bool syn_seen_[2] = {false, false};
  bool has_wscale_[2] = {false, false};
  bool has_ts_[2] = {false, false};
  bool ts_known_[2] = {false, false};
  bool side_known_[2] = {false, false};
  Side side_[2] = {Side::Client, Side::Server};
  bool scaling_ = false;
  bool timestamps_ = false;
  bool blocked_ = false;
  bool bypass_ = false;
  bool reset_ = false;
};

}  // namespace weir::dp
