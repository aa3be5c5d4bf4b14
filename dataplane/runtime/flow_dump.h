#pragma once
// Flow dumps for `weirctl flows`: the main lcore asks every worker for its top
// flows (by bytes, optionally only flows touching an address); each worker
// answers between bursts from its own table, so no table is ever read by
// another thread. The walk is bounded by the table size and done only on an
// operator's request.

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "config/cidr.h"
#include "dataplane/flow/flow.h"

namespace weir::dp {

struct FlowDumpEntry {
  FlowKey key;
  bool initiator_is_lo = true;
  TcpState tcp_state = TcpState::None;
  bool in_scope = true;
  unsigned worker = 0;
  uint64_t packets[2] = {0, 0};
  uint64_t bytes[2] = {0, 0};
  uint64_t age_ms = 0;
  uint64_t idle_ms = 0;
};

/// One worker's mailbox: written by the main lcore when Idle, by the worker when Requested.
class FlowDumpMailbox {
 public:
  enum class State : uint8_t { Idle, Requested, Done };
  static constexpr size_t kMaxFlows = 1000;

  /// Main lcore: ask for up to `limit` flows touching `filter` (all when empty).
  bool request(std::optional<config::Cidr> filter, size_t limit);
  /// Worker: answer a pending request from `table` (template: FlowTable).
  template <typename Table>
  void serve(const Table& table, unsigned worker, uint64_t now_tsc, uint64_t tsc_hz);
  /// Main lcore: true once answered; then results() is stable until the next request.
  bool done() const { return state_.load(std::memory_order_acquire) == State::Done; }
  const std::vector<FlowDumpEntry>& results() const { return results_; }
  void reset() { state_.store(State::Idle, std::memory_order_release); }

 private:
  bool matches(const FlowKey& k) const;
  void offer(const FlowDumpEntry& s);

  std::atomic<State> state_{State::Idle};
  std::optional<config::Cidr> filter_;
  size_t limit_ = 0;
  std::vector<FlowDumpEntry> results_;  ///< capacity reserved once (kMaxFlows)
};

template <typename Table>
void FlowDumpMailbox::serve(const Table& table, unsigned worker, uint64_t now_tsc, uint64_t tsc_hz) {
  if (state_.load(std::memory_order_acquire) != State::Requested) return;
  results_.clear();
  uint64_t per_ms = tsc_hz / 1000 ? tsc_hz / 1000 : 1;
  table.for_each([&](const Flow& f) {
    if (!matches(f.key)) return;
    FlowDumpEntry s;
    s.key = f.key;
    s.initiator_is_lo = f.initiator_is_lo;
    s.tcp_state = f.tcp_state;
    s.in_scope = f.in_scope;
    s.worker = worker;
    s.packets[0] = f.packets[0];
    s.packets[1] = f.packets[1];
    s.bytes[0] = f.bytes[0];
    s.bytes[1] = f.bytes[1];
    s.age_ms = now_tsc > f.created_tsc ? (now_tsc - f.created_tsc) / per_ms : 0;
    s.idle_ms = now_tsc > f.last_seen_tsc ? (now_tsc - f.last_seen_tsc) / per_ms : 0;
    offer(s);
  });
  state_.store(State::Done, std::memory_order_release);
}

const char* tcp_state_name(TcpState s);

}  // namespace weir::dp
