#pragma once
// FlowTable: one worker's flows. Chained hashing over a preallocated pool
// (index 0 is "none"), a hashed timer wheel for idle/lifetime timeouts, a
// hard cap with eviction of the least recently seen of a sliding window of
// slots (half-open flows first), every exit counted. Single-threaded by design: each worker owns
// exactly one table. A Flow* stays valid until the next find_or_create(),
// create_missing(), expire() or clear() on the table.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "config/weir_config.h"
#include "dataplane/flow/flow.h"
#include "dataplane/flow/huge_page_array.h"
#include "dataplane/flow/prefetch.h"
#include "dataplane/flow/tcp_state_machine.h"

namespace weir::dp {

/// Timeouts in TSC units. Each is capped at 2^30 wheel ticks (~124 days).
struct FlowTimeouts {
  uint64_t syn_tsc;
  uint64_t established_tsc;  ///< also Closing and MidStream
  uint64_t closed_tsc;       ///< linger after the last packet of a closed flow
  uint64_t udp_tsc;
  uint64_t other_tsc;        ///< ICMP and other protocols
  uint64_t lifetime_tsc;     ///< since creation, however active the flow is
};

/// Converts the config's seconds to TSC units.
FlowTimeouts make_flow_timeouts(const config::FlowConfig& cfg, uint64_t tsc_hz);

struct FlowTableStats {
  uint64_t active = 0;
  uint64_t created = 0;
  uint64_t closed = 0;       ///< removed after a TCP close (FIN/RST) and its linger
  uint64_t expired = 0;      ///< idle timeout
  uint64_t evicted = 0;      ///< pushed out at the cap
  uint64_t lifetime = 0;     ///< removed at the lifetime limit
};

class FlowTable {
 public:
  /// Called for every flow leaving the table (not for clear()), before its
  /// slot is reused: later stages release their per-flow state here.
  using RemoveHook = void (*)(void* ctx, const Flow& flow, FlowEnd why);

  /// `capacity` flows at most (at least 1); memory is allocated here, once.
  FlowTable(uint32_t capacity, const FlowTimeouts& timeouts, uint64_t tsc_hz);

  /// Prefetches the bucket for `hash` (call a few packets ahead).
  void prefetch(uint32_t hash) const { prefetch_line(&buckets_[bucket_of(hash)]); }

  /// Finds the flow for `key` or creates it (evicting the least recently seen
  /// flow when full). `hash` must be flow_hash(key): removal recomputes it.
  /// `created` tells which. Never returns null. A new flow has in_scope = true
  /// and tcp_state None; the caller sets in_scope and calls on_packet() for the
  /// first packet too.
  Flow* find_or_create(const FlowKey& key, uint32_t hash, bool src_is_lo, uint64_t now_tsc,
                       bool& created) {
    if (Flow* f = find(key, hash)) {
      created = false;
      return f;
    }
    created = true;
    return create(key, hash, src_is_lo, now_tsc);
  }
  /// The creating half of find_or_create(), for a caller whose find() of
  /// `key` just missed (nothing changed the table since): no second lookup.
  Flow* create_missing(const FlowKey& key, uint32_t hash, bool src_is_lo, uint64_t now_tsc) {
    return create(key, hash, src_is_lo, now_tsc);
  }
  Flow* find(const FlowKey& key, uint32_t hash) {
    for (uint32_t i = buckets_[bucket_of(hash)]; i != 0; i = flows_[i].chain_next) {
      Flow& f = flows_[i];
      if (f.key == key) return &f;
    }
    return nullptr;
  }

  /// Updates TCP state, counters and last-seen for a packet of `flow`;
  /// `from_initiator` is the packet's direction (Flow::from_initiator()).
  /// Timers are re-armed lazily: only a state change that shortens the
  /// timeout touches the wheel. No recency list: eviction reads last_seen.
  /// Inline: the common packet (no state change) is a few stores.
  void on_packet(Flow& flow, bool from_initiator, uint8_t tcp_flags, uint32_t payload_len,
                 uint64_t now_tsc) {
    const int dir = from_initiator ? 0 : 1;
    ++flow.packets[dir];
    flow.bytes[dir] += payload_len;
    flow.last_seen_tsc = now_tsc;
    if (flow.key.proto != kProtoTcp || tcp_state_steady(flow.tcp_state, tcp_flags)) return;
    tcp_transition(flow, from_initiator, tcp_flags);
  }

