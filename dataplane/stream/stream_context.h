#pragma once
// StreamContext: one worker's stream-stage state shared by all its flows: the
// configuration, the reassembly memory budget and the counters per segment
// reason. Owned by the worker; TcpStream objects are per flow.

#include <cstddef>
#include <cstdint>

#include "dataplane/stream/segment_verdict.h"
#include "dataplane/stream/stream_memory.h"

namespace weir::dp {

/// A direction seen first without its SYN (flow picked up mid-stream).
enum class MidStreamPolicy : uint8_t {
  Accept,  ///< start at the first sequence number seen; older bytes are unverifiable
  Ignore,  ///< do not inspect the flow: every segment gets SegmentAction::Bypass
};

struct StreamConfig {
  MidStreamPolicy mid_stream = MidStreamPolicy::Accept;
  /// Blocks one direction may hold (unacknowledged history + out-of-order
  /// data); at 2 KiB per block, 128 bound a direction to 256 KiB in flight.
  uint32_t max_blocks_per_direction = 128;
  /// Reassembly memory of the worker, in blocks of StreamBlock::kSize bytes.
  uint32_t memory_blocks = 16384;  // 32 MiB
  /// Drop segments whose timestamp is older than the last accepted one, as
  /// the receiver would (RFC 7323 PAWS), when both SYNs carried timestamps.
  bool paws = true;
  /// Drop a segment arriving on the port of the other endpoint (its
  /// direction was learnt from the first packet each way). Needs Packet::side.
  bool check_side = true;
};

struct StreamStats {
  uint64_t segments[static_cast<size_t>(SegmentReason::Count)] = {};
  uint64_t bytes_delivered = 0;

  uint64_t count(SegmentReason r) const { return segments[static_cast<size_t>(r)]; }
};

struct StreamContext {
  explicit StreamContext(const StreamConfig& cfg) : config(cfg), memory(cfg.memory_blocks) {}

  StreamConfig config;
  StreamMemory memory;
  StreamStats stats;
};

}  // namespace weir::dp
