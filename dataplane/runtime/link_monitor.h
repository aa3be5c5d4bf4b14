#pragma once
// LinkMonitor (main lcore): watches link state of every port and propagates it
// inside a pair — one side down takes the other side down so the upstream
// router or switch fails over, and brings it back when the first side
// returns. Where the PMD cannot set link state it says so once, clearly.

#include <cstdint>
#include <string>

#include "dataplane/runtime/dataplane_context.h"

namespace weir::dp {

class LinkMonitor {
 public:
  explicit LinkMonitor(DataplaneContext& ctx);
  /// Polls link state (every ~100 ms of TSC) and propagates changes.
  void poll(uint64_t now_tsc);
  /// Fail-closed: take both ports of pair `p` down (watchdog).
  void force_pair_down(size_t p);
  /// Undo force_pair_down.
  void release_pair(size_t p);

  uint64_t propagations() const { return propagations_; }

 private:
  bool set_link(PortPair& pair, int side, bool up, const char* why);

  DataplaneContext& ctx_;
  uint64_t next_poll_tsc_ = 0;
  bool last_read_[RTE_MAX_ETHPORTS] = {};  ///< raw state of the previous poll (debounce)
  uint64_t propagations_ = 0;
  bool held_down_by_watchdog_[RTE_MAX_ETHPORTS] = {};
};

}  // namespace weir::dp
