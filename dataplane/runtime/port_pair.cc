#include "dataplane/runtime/port_pair.h"

#include <cstring>

#include <rte_errno.h>

namespace weir::dp {
namespace {

// A symmetric Toeplitz key (0x6d5a repeated) makes RSS hash both directions of
// a flow to the same queue on PMDs that use the key as given.
constexpr uint8_t kSymmetricRssKey[52] = {
    0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d,
    0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
    0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d,
    0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a};

std::string where(const config::Config& cfg, int line, const std::string& key) {
  return cfg.source + ":" + std::to_string(line) + ": " + key + ": ";
}

PortSetupResult fail(std::string msg, bool config_error = false) {
  PortSetupResult r;
  r.error = std::move(msg);
  r.config_error = config_error;
  return r;
}

bool resolve(const config::Config& cfg, size_t pair_index, Side side, uint16_t& port_id,
             PortSetupResult& err) {
  const auto& pc = cfg.pairs[pair_index];
  const std::string& name = side == Side::Client ? pc.client_port : pc.server_port;
  int line = side == Side::Client ? pc.client_port_line : pc.server_port_line;
  std::string key = "pairs[" + std::to_string(pair_index) + "]." +
                    (side == Side::Client ? "client_port" : "server_port");
  if (rte_eth_dev_get_port_by_name(name.c_str(), &port_id) != 0) {
    std::string known;
    uint16_t pid;
    RTE_ETH_FOREACH_DEV(pid) {
      char n[RTE_ETH_NAME_MAX_LEN];
      if (rte_eth_dev_get_name_by_port(pid, n) == 0) known += (known.empty() ? "" : ", ") + std::string(n);
    }
    err = fail(where(cfg, line, key) + "no DPDK port named '" + name + "' (ports present: " +
                   (known.empty() ? "none; add --vdev or a PCI device" : known) + ")",
               true);
    return false;
  }
  return true;
}

}  // namespace

PortSetupResult check_port_names(const config::Config& cfg) {
  PortSetupResult err;
  for (size_t i = 0; i < cfg.pairs.size(); ++i) {
    uint16_t id;
    if (!resolve(cfg, i, Side::Client, id, err) || !resolve(cfg, i, Side::Server, id, err)) return err;
  }
  err.ok = true;
  return err;
}

PortSetupResult setup_port_pairs(const config::Config& cfg, unsigned n_workers, rte_mempool* pool,
                                 std::vector<PortPair>& pairs,
                                 PortMapEntry (&port_map)[RTE_MAX_ETHPORTS]) {
  PortSetupResult err;
  pairs = std::vector<PortPair>(cfg.pairs.size());
  for (size_t i = 0; i < cfg.pairs.size(); ++i) {
    const auto& pc = cfg.pairs[i];
    PortPair& pp = pairs[i];
    pp.name = pc.name;
    pp.fail = pc.fail;
    pp.link_propagation = pc.link_propagation;
    pp.configured_mode = pc.mode == config::PairRunMode::Bypass ? PairMode::Bypass : PairMode::Inspect;
    pp.mode.store(pp.configured_mode);
    for (Side side : {Side::Client, Side::Server}) {
      uint16_t pid;
      if (!resolve(cfg, i, side, pid, err)) return err;
      if (port_map[pid].used)
        return fail(where(cfg, pc.line, "pairs[" + std::to_string(i) + "]") + "port '" +
                        (side == Side::Client ? pc.client_port : pc.server_port) +
                        "' is already used by another pair",
                    true);
      pp.port[static_cast<int>(side)] = pid;
      port_map[pid] = PortMapEntry{static_cast<uint8_t>(i), side, true};
    }
    for (int s = 0; s < 2; ++s) port_map[pp.port[s]].peer_port = pp.port[1 - s];
  }

  for (auto& pp : pairs) {
    for (int s = 0; s < 2; ++s) {
      uint16_t pid = pp.port[s];
      rte_eth_dev_info info;
      if (int rc = rte_eth_dev_info_get(pid, &info); rc != 0)
        return fail("port " + std::to_string(pid) + ": cannot read device info: " + rte_strerror(-rc));
      if (info.max_rx_queues < n_workers || info.max_tx_queues < n_workers)
        return fail("port " + std::to_string(pid) + " (" + info.driver_name + ") has " +
                    std::to_string(info.max_rx_queues) + " RX / " + std::to_string(info.max_tx_queues) +
                    " TX queues; " + std::to_string(n_workers) + " workers need one each");

      rte_eth_conf conf{};
      conf.rxmode.mtu = cfg.dataplane.mtu;
      // Symmetric RSS where the device can hash; the worker checks ownership
      // in software either way (af_packet fanout, virtio and vmxnet3 are not
      // symmetric), so this is an optimisation, not a correctness rule.
      uint64_t want_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP;
      if (n_workers > 1 && (info.flow_type_rss_offloads & want_hf) != 0) {
        conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
        conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads & want_hf;
        if (info.hash_key_size == 40 || info.hash_key_size == 52) {
          conf.rx_adv_conf.rss_conf.rss_key = const_cast<uint8_t*>(kSymmetricRssKey);
          conf.rx_adv_conf.rss_conf.rss_key_len = info.hash_key_size;
        }
      }
      if (int rc = rte_eth_dev_configure(pid, n_workers, n_workers, &conf); rc != 0)
        return fail("port " + std::to_string(pid) + " (" + info.driver_name +
                    "): configure failed: " + rte_strerror(-rc));
      uint16_t nb_rx = static_cast<uint16_t>(cfg.dataplane.rx_ring);
      uint16_t nb_tx = static_cast<uint16_t>(cfg.dataplane.tx_ring);
      rte_eth_dev_adjust_nb_rx_tx_desc(pid, &nb_rx, &nb_tx);
      int socket = rte_eth_dev_socket_id(pid);
      for (unsigned q = 0; q < n_workers; ++q) {
        if (int rc = rte_eth_rx_queue_setup(pid, q, nb_rx, socket, nullptr, pool); rc != 0)
          return fail("port " + std::to_string(pid) + ": RX queue " + std::to_string(q) +
                      " setup failed: " + rte_strerror(-rc));
        if (int rc = rte_eth_tx_queue_setup(pid, q, nb_tx, socket, nullptr); rc != 0)
          return fail("port " + std::to_string(pid) + ": TX queue " + std::to_string(q) +
                      " setup failed: " + rte_strerror(-rc));
      }
      // A bridge must see every frame, whatever its destination MAC.
      if (int rc = rte_eth_promiscuous_enable(pid); rc != 0 && rc != -ENOTSUP)
        return fail("port " + std::to_string(pid) + ": promiscuous mode failed: " + rte_strerror(-rc));
      rte_eth_allmulticast_enable(pid);
      if (int rc = rte_eth_dev_start(pid); rc != 0)
        return fail("port " + std::to_string(pid) + ": start failed: " + rte_strerror(-rc));
    }
  }
  err.ok = true;
  return err;
}

void close_port_pairs(std::vector<PortPair>& pairs) {
  for (auto& pp : pairs)
    for (int s = 0; s < 2; ++s) {
      rte_eth_dev_stop(pp.port[s]);
      rte_eth_dev_close(pp.port[s]);
    }
}

}  // namespace weir::dp
