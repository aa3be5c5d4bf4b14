#pragma once
// Per-worker counters: one cache-aligned block per worker, written only by its
// worker (plain stores, no atomics: x86 64-bit loads are not torn) and summed
// on read by telemetry and the control link. Every stage has its own counters
// so `weirctl stats` can say where a packet went and why.

#include <array>
#include <cstdint>

#include "dataplane/decode/packet_decoder.h"

namespace weir::dp {

// X-macro: name (snake_case, stable: telemetry and the control plane use it).
#define WEIR_WORKER_COUNTERS(X) \
  X(rx_packets)                 \
  X(rx_bytes)                   \
  X(tx_packets)                 \
  X(tx_bytes)                   \
  X(tx_dropped)                 \
  X(decoded_ip)                 \
  X(non_ip_forwarded)           \
  X(non_ip_dropped)             \
  X(malformed_forwarded)        \
  X(malformed_dropped)          \
  X(oversize_dropped)           \
  X(multi_segment)              \
  X(handoff_sent)               \
  X(handoff_received)           \
  X(handoff_ring_full)          \
  X(flow_owner_violations)      \
  X(out_of_scope_packets)       \
  X(inspected_packets)          \
  X(blocked_packets)            \
  X(fail_closed_dropped)        \
  X(fail_open_bypassed)         \
  X(bypassed_packets)           \
  X(exception_overload_pass)    \
  X(exception_overload_drop)    \
  X(exception_internal_pass)    \
  X(exception_internal_drop)    \
  X(resets_sent)                \
  X(resets_failed)              \
  X(flows_blocked)              \
  X(segment_findings)           \
  X(stream_bypassed)            \
  X(fragment_findings)          \
  X(datagrams_reassembled)      \
  X(fragments_malformed)        \
  X(idle_sleeps)                \
  X(loops)

struct alignas(64) WorkerCounters {
#define WEIR_DECLARE_COUNTER(name) uint64_t name = 0;
  WEIR_WORKER_COUNTERS(WEIR_DECLARE_COUNTER)
#undef WEIR_DECLARE_COUNTER
  std::array<uint64_t, static_cast<size_t>(DecodeStatus::Count)> decode_status{};

  /// Calls fn(name, value) for every counter, decode reasons as "malformed_<reason>".
  template <typename Fn>
  void visit(Fn&& fn) const {
#define WEIR_VISIT_COUNTER(name) fn(#name, name);
    WEIR_WORKER_COUNTERS(WEIR_VISIT_COUNTER)
#undef WEIR_VISIT_COUNTER
    for (size_t i = static_cast<size_t>(DecodeStatus::TruncatedEthernet); i < decode_status.size(); ++i)
      fn(decode_status_name(static_cast<DecodeStatus>(i)), decode_status[i]);
  }
};

}  // namespace weir::dp
