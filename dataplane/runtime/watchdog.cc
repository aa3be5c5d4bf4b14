#include "dataplane/runtime/watchdog.h"

#include <rte_log.h>

#include "dataplane/runtime/link_monitor.h"
#include "dataplane/runtime/worker.h"

namespace weir::dp {

Watchdog::Watchdog(DataplaneContext& ctx, LinkMonitor& links)
    : ctx_(ctx), links_(links), state_(ctx.workers.size()) {}

void Watchdog::poll(uint64_t now_tsc) {
  const uint64_t stall_tsc = ctx_.cfg->watchdog.stall_ms * (ctx_.tsc_hz / 1000);
  bool changed = false;
  for (size_t i = 0; i < ctx_.workers.size(); ++i) {
    const Worker& w = *ctx_.workers[i];
    State& st = state_[i];
    uint64_t hb = w.heartbeat.load(std::memory_order_relaxed);
    if (hb != st.last_heartbeat || w.sleeping.load(std::memory_order_relaxed) || st.last_change_tsc == 0) {
      st.last_heartbeat = hb;
      st.last_change_tsc = now_tsc;
      if (st.stalled) {
        st.stalled = false;
        --n_stalled_;
        ++recoveries_;
        changed = true;
        RTE_LOG(WARNING, USER1, "watchdog: worker %zu (lcore %u) is running again\n", i, w.lcore());
      }
      continue;
    }
    if (!st.stalled && now_tsc - st.last_change_tsc > stall_tsc) {
      st.stalled = true;
      ++n_stalled_;
      ++stalls_detected_;
      changed = true;
      RTE_LOG(ERR, USER1, "watchdog: worker %zu (lcore %u) stuck for over %u ms\n", i, w.lcore(),
              ctx_.cfg->watchdog.stall_ms);
    }
  }
  if (changed && ctx_.cfg->watchdog.action == config::WatchdogAction::FailMode) apply_fail_mode(n_stalled_ != 0);
}

void Watchdog::apply_fail_mode(bool stalled) {
  for (size_t p = 0; p < ctx_.pairs.size(); ++p) {
    PortPair& pair = ctx_.pairs[p];
    PairMode next = pair.configured_mode;
    if (stalled) next = pair.fail == config::FailMode::Open ? PairMode::Bypass : PairMode::FailClosed;
    PairMode prev = pair.mode.exchange(next);
    if (prev == next) continue;
    RTE_LOG(WARNING, USER1, "pair %s: %s\n", pair.name.c_str(),
            !stalled ? "failure over, back to its configured mode"
            : next == PairMode::Bypass ? "fail open: bridging uninspected while a worker is stuck"
                                       : "fail closed: dropping and taking links down while a worker is stuck");
    if (next == PairMode::FailClosed) links_.force_pair_down(p);
    if (prev == PairMode::FailClosed) links_.release_pair(p);
  }
}

}  // namespace weir::dp
