// FlowTable: pool, buckets and wheel are sized in the constructor and never
// grow. Timers are lazy: an entry may fire early (the flow saw packets since it
// was armed); it is then re-checked and re-armed at its true deadline, so the
// packet path only writes last_seen_tsc.

#include "dataplane/flow/flow_table.h"

#include <algorithm>
#include <bit>

#include "dataplane/flow/tcp_state_machine.h"

namespace weir::dp {
namespace {

constexpr uint8_t kProtoUdp = 17;
constexpr uint64_t kTicksPerSecond = 100;
constexpr uint64_t kMaxTimeoutTicks = uint64_t{1} << 30;

// Wheel ticks are 32-bit and wrap (after ~497 days at 10 ms); comparisons are
// modular, valid while the distance is under 2^31 ticks.
inline bool tick_before(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) < 0; }

}  // namespace

FlowTimeouts make_flow_timeouts(const config::FlowConfig& cfg, uint64_t tsc_hz) {
  return FlowTimeouts{
      .syn_tsc = cfg.tcp_syn_timeout_s * tsc_hz,
      .established_tsc = cfg.tcp_established_timeout_s * tsc_hz,
      .closed_tsc = cfg.tcp_closed_timeout_s * tsc_hz,
      .udp_tsc = cfg.udp_timeout_s * tsc_hz,
      .other_tsc = cfg.other_timeout_s * tsc_hz,
      .lifetime_tsc = cfg.lifetime_s * tsc_hz,
  };
}

FlowTable::FlowTable(uint32_t capacity, const FlowTimeouts& timeouts, uint64_t tsc_hz)
    : capacity_(std::max<uint32_t>(capacity, 1)),
      timeouts_(timeouts),
      tick_tsc_(std::max<uint64_t>(tsc_hz / kTicksPerSecond, 1)),
      flows_(static_cast<size_t>(capacity_) + 1),
      buckets_(std::bit_ceil(std::max<uint32_t>(capacity_, 2))),
      wheel_(std::clamp(std::bit_ceil(capacity_ / 16), kMinWheelSlots, kMaxWheelSlots)) {
  bucket_shift_ = 32 - static_cast<uint32_t>(std::countr_zero(buckets_.size()));
  wheel_mask_ = static_cast<uint32_t>(wheel_.size()) - 1;
  const uint64_t max_tsc = kMaxTimeoutTicks * tick_tsc_;
  for (uint64_t* t : {&timeouts_.syn_tsc, &timeouts_.established_tsc, &timeouts_.closed_tsc,
                      &timeouts_.udp_tsc, &timeouts_.other_tsc, &timeouts_.lifetime_tsc}) {
    *t = std::min(*t, max_tsc);
  }
  reset_storage();
}

void FlowTable::reset_storage() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  std::fill(wheel_.begin(), wheel_.end(), 0);
  for (uint32_t i = 1; i <= capacity_; ++i) flows_[i].chain_next = i < capacity_ ? i + 1 : 0;
  free_head_ = 1;
  evict_hand_ = 1;
  wheel_cursor_ = kCursorAtHead;
  stats_.active = 0;
}

void FlowTable::clear() { reset_storage(); }

size_t FlowTable::bytes_per_flow() const {
  const size_t total = flows_.size() * sizeof(Flow) + buckets_.size() * sizeof(uint32_t) +
                       wheel_.size() * sizeof(uint32_t);
  return (total + capacity_ - 1) / capacity_;
}

uint64_t FlowTable::idle_timeout(const Flow& f) const {
  if (f.key.proto == kProtoTcp) {
    switch (f.tcp_state) {
      case TcpState::None:
      case TcpState::SynSent:
      case TcpState::SynReceived:
        return timeouts_.syn_tsc;
      case TcpState::Closed:
        return timeouts_.closed_tsc;
      case TcpState::Established:
      case TcpState::Closing:
      case TcpState::MidStream:
        return timeouts_.established_tsc;
    }
  }
  return f.key.proto == kProtoUdp ? timeouts_.udp_tsc : timeouts_.other_tsc;
}

uint64_t FlowTable::deadline(const Flow& f) const {
  return std::min(f.last_seen_tsc + idle_timeout(f), f.created_tsc + timeouts_.lifetime_tsc);
}

void FlowTable::arm(uint32_t idx, uint64_t deadline_tsc) {
  uint32_t due = static_cast<uint32_t>((deadline_tsc + tick_tsc_ - 1) / tick_tsc_);
  // Never behind the wheel; and behind a mid-slot cursor only from the next tick.
  const uint32_t earliest = wheel_tick_ + (wheel_cursor_ == kCursorAtHead ? 0 : 1);
  if (tick_before(due, earliest)) due = earliest;
  Flow& f = flows_[idx];
  const uint32_t slot = due & wheel_mask_;
  f.timer_due = due;
  f.timer_prev = 0;
  f.timer_next = wheel_[slot];
  if (f.timer_next != 0) flows_[f.timer_next].timer_prev = idx;
  wheel_[slot] = idx;
}

void FlowTable::timer_unlink(uint32_t idx) {
  Flow& f = flows_[idx];
  if (wheel_cursor_ == idx) wheel_cursor_ = f.timer_next;
  if (f.timer_prev != 0) {
    flows_[f.timer_prev].timer_next = f.timer_next;
  } else {
    wheel_[f.timer_due & wheel_mask_] = f.timer_next;
  }
  if (f.timer_next != 0) flows_[f.timer_next].timer_prev = f.timer_prev;
  f.timer_next = f.timer_prev = 0;
}

