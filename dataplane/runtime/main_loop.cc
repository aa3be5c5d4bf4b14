#include "dataplane/runtime/main_loop.h"

#include <unistd.h>

#include <rte_cycles.h>

#include "dataplane/runtime/link_monitor.h"
#include "dataplane/runtime/watchdog.h"

namespace weir::dp {

void run_main_loop(DataplaneContext& ctx, ServiceHook* extra) {
  LinkMonitor links(ctx);
  Watchdog watchdog(ctx, links);
  while (!ctx.quit.load(std::memory_order_relaxed)) {
    uint64_t now = rte_rdtsc();
    watchdog.poll(now);
    links.poll(now);
    if (extra != nullptr) extra->poll(now);
    ctx.blocklist->reclaim();
    ctx.policy->reclaim();
    if (ctx.detection) ctx.detection->reclaim();
    usleep(1000);
  }
}

}  // namespace weir::dp
