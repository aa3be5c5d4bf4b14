#include "dataplane/runtime/live_policy.h"

namespace weir::dp {

std::vector<std::string> restart_needed(const config::Config& a, const config::Config& b) {
  std::vector<std::string> keys;
  const auto& x = a.dataplane;
  const auto& y = b.dataplane;
  auto check = [&](bool differs, const char* key) {
    if (differs) keys.emplace_back(key);
  };
  check(x.workers != y.workers, "dataplane.workers");
  check(x.main_lcore != y.main_lcore, "dataplane.main_lcore");
  check(x.mbufs != y.mbufs || x.mbuf_cache != y.mbuf_cache, "dataplane.mbufs");
  check(x.rx_ring != y.rx_ring || x.tx_ring != y.tx_ring, "dataplane.rx_ring/tx_ring");
  check(x.handoff_ring != y.handoff_ring, "dataplane.handoff_ring");
  check(x.burst != y.burst, "dataplane.burst");
  check(x.idle_backoff_us != y.idle_backoff_us || x.idle_polls_before_sleep != y.idle_polls_before_sleep,
        "dataplane.idle_backoff_us");
  check(y.mtu > x.mtu, "dataplane.mtu (raised: mbufs are sized at start)");
  bool pairs_differ = a.pairs.size() != b.pairs.size();
  for (size_t i = 0; !pairs_differ && i < a.pairs.size(); ++i)
    pairs_differ = a.pairs[i].name != b.pairs[i].name || a.pairs[i].client_port != b.pairs[i].client_port ||
                   a.pairs[i].server_port != b.pairs[i].server_port;
  check(pairs_differ, "pairs (ports)");
  const auto& f = a.flow;
  const auto& g = b.flow;
  check(f.capacity != g.capacity || f.tcp_syn_timeout_s != g.tcp_syn_timeout_s ||
            f.tcp_established_timeout_s != g.tcp_established_timeout_s ||
            f.tcp_closed_timeout_s != g.tcp_closed_timeout_s || f.udp_timeout_s != g.udp_timeout_s ||
            f.other_timeout_s != g.other_timeout_s || f.lifetime_s != g.lifetime_s,
        "flow");
  check(a.control.socket != b.control.socket || a.control.spool != b.control.spool, "control");
  check(a.discovery.in_flight_per_worker != b.discovery.in_flight_per_worker, "discovery.in_flight_per_worker");
  check(a.discovery.custom_detectors != b.discovery.custom_detectors, "discovery.custom_detectors");
  return keys;
}

}  // namespace weir::dp
