// Names of the segment reasons; the table is indexed by the enum.

#include "dataplane/stream/segment_verdict.h"

#include <cstddef>

namespace weir::dp {

const char* segment_reason_name(SegmentReason r) {
  static constexpr const char* kNames[] = {
      "control",        "handshake",     "in_order",      "in_order_unstored",
      "out_of_order",   "retransmission", "acked_retransmission",
      "rst_accepted",   "bad_checksum",  "ttl_expires",
      "paws",           "out_of_window", "zero_window_probe", "overlap_mismatch",
      "unverifiable_retransmission",     "memory_cap",
      "flow_memory_cap", "after_fin",    "after_rst",
      "invalid_rst",    "unexpected_syn", "wrong_side",
      "blocked",        "sink_blocked",  "mid_stream_ignored",
  };
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<size_t>(SegmentReason::Count));
  const auto i = static_cast<size_t>(r);
  return i < static_cast<size_t>(SegmentReason::Count) ? kNames[i] : "unknown";
}

bool segment_reason_is_finding(SegmentReason r) {
  switch (r) {
    case SegmentReason::BadChecksum:
    case SegmentReason::TtlExpires:
    case SegmentReason::OutOfWindow:
    case SegmentReason::OverlapMismatch:
    case SegmentReason::AfterFin:
    case SegmentReason::InvalidRst:
    case SegmentReason::WrongSide:
    case SegmentReason::Paws:
      return true;
    default:
      return false;
  }
}

}  // namespace weir::dp
