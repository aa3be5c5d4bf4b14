#pragma once
// FlowTable: one worker's flows. Open hashing over a preallocated pool (index
// 0 is "none"), a hashed timer wheel for idle/lifetime timeouts, a hard cap
// with eviction of the least recently seen flow, every exit counted.
// Single-threaded by design: each worker owns exactly one table.

#include <cstdint>
#include <vector>

#include "dataplane/flow/flow.h"

namespace weir::dp {

struct FlowTimeouts {
  uint64_t syn_tsc;
  uint64_t established_tsc;
  uint64_t closed_tsc;
  uint64_t udp_tsc;
  uint64_t other_tsc;
  uint64_t lifetime_tsc;
};

struct FlowTableStats {
  uint64_t active = 0;
  uint64_t created = 0;
  uint64_t closed = 0;       ///< removed after a TCP close (FIN/RST) and its linger
  uint64_t expired = 0;      ///< idle timeout
  uint64_t evicted = 0;      ///< pushed out at the cap
  uint64_t lifetime = 0;     ///< removed at the lifetime limit
  uint64_t lookups = 0;
};

class FlowTable {
 public:
  /// `capacity` flows at most; memory is allocated here, once.
  FlowTable(uint32_t capacity, const FlowTimeouts& timeouts, uint64_t tsc_hz);

  /// Prefetches the bucket for `hash` (call a few packets ahead).
  void prefetch(uint32_t hash) const;

  /// Finds the flow for `key` or creates it (evicting the least recently seen
  /// flow when full). `created` tells which. Never returns null.
  Flow* find_or_create(const FlowKey& key, uint32_t hash, bool src_is_lo, uint64_t now_tsc,
                       bool& created);
  Flow* find(const FlowKey& key, uint32_t hash);

  /// Updates TCP state and timers for a packet of `flow`; `from_initiator`
  /// is the packet's direction. Re-arms the flow's timer.
  void on_packet(Flow& flow, bool from_initiator, uint8_t tcp_flags, uint32_t payload_len,
                 uint64_t now_tsc);

  /// Advances the timer wheel to `now_tsc`, removing idle/closed/over-age
  /// flows; at most `budget` removals per call so a burst of expiries cannot
  /// stall the worker. Returns how many were removed.
  uint32_t expire(uint64_t now_tsc, uint32_t budget);

  /// Removes every flow (shutdown, tests).
  void clear();

  const FlowTableStats& stats() const { return stats_; }
  uint32_t capacity() const { return capacity_; }
  /// Bytes of memory per flow slot (flow + index), for perf reports.
  static constexpr size_t bytes_per_flow();

  template <typename Fn>
  void for_each(Fn&& fn) const;  ///< visits every active flow (weirctl flows)

 private:
  // Implementation detail: see flow_table.cc.
  uint32_t capacity_;
  FlowTableStats stats_;
  // ... (owned by the implementation)
};

}  // namespace weir::dp