void FlowTable::remove(uint32_t idx, FlowEnd why) {
  Flow& f = flows_[idx];
  if (remove_hook_ != nullptr) remove_hook_(remove_ctx_, f, why);
  uint32_t* link = &buckets_[bucket_of(flow_hash(f.key))];
  while (*link != idx) link = &flows_[*link].chain_next;
  *link = f.chain_next;
  timer_unlink(idx);
  f.chain_next = free_head_;
  free_head_ = idx;
  --stats_.active;
  switch (why) {
    case FlowEnd::Closed: ++stats_.closed; break;
    case FlowEnd::Expired: ++stats_.expired; break;
    case FlowEnd::Evicted: ++stats_.evicted; break;
    case FlowEnd::LifetimeExceeded: ++stats_.lifetime; break;
  }
}

// At the cap a flow must go (every slot is in use then). The least recently
// seen of a window of slots goes: an approximate LRU, as Redis samples keys,
// kept without a recency list that every packet would have to relink (two
// random lines written per packet at 1M flows). The window slides past each
// victim, so successive evictions see new slots. Under a SYN flood the least
// recently seen is exactly the established connection that went quiet for a
// moment: evicting it would let its next bytes be picked up mid-stream with
// no context. So in the window, the oldest flow that never completed a
// handshake (or already closed) goes first.
uint32_t FlowTable::eviction_victim() {
  const uint32_t look = std::min<uint32_t>(kEvictionWindow, capacity_);
  uint32_t oldest = 0, oldest_weak = 0;
  uint32_t idx = evict_hand_;
  for (uint32_t i = 0; i < look; ++i, idx = idx == capacity_ ? 1 : idx + 1) {
    const Flow& f = flows_[idx];
    if (oldest == 0 || f.last_seen_tsc < flows_[oldest].last_seen_tsc) oldest = idx;
    const bool weak = f.tcp_state == TcpState::SynSent || f.tcp_state == TcpState::SynReceived ||
                      f.tcp_state == TcpState::Closed;
    if (weak && (oldest_weak == 0 || f.last_seen_tsc < flows_[oldest_weak].last_seen_tsc)) oldest_weak = idx;
  }
  const uint32_t victim = oldest_weak != 0 ? oldest_weak : oldest;
  evict_hand_ = victim == capacity_ ? 1 : victim + 1;
  return victim;
}

Flow* FlowTable::create(const FlowKey& key, uint32_t hash, bool src_is_lo, uint64_t now_tsc) {
  if (!wheel_primed_) {
    wheel_tick_ = tick_of(now_tsc);
    wheel_primed_ = true;
  }
  if (free_head_ == 0) remove(eviction_victim(), FlowEnd::Evicted);
  const uint32_t idx = free_head_;
  Flow& f = flows_[idx];
  free_head_ = f.chain_next;
  f = Flow{};
  f.key = key;
  f.initiator_is_lo = src_is_lo;
  f.created_tsc = f.last_seen_tsc = now_tsc;
  uint32_t& head = buckets_[bucket_of(hash)];
  f.chain_next = head;
  head = idx;
  arm(idx, deadline(f));
  ++stats_.active;
  ++stats_.created;
  return &f;
}

void FlowTable::tcp_transition(Flow& flow, bool from_initiator, uint8_t tcp_flags) {
  const uint32_t idx = index_of(flow);
  const TcpState next = tcp_next_state(flow.tcp_state, flow.fin_seen, from_initiator, tcp_flags);
  if (next == flow.tcp_state) return;
  flow.tcp_state = next;
  const uint64_t d = deadline(flow);
  const uint32_t due = static_cast<uint32_t>((d + tick_tsc_ - 1) / tick_tsc_);
  if (tick_before(due, flow.timer_due)) {  // the timeout got shorter (e.g. closed)
    timer_unlink(idx);
    arm(idx, d);
  }
}

uint32_t FlowTable::expire(uint64_t now_tsc, uint32_t budget) {
  const uint32_t now_tick = tick_of(now_tsc);
  if (!wheel_primed_) {
    wheel_tick_ = now_tick;
    wheel_primed_ = true;
  }
  uint32_t removed = 0;
  uint32_t examined = 0;
  uint32_t slots = 0;
  while (!tick_before(now_tick, wheel_tick_)) {
    // A slot resumed mid-way does not count towards the full turn: entries
    // before the cursor were examined against an older `now`.
    const bool from_head = wheel_cursor_ == kCursorAtHead;
    if (from_head) wheel_cursor_ = wheel_[wheel_tick_ & wheel_mask_];
    while (wheel_cursor_ != 0) {
      if (examined == budget) return removed;
      ++examined;
      const uint32_t idx = wheel_cursor_;
      Flow& f = flows_[idx];
      wheel_cursor_ = f.timer_next;
      if (tick_before(now_tick, f.timer_due)) continue;  // due on a later turn
      const uint64_t idle_end = f.last_seen_tsc + idle_timeout(f);
      const uint64_t life_end = f.created_tsc + timeouts_.lifetime_tsc;
      if (now_tsc >= idle_end) {
        remove(idx, f.tcp_state == TcpState::Closed ? FlowEnd::Closed : FlowEnd::Expired);
        ++removed;
      } else if (now_tsc >= life_end) {
        remove(idx, FlowEnd::LifetimeExceeded);
        ++removed;
      } else {
        timer_unlink(idx);
        arm(idx, std::min(idle_end, life_end));
      }
    }
    wheel_cursor_ = kCursorAtHead;
    ++wheel_tick_;
    if (from_head && ++slots == wheel_.size()) {  // a whole turn visited every entry
      wheel_tick_ = now_tick + 1;
      break;
    }
  }
  return removed;
}

}  // namespace weir::dp
