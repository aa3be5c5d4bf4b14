#pragma once
// Watchdog (main lcore): a worker whose heartbeat has not moved for
// watchdog.stall_ms while it was not asleep is stuck. With action fail_mode,
// every pair then applies its fail mode — open: the other workers bridge its
// traffic uninspected (Bypass); closed: traffic is dropped and the pair's
// links are brought down so upstream fails over. When the worker's heartbeat
// moves again the pairs return to inspection.

#include <cstdint>
#include <vector>

#include "dataplane/runtime/dataplane_context.h"

namespace weir::dp {

class LinkMonitor;

class Watchdog {
 public:
  Watchdog(DataplaneContext& ctx, LinkMonitor& links);
  void poll(uint64_t now_tsc);

  uint64_t stalls_detected() const { return stalls_detected_; }
  uint64_t recoveries() const { return recoveries_; }
  bool any_stalled() const { return n_stalled_ != 0; }

 private:
  struct State {
    uint64_t last_heartbeat = 0;
    uint64_t last_change_tsc = 0;
    bool stalled = false;
  };
  void apply_fail_mode(bool stalled);

  DataplaneContext& ctx_;
  LinkMonitor& links_;
  std::vector<State> state_;
  unsigned n_stalled_ = 0;
  uint64_t stalls_detected_ = 0;
  uint64_t recoveries_ = 0;
};

}  // namespace weir::dp
