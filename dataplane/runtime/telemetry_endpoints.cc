#include "dataplane/runtime/telemetry_endpoints.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "dataplane/runtime/counter_snapshot.h"
#include "dataplane/runtime/dataplane_context.h"
#include "dataplane/runtime/worker.h"

namespace weir::dp {
namespace {

DataplaneContext* g_ctx = nullptr;  // telemetry callbacks take no user pointer

void add_counters(rte_tel_data* d, const NamedCounters& counters) {
  for (const auto& [name, value] : counters) rte_tel_data_add_dict_u64(d, name.c_str(), value);
}

int stats_cmd(const char*, const char*, rte_tel_data* d) {
  rte_tel_data_start_dict(d);
  add_counters(d, collect_counters(*g_ctx));
  rte_tel_data_add_dict_u64(d, "workers", g_ctx->n_workers);
  rte_tel_data_add_dict_u64(d, "blocklist_entries", g_ctx->blocklist->get() ? g_ctx->blocklist->get()->size() : 0);
  return 0;
}

int workers_cmd(const char*, const char*, rte_tel_data* d) {
  rte_tel_data_start_dict(d);
  for (const auto& w : g_ctx->workers) {
    rte_tel_data* sub = rte_tel_data_alloc();
    if (sub == nullptr) return -ENOMEM;
    rte_tel_data_start_dict(sub);
    rte_tel_data_add_dict_u64(sub, "lcore", w->lcore());
    rte_tel_data_add_dict_u64(sub, "heartbeat", w->heartbeat.load(std::memory_order_relaxed));
    add_counters(sub, collect_counters(*g_ctx, static_cast<int>(w->index())));
    std::string name = "worker" + std::to_string(w->index());
    rte_tel_data_add_dict_container(d, name.c_str(), sub, 0);
  }
  return 0;
}

int latency_cmd(const char*, const char*, rte_tel_data* d) {
  LatencyHistogram h = collect_latency(*g_ctx);
  rte_tel_data_start_dict(d);
  rte_tel_data_add_dict_u64(d, "samples", h.total());
  rte_tel_data_add_dict_u64(d, "p50_ns", h.quantile_ns(0.50));
  rte_tel_data_add_dict_u64(d, "p90_ns", h.quantile_ns(0.90));
  rte_tel_data_add_dict_u64(d, "p99_ns", h.quantile_ns(0.99));
  rte_tel_data_add_dict_u64(d, "p999_ns", h.quantile_ns(0.999));
  rte_tel_data_add_dict_u64(d, "sample_every", g_ctx->cfg->telemetry.latency_sample_every);
  return 0;
}

int ports_cmd(const char*, const char*, rte_tel_data* d) {
  rte_tel_data_start_dict(d);
  for (const auto& pair : g_ctx->pairs) {
    for (int s = 0; s < 2; ++s) {
      uint16_t pid = pair.port[s];
      rte_tel_data* sub = rte_tel_data_alloc();
      if (sub == nullptr) return -ENOMEM;
      rte_tel_data_start_dict(sub);
      char name[RTE_ETH_NAME_MAX_LEN] = "?";
      rte_eth_dev_get_name_by_port(pid, name);
      rte_tel_data_add_dict_string(sub, "name", name);
      rte_tel_data_add_dict_string(sub, "pair", pair.name.c_str());
      rte_tel_data_add_dict_string(sub, "side", s == 0 ? "client" : "server");
      rte_eth_link link{};
      rte_eth_link_get_nowait(pid, &link);
      rte_tel_data_add_dict_string(sub, "link", link.link_status ? "up" : "down");
      rte_tel_data_add_dict_u64(sub, "forced_down", pair.forced_down[s]);
      rte_eth_stats st{};
      rte_eth_stats_get(pid, &st);
      rte_tel_data_add_dict_u64(sub, "ipackets", st.ipackets);
      rte_tel_data_add_dict_u64(sub, "opackets", st.opackets);
      rte_tel_data_add_dict_u64(sub, "imissed", st.imissed);
      rte_tel_data_add_dict_u64(sub, "ierrors", st.ierrors);
      rte_tel_data_add_dict_u64(sub, "oerrors", st.oerrors);
      rte_tel_data_add_dict_container(d, (std::string("port") + std::to_string(pid)).c_str(), sub, 0);
    }
  }
  return 0;
}

const char* mode_name(PairMode m) {
  switch (m) {
    case PairMode::Inspect: return "inspect";
    case PairMode::Bypass: return "bypass";
    case PairMode::FailClosed: return "fail_closed";
  }
  return "?";
}

int pairs_cmd(const char*, const char*, rte_tel_data* d) {
  rte_tel_data_start_dict(d);
  for (const auto& pair : g_ctx->pairs) rte_tel_data_add_dict_string(d, pair.name.c_str(), mode_name(pair.mode.load()));
  return 0;
}

// /weir/test/stall,<worker>,<ms>: make a worker spin without a heartbeat, so
// tests can prove the watchdog and the fail mode.
int stall_cmd(const char*, const char* params, rte_tel_data* d) {
  if (params == nullptr) return -EINVAL;
  char* end = nullptr;
  unsigned long w = std::strtoul(params, &end, 10);
  if (end == params || *end != ',') return -EINVAL;
  unsigned long ms = std::strtoul(end + 1, nullptr, 10);
  if (w >= g_ctx->workers.size() || ms == 0 || ms > 60000) return -EINVAL;
  g_ctx->workers[w]->test_stall_ms.store(static_cast<uint32_t>(ms));
  rte_tel_data_start_dict(d);
  rte_tel_data_add_dict_u64(d, "stalling_worker", w);
  rte_tel_data_add_dict_u64(d, "ms", ms);
  return 0;
}

// /weir/test/alert,<worker>,<count>: the worker raises test alerts through its
// event ring, as a detector would.
int alert_cmd(const char*, const char* params, rte_tel_data* d) {
  if (params == nullptr) return -EINVAL;
  char* end = nullptr;
  unsigned long w = std::strtoul(params, &end, 10);
  if (end == params || *end != ',') return -EINVAL;
  unsigned long count = std::strtoul(end + 1, nullptr, 10);
  if (w >= g_ctx->workers.size() || count == 0 || count > 1000000) return -EINVAL;
  g_ctx->workers[w]->test_alerts.fetch_add(static_cast<uint32_t>(count));
  rte_tel_data_start_dict(d);
  rte_tel_data_add_dict_u64(d, "worker", w);
  rte_tel_data_add_dict_u64(d, "alerts", count);
  return 0;
}

}  // namespace

void register_telemetry(DataplaneContext& ctx) {
  g_ctx = &ctx;
  rte_telemetry_register_cmd("/weir/stats", stats_cmd, "Weir counters summed over workers. No parameters");
  rte_telemetry_register_cmd("/weir/workers", workers_cmd, "Weir counters per worker. No parameters");
  rte_telemetry_register_cmd("/weir/latency", latency_cmd, "Time-in-box percentiles (ns). No parameters");
  rte_telemetry_register_cmd("/weir/ports", ports_cmd, "Weir ports: pair, side, link, stats. No parameters");
  rte_telemetry_register_cmd("/weir/pairs", pairs_cmd, "Weir pairs and their mode. No parameters");
  if (ctx.test_hooks)
  {
    rte_telemetry_register_cmd("/weir/test/stall", stall_cmd, "Test hook: stall a worker. Parameters: worker,ms");
    rte_telemetry_register_cmd("/weir/test/alert", alert_cmd, "Test hook: raise alerts. Parameters: worker,count");
  }
}

}  // namespace weir::dp
