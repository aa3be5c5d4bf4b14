#pragma once
// DefragReason: why the defragmenter held, completed or gave back fragments;
// each is counted per worker and the anomalies raise a finding.

#include <cstdint>

namespace weir::dp {

enum class DefragReason : uint8_t {
  Held,                ///< kept; the datagram is not complete yet
  Complete,            ///< reassembled; inspect, then forward or free the originals
  OverlapIdentical,    ///< kept: overlaps held bytes with the same bytes (counted only)
  Duplicate,           ///< same offset, length and bytes as a held fragment: this one given back
  OverlapMismatch,     ///< overlaps held bytes with different bytes
  TinyFirstFragment,   ///< first fragment too short for the L4 header (RFC 1858, RFC 7112)
  TcpHeaderOverlap,    ///< TCP fragment at offset 8 or 16: rewrites the header (RFC 1858)
  BadFragmentLength,   ///< empty, or not a multiple of 8 without being the last
  InconsistentLength,  ///< two different ends, or data past the last fragment's end
  Oversize,            ///< reassembled datagram past 65535 bytes
  TooManyFragments,    ///< past the per-datagram cap
  TooManyDatagrams,    ///< no free datagram slot
  MemoryCap,           ///< past the worker's cap on held fragment bytes
  Timeout,             ///< incomplete when its time ran out
  Count
};

/// Stable snake_case name ("overlap_mismatch") for counters and alerts.
const char* defrag_reason_name(DefragReason r);
/// True for anomalies worth an alert (evasion or abuse), false for Held,
/// Complete, OverlapIdentical, Duplicate and the resource caps.
bool defrag_reason_is_finding(DefragReason r);

}  // namespace weir::dp
