#pragma once
// DataplaneContext: what the main lcore sets up once and every worker reads:
// config, port pairs, hand-off rings, RCU state and published snapshots.
// Workers never write here except their own heartbeat/counter blocks.

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "config/weir_config.h"
#include "dataplane/runtime/detection_generation.h"
#include "detect/stream_signature/stream_signature_database.h"
#include "dataplane/runtime/blocklist.h"
#include "dataplane/runtime/live_policy.h"
#include "dataplane/runtime/port_pair.h"
#include "dataplane/runtime/rcu_publisher.h"

namespace weir::dp {

inline constexpr unsigned kMaxWorkers = 16;

class Worker;

class EventRing;

struct DataplaneContext {
  const config::Config* cfg = nullptr;  ///< the boot config: structure (lcores, ports, rings)
  std::vector<PortPair> pairs;
  PortMapEntry port_map[RTE_MAX_ETHPORTS] = {};
  unsigned n_workers = 0;
  std::vector<std::unique_ptr<Worker>> workers;
  /// handoff[from][to]: single-producer/single-consumer ring of mbufs that
  /// arrived on worker `from` but belong to worker `to`.
  rte_ring* handoff[kMaxWorkers][kMaxWorkers] = {};
  rte_rcu_qsbr* qsbr = nullptr;
  std::unique_ptr<RcuPublisher<BlocklistSnapshot>> blocklist;
  std::unique_ptr<RcuPublisher<LivePolicy>> policy;  ///< what workers read per packet
  std::vector<EventRing*> event_rings;  ///< per worker; empty until the control link exists
  std::atomic<bool> quit{false};
  std::atomic<bool> monitor_mode{false};  ///< decide and alert, never drop (verdict drops only)
  uint64_t tsc_hz = 0;
  rte_mempool* pool = nullptr;
  /// Stream signatures (configs/rules, zones: [stream]); null or empty: none.
  const detect::StreamSignatureDatabase* stream_db = nullptr;
  /// HTTP rules, exceptions, scoring + per-worker engines (empty: parse only).
  std::unique_ptr<RcuPublisher<DetectionGeneration>> detection;
  int rx_tsc_dynfield = -1;  ///< mbuf dynamic field: RX timestamp (TSC) for time-in-box samples
  uint64_t rx_tsc_flag = 0;  ///< ol_flags bit: this mbuf carries an RX timestamp (0: not measured)
  bool test_hooks = false;   ///< --enable-test-hooks: telemetry commands that stall a worker
};

inline uint64_t& rx_tsc_of(rte_mbuf* m, int offset) { return *RTE_MBUF_DYNFIELD(m, offset, uint64_t*); }

}  // namespace weir::dp
