#pragma once
// The main lcore's service loop: watchdog, link state, blocklist expiry and
// RCU reclamation, and (when present) the control-plane link. Never touches
// packets; sleeps ~1 ms between rounds.

#include <cstdint>

#include "dataplane/runtime/dataplane_context.h"

namespace weir::dp {

class ServiceHook {
 public:
  virtual ~ServiceHook() = default;
  /// Called every round on the main lcore.
  virtual void poll(uint64_t now_tsc) = 0;
};

/// Runs until ctx.quit. `extra` may be null.
void run_main_loop(DataplaneContext& ctx, ServiceHook* extra);

}  // namespace weir::dp
