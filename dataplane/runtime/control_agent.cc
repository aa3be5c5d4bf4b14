#include "dataplane/runtime/control_agent.h"

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_log.h>

#include "dataplane/runtime/counter_snapshot.h"
#include "dataplane/runtime/flow_dump.h"
#include "dataplane/runtime/worker.h"

namespace weir::dp {
namespace {

uint64_t unix_ms() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

uint64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

std::string ControlAgent::known_good_path(const std::string& state_dir) {
  return state_dir.empty() ? std::string() : state_dir + "/known-good.yaml";
}

ControlAgent::ControlAgent(DataplaneContext& ctx, std::string state_dir)
    : ctx_(ctx), state_dir_(std::move(state_dir)) {}

bool ControlAgent::start(std::string& err) {
  ControlLinkOptions opt;
  opt.control = ctx_.cfg->control;
  opt.workers = ctx_.n_workers;
  link_ = ControlLink::create(opt, *this, *this, err);
  if (!link_) return false;
  ctx_.event_rings.clear();
  for (unsigned k = 0; k < ctx_.n_workers; ++k) ctx_.event_rings.push_back(&link_->worker_ring(k));
  return true;
}

void ControlAgent::poll(uint64_t now_tsc) {
  if (now_tsc >= next_expiry_check_tsc_) {
    next_expiry_check_tsc_ = now_tsc + ctx_.tsc_hz / 4;
    if (blocks_.expire(unix_ms())) publish_blocklist();
  }
  if (link_) link_->poll(monotonic_ns());
}

void ControlAgent::publish_blocklist() {
  ctx_.blocklist->publish(std::make_unique<BlocklistSnapshot>(blocks_.entries(), ++blocklist_generation_));
}

CommandResult ControlAgent::on_block(const config::Cidr& cidr, uint32_t ttl_s) {
  uint64_t expires = ttl_s == 0 ? 0 : unix_ms() + uint64_t{ttl_s} * 1000;
  if (blocks_.add(cidr, expires)) publish_blocklist();
  RTE_LOG(NOTICE, USER1, "blocklist: %s blocked (%s)\n", cidr.to_string().c_str(),
          ttl_s ? (std::to_string(ttl_s) + " s").c_str() : "no expiry");
  return {};
}

CommandResult ControlAgent::on_unblock(const config::Cidr& cidr) {
  if (!blocks_.remove(cidr)) return {false, cidr.to_string() + " is not blocked"};
  publish_blocklist();
  RTE_LOG(NOTICE, USER1, "blocklist: %s unblocked\n", cidr.to_string().c_str());
  return {};
}

CommandResult ControlAgent::on_mode(bool block) {
  ctx_.monitor_mode.store(!block);
  RTE_LOG(NOTICE, USER1, "mode: %s\n", block ? "block" : "monitor");
  return {};
}

CommandResult ControlAgent::on_config(const std::string& yaml, uint64_t generation) {
  std::unique_ptr<config::Config> next;
  try {
    next = std::make_unique<config::Config>(
        config::parse_config(yaml, "<weir-control generation " + std::to_string(generation) + ">",
                             config::config_base_dir(ctx_.cfg->source)));  // protoset paths as at start
  } catch (const config::ConfigError& e) {
    ++config_rejected_;
    return {false, config::format_error(e)};
  }
  std::vector<std::string> restart = restart_needed(*ctx_.cfg, *next);
  ctx_.policy->publish(std::make_unique<LivePolicy>(*next, generation));
  config_generation_ = generation;
  ++config_applied_;
  if (!state_dir_.empty()) {
    // Write-then-rename: a crash never leaves a half-written known-good file.
    mkdir(state_dir_.c_str(), 0700);
    std::string path = known_good_path(state_dir_), tmp = path + ".tmp";
    std::ofstream f(tmp, std::ios::trunc);
    f << "# last configuration pushed by weir-control, generation " << generation << "\n" << yaml;
    f.close();
    if (!f || std::rename(tmp.c_str(), path.c_str()) != 0)
      RTE_LOG(ERR, USER1, "cannot save known-good config to %s\n", path.c_str());
  }
  live_config_ = std::move(next);
  CommandResult r;
  if (!restart.empty()) {
    r.message = "applied; takes effect at the next start:";
    for (const auto& k : restart) r.message += " " + k;
  }
  RTE_LOG(NOTICE, USER1, "config generation %lu applied%s%s\n", static_cast<unsigned long>(generation),
          r.message.empty() ? "" : "; ", r.message.c_str());
  return r;
}

CommandResult ControlAgent::on_reload_rules() {
  const std::string dir = config::resolve_rules_dir(*ctx_.cfg);
  if (dir.empty() || !ctx_.detection) {
    ++rules_reload_failed_;
    return {false, "no rules folder configured (rules.dir)"};
  }
  // Compiling here blocks the main lcore for the compile time, never a worker:
  // workers keep forwarding with the current generation until the switch.
  const DetectionGeneration* current = ctx_.detection->get();
  const uint64_t next = (current != nullptr ? current->generation : 0) + 1;
  DetectionBuild built = build_detection(dir, ctx_.n_workers, next);
  if (!built.result) {
    ++rules_reload_failed_;
    RTE_LOG(ERR, USER1, "rules reload refused: %s\n", built.error.c_str());
    return {false, built.error};
  }
  const double ms = built.result->compile_ms;
  rules_count_ = built.result->rules;
  rules_reload_us_ = static_cast<uint64_t>(ms * 1000);
  ++rules_reloads_;
  char msg[160];
  std::snprintf(msg, sizeof msg, "generation %lu: %zu rules from %s compiled in %.1f ms",
                static_cast<unsigned long>(next), built.result->rules, dir.c_str(), ms);
  ctx_.detection->publish(std::move(built.result));
  RTE_LOG(NOTICE, USER1, "rules reload: %s\n", msg);
  return {true, msg};
}

void ControlAgent::on_flow_query(const FlowQuery& query, FlowQueryReply& reply) {
  std::optional<config::Cidr> filter;
  if (query.has_filter) filter = query.filter;
  size_t limit = std::clamp<size_t>(query.limit, 1, FlowDumpMailbox::kMaxFlows);
  for (auto& w : ctx_.workers) w->flow_dump.request(filter, limit);
  // Workers answer within one expiry tick (10 ms); a stuck worker is skipped after 200 ms.
  uint64_t deadline = rte_rdtsc() + ctx_.tsc_hz / 5;
  std::vector<FlowDumpEntry> all;
  for (auto& w : ctx_.workers) {
    while (!w->flow_dump.done() && rte_rdtsc() < deadline) usleep(500);
    if (w->flow_dump.done()) {
      all.insert(all.end(), w->flow_dump.results().begin(), w->flow_dump.results().end());
      w->flow_dump.reset();
    }
  }
  for (auto& w : ctx_.workers) reply.total_flows += w->flows().stats().active;
  auto weight = [&](const FlowDumpEntry& e) {
    return query.sort_by_packets ? e.packets[0] + e.packets[1] : e.bytes[0] + e.bytes[1];
  };
  std::sort(all.begin(), all.end(), [&](const auto& a, const auto& b) { return weight(a) > weight(b); });
  reply.truncated = all.size() > query.limit;
  if (all.size() > query.limit) all.resize(query.limit);
  for (const auto& e : all) {
    FlowSummary s;
    s.worker = e.worker;
    s.proto = e.key.proto;
    bool lo_is_client = e.initiator_is_lo;
    s.client_addr = lo_is_client ? e.key.lo_addr : e.key.hi_addr;
    s.client_port = lo_is_client ? e.key.lo_port : e.key.hi_port;
    s.server_addr = lo_is_client ? e.key.hi_addr : e.key.lo_addr;
    s.server_port = lo_is_client ? e.key.hi_port : e.key.lo_port;
    s.packets = e.packets[0] + e.packets[1];
    s.bytes = e.bytes[0] + e.bytes[1];
    s.age_ms = e.age_ms;
    s.idle_ms = e.idle_ms;
    s.state = e.key.proto == 6 ? tcp_state_name(e.tcp_state) : (e.key.proto == 17 ? "udp" : "other");
    reply.flows.push_back(std::move(s));
  }
}

void ControlAgent::snapshot(std::vector<std::pair<std::string, uint64_t>>& out) {
  for (auto& kv : collect_counters(ctx_)) out.push_back(std::move(kv));
  for (const auto& w : ctx_.workers)
    for (auto& [name, v] : collect_counters(ctx_, static_cast<int>(w->index())))
      out.emplace_back("worker." + std::to_string(w->index()) + "." + name, v);
  out.emplace_back("blocklist_entries", blocks_.entries().size());
  out.emplace_back("blocklist_generation", blocklist_generation_);
  out.emplace_back("config_generation", config_generation_);
  out.emplace_back("config_applied", config_applied_);
  out.emplace_back("config_rejected", config_rejected_);
  const DetectionGeneration* det = ctx_.detection ? ctx_.detection->get() : nullptr;
  out.emplace_back("rules_generation", det != nullptr ? det->generation : 0);
  out.emplace_back("rules_count", det != nullptr ? det->rules : 0);
  out.emplace_back("rules_reloads", rules_reloads_);
  out.emplace_back("rules_reload_failed", rules_reload_failed_);
  out.emplace_back("rules_reload_us", rules_reload_us_);
  out.emplace_back("monitor_mode", ctx_.monitor_mode.load() ? 1 : 0);
  // Time-in-box buckets for weir-control's Prometheus histogram: cumulative
  // counts below each power of two (exact edges of LatencyHistogram's
  // buckets) and a sum estimated from bucket midpoints.
  const LatencyHistogram lat = collect_latency(ctx_);
  uint64_t below = 0;
  int bucket = 0;
  for (int k = 8; k <= 30; ++k) {
    const uint64_t edge = uint64_t{1} << k;
    for (; bucket < LatencyHistogram::kBuckets && LatencyHistogram::upper_bound_ns(bucket) < edge; ++bucket)
      below += lat.count(bucket);
    out.emplace_back("latency_le_ns." + std::to_string(edge), below);
  }
  double sum_ns = 0;
  for (int i = 0; i < LatencyHistogram::kBuckets; ++i) {
    const uint64_t lo = i == 0 ? 0 : LatencyHistogram::upper_bound_ns(i - 1) + 1;
    sum_ns += static_cast<double>(lat.count(i)) * static_cast<double>(lo + LatencyHistogram::upper_bound_ns(i)) / 2;
  }
  out.emplace_back("latency_sum_ns", static_cast<uint64_t>(sum_ns));
  for (size_t p = 0; p < ctx_.pairs.size(); ++p) {
    const PortPair& pair = ctx_.pairs[p];
    out.emplace_back("pair." + pair.name + ".mode", static_cast<uint64_t>(pair.mode.load()));
    for (int s = 0; s < 2; ++s) {
      char name[RTE_ETH_NAME_MAX_LEN] = "?";
      rte_eth_dev_get_name_by_port(pair.port[s], name);
      std::string prefix = std::string("port.") + name + ".";
      rte_eth_stats st{};
      rte_eth_stats_get(pair.port[s], &st);
      rte_eth_link link{};
      rte_eth_link_get_nowait(pair.port[s], &link);
      out.emplace_back(prefix + "link_up", link.link_status == RTE_ETH_LINK_UP ? 1 : 0);
      out.emplace_back(prefix + "ipackets", st.ipackets);
      out.emplace_back(prefix + "opackets", st.opackets);
      out.emplace_back(prefix + "ibytes", st.ibytes);
      out.emplace_back(prefix + "obytes", st.obytes);
      out.emplace_back(prefix + "imissed", st.imissed);
      out.emplace_back(prefix + "ierrors", st.ierrors);
      out.emplace_back(prefix + "oerrors", st.oerrors);
    }
  }
}

}  // namespace weir::dp
