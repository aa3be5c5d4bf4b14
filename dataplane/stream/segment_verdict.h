#pragma once
// SegmentVerdict: what the worker does with one TCP segment after the stream
// stage saw it, and the named reason, counted per worker (StreamStats) and
// shown by `weirctl stats`. Reasons marked as findings also raise an alert.

#include <cstdint>

namespace weir::dp {

enum class SegmentAction : uint8_t {
  Forward,  ///< send the frame on unchanged
  Drop,     ///< do not forward this frame (the flow goes on)
  Block,    ///< the sink blocked the stream: drop this frame and reset both ends
  Bypass,   ///< not inspected (mid-stream policy "ignore"): forward per exception policy
};

enum class SegmentReason : uint8_t {
  // Forward
  Control,              ///< no payload (pure ACK, window update)
  Handshake,            ///< SYN / SYN-ACK
  InOrder,              ///< bytes (or a FIN) delivered to the sink
  InOrderUnstored,      ///< delivered at a memory cap without keeping history (see dev_notes)
  OutOfOrder,           ///< stored beyond a gap; inspected when the gap fills
  Retransmission,       ///< every byte identical to bytes already seen
  AckedRetransmission,  ///< (part) below what the receiver acknowledged: it discards them
  RstAccepted,          ///< RST with the exact sequence number; the stream is closed
  // Drop
  BadChecksum,          ///< caller-classified: the receiver would discard it
  TtlExpires,           ///< caller-classified: TTL/hop limit does not reach the server
  Paws,                 ///< timestamp older than the last accepted (RFC 7323 PAWS)
  OutOfWindow,          ///< data past the receiver's advertised window
  ZeroWindowProbe,      ///< one byte at next_seq into a zero window: the receiver drops it too
  OverlapMismatch,      ///< overlaps stored bytes with different bytes (desync evasion)
  UnverifiableRetransmission,  ///< overlaps unacknowledged bytes that are no longer stored
  MemoryCap,            ///< the worker's reassembly budget is spent
  FlowMemoryCap,        ///< this direction's block cap is reached
  AfterFin,             ///< data past the sender's FIN
  AfterRst,             ///< segment after an accepted RST
  InvalidRst,           ///< RST whose sequence number is not exactly RCV.NXT (RFC 5961)
  UnexpectedSyn,        ///< SYN with another ISN on an open stream
  WrongSide,            ///< arrived on the port of the other endpoint (spoofed direction)
  Blocked,              ///< the stream was blocked earlier
  // Block
  SinkBlocked,          ///< the L7 stage returned Block for bytes of this segment
  // Bypass
  MidStreamIgnored,     ///< picked up without a handshake under mid_stream: ignore
  Count
};

struct SegmentVerdict {
  SegmentAction action = SegmentAction::Forward;
  SegmentReason reason = SegmentReason::Control;
  uint32_t delivered = 0;  ///< bytes handed to the sink while handling this segment
};

/// Stable snake_case name ("overlap_mismatch") for counters and alerts.
const char* segment_reason_name(SegmentReason r);
/// True for the reasons that are evasion attempts or protocol abuse worth an
/// alert (not for ordinary loss, caps or retransmissions).
bool segment_reason_is_finding(SegmentReason r);

}  // namespace weir::dp
