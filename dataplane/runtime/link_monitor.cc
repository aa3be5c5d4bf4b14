#include "dataplane/runtime/link_monitor.h"

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_log.h>

namespace weir::dp {

LinkMonitor::LinkMonitor(DataplaneContext& ctx) : ctx_(ctx) {
  for (auto& pair : ctx_.pairs)
    for (int s = 0; s < 2; ++s) {
      rte_eth_link link{};
      rte_eth_link_get_nowait(pair.port[s], &link);
      pair.link_up[s] = link.link_status == RTE_ETH_LINK_UP;
      last_read_[pair.port[s]] = pair.link_up[s];
    }
}

bool LinkMonitor::set_link(PortPair& pair, int side, bool up, const char* why) {
  uint16_t pid = pair.port[side];
  int rc = up ? rte_eth_dev_set_link_up(pid) : rte_eth_dev_set_link_down(pid);
  if (rc == 0) {
    RTE_LOG(WARNING, USER1, "pair %s: %s port %u link %s (%s)\n", pair.name.c_str(),
            side == 0 ? "client" : "server", pid, up ? "up" : "down", why);
    return true;
  }
  if (pair.link_control_supported[side]) {
    rte_eth_dev_info info{};
    rte_eth_dev_info_get(pid, &info);
    RTE_LOG(ERR, USER1,
            "pair %s: cannot set link %s on port %u (driver %s: %s); link state is NOT propagated "
            "on this port\n",
            pair.name.c_str(), up ? "up" : "down", pid, info.driver_name ? info.driver_name : "?",
            rc == -ENOTSUP ? "not supported by the PMD" : rte_strerror(-rc));
    pair.link_control_supported[side] = false;
  }
  return false;
}

void LinkMonitor::poll(uint64_t now_tsc) {
  if (now_tsc < next_poll_tsc_) return;
  next_poll_tsc_ = now_tsc + ctx_.tsc_hz / 10;
  for (auto& pair : ctx_.pairs) {
    bool up_now[2];
    for (int s = 0; s < 2; ++s) {
      rte_eth_link link{};
      rte_eth_link_get_nowait(pair.port[s], &link);
      up_now[s] = link.link_status == RTE_ETH_LINK_UP;
    }
    // A state counts once it was read twice in a row (100 ms apart): links
    // report asynchronously while a port starts (tap, af_packet follow the
    // kernel's operstate), and a blip must not take the peer down.
    for (int s = 0; s < 2; ++s) {
      uint16_t pid = pair.port[s];
      if (up_now[s] != last_read_[pid]) {
        last_read_[pid] = up_now[s];
        up_now[s] = pair.link_up[s];  // not confirmed yet
      }
    }
    for (int s = 0; s < 2; ++s) {
      int peer = 1 - s;
      bool went_down = pair.link_up[s] && !up_now[s] && !pair.forced_down[s];
      bool came_up = !pair.link_up[s] && up_now[s] && !pair.forced_down[s];
      if (pair.link_propagation && went_down && !pair.forced_down[peer]) {
        if (set_link(pair, peer, false, "peer link went down")) {
          pair.forced_down[peer] = true;
          ++propagations_;
        }
      } else if (pair.link_propagation && came_up && pair.forced_down[peer] &&
                 !held_down_by_watchdog_[pair.port[peer]]) {
        if (set_link(pair, peer, true, "peer link is back")) {
          pair.forced_down[peer] = false;
          ++propagations_;
        }
      }
    }
    for (int s = 0; s < 2; ++s) pair.link_up[s] = up_now[s];
  }
}

void LinkMonitor::force_pair_down(size_t p) {
  PortPair& pair = ctx_.pairs[p];
  for (int s = 0; s < 2; ++s) {
    held_down_by_watchdog_[pair.port[s]] = true;
    if (!pair.forced_down[s] && set_link(pair, s, false, "fail closed")) pair.forced_down[s] = true;
  }
}

void LinkMonitor::release_pair(size_t p) {
  PortPair& pair = ctx_.pairs[p];
  for (int s = 0; s < 2; ++s) {
    held_down_by_watchdog_[pair.port[s]] = false;
    if (pair.forced_down[s] && set_link(pair, s, true, "fail closed released")) pair.forced_down[s] = false;
  }
}

}  // namespace weir::dp