  /// Advances the timer wheel to `now_tsc`, removing idle/closed/over-age
  /// flows. Examines at most `budget` timer entries per call (so at most
  /// `budget` removals) so a burst of expiries cannot stall the worker; the
  /// next call resumes where this one stopped. Returns how many were removed.
  uint32_t expire(uint64_t now_tsc, uint32_t budget);

  /// Removes every flow without counting them (shutdown, tests).
  void clear();

  void set_remove_hook(RemoveHook hook, void* ctx) {
    remove_hook_ = hook;
    remove_ctx_ = ctx;
  }

  /// The flow's slot in the pool, 1..capacity: later stages index their own
  /// per-flow arrays with it (sized capacity + 1).
  uint32_t slot_of(const Flow& flow) const { return index_of(flow); }

  const FlowTableStats& stats() const { return stats_; }
  uint32_t capacity() const { return capacity_; }
  /// Bytes of memory per flow slot: the pool, the buckets and the timer
  /// wheel, all allocated in the constructor, divided by the capacity.
  size_t bytes_per_flow() const;

  /// Visits every active flow once, in no particular order (weirctl
  /// flows): every active flow is on the timer wheel, so the walk costs the
  /// active flows and the wheel's slots, not the capacity.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (uint32_t head : wheel_) {
      for (uint32_t i = head; i != 0; i = flows_[i].timer_next) fn(static_cast<const Flow&>(flows_[i]));
    }
  }

 private:
  // Wheel slots (10 ms ticks): a sixteenth of the capacity, 64..4096, so a
  // worker's table turns in ~41 s and a tiny one stays tiny. Timeouts longer
  // than a turn simply skip the entry on earlier turns.
  static constexpr uint32_t kMinWheelSlots = 64;
  static constexpr uint32_t kMaxWheelSlots = 4096;
  static constexpr uint32_t kCursorAtHead = 0xffffffffu;
  static constexpr uint32_t kEvictionWindow = 16;  // slots eviction_victim() compares
  static constexpr uint8_t kProtoTcp = 6;

  uint32_t bucket_of(uint32_t hash) const {
    // Multiplicative remix: the runtime takes hash % workers from the low
    // bits, so the buckets use the top bits of a product instead.
    return (hash * 0x9e3779b1u) >> bucket_shift_;
  }
  uint32_t tick_of(uint64_t tsc) const { return static_cast<uint32_t>(tsc / tick_tsc_); }
  uint32_t index_of(const Flow& f) const { return static_cast<uint32_t>(&f - flows_.data()); }
  /// The TCP state change of on_packet() (and a re-arm when it shortened the timeout).
  void tcp_transition(Flow& f, bool from_initiator, uint8_t tcp_flags);
  Flow* create(const FlowKey& key, uint32_t hash, bool src_is_lo, uint64_t now_tsc);
  uint64_t idle_timeout(const Flow& f) const;
  uint32_t eviction_victim();
  uint64_t deadline(const Flow& f) const;
  void arm(uint32_t idx, uint64_t deadline_tsc);
  void timer_unlink(uint32_t idx);
  void remove(uint32_t idx, FlowEnd why);
  void reset_storage();

  uint32_t capacity_;
  FlowTableStats stats_;
  FlowTimeouts timeouts_;
  uint64_t tick_tsc_;
  HugePageArray<Flow> flows_;        // [0]: "none", never a flow
  HugePageArray<uint32_t> buckets_;  // chain heads
  std::vector<uint32_t> wheel_;    // timer slot heads
  uint32_t bucket_shift_ = 0;
  uint32_t wheel_mask_ = 0;
  uint32_t evict_hand_ = 1;        // first slot eviction_victim() examines next
  uint32_t free_head_ = 0;
  uint32_t wheel_tick_ = 0;        // next tick not yet fully processed
  uint32_t wheel_cursor_ = kCursorAtHead;  // next entry in wheel_tick_'s slot
  bool wheel_primed_ = false;
  RemoveHook remove_hook_ = nullptr;
  void* remove_ctx_ = nullptr;
};

}  // namespace weir::dp
