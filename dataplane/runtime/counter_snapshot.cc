#include "dataplane/runtime/counter_snapshot.h"

#include <map>
#include <string>

#include "dataplane/runtime/worker.h"

namespace weir::dp {

NamedCounters collect_counters(const DataplaneContext& ctx, int only_worker) {
  std::vector<std::string> order;
  std::map<std::string, uint64_t> sums;
  auto add = [&](const char* name, uint64_t v) {
    auto [it, inserted] = sums.emplace(name, 0);
    if (inserted) order.emplace_back(name);
    it->second += v;
  };
  for (const auto& w : ctx.workers) {
    if (only_worker >= 0 && static_cast<int>(w->index()) != only_worker) continue;
    w->counters().visit(add);
    const FlowTableStats& f = w->flows().stats();
    add("flows_active", f.active);
    add("flows_created", f.created);
    add("flows_closed", f.closed);
    add("flows_expired", f.expired);
    add("flows_evicted", f.evicted);
    add("flows_lifetime_ended", f.lifetime);
    const StreamStats& st = w->stream().stats();
    for (size_t r = 0; r < static_cast<size_t>(SegmentReason::Count); ++r) {
      std::string name = std::string("tcp_") + segment_reason_name(static_cast<SegmentReason>(r));
      add(name.c_str(), st.segments[r]);
    }
    add("stream_bytes_delivered", st.bytes_delivered);
    const DefragStats& ds = w->defrag().stats();
    for (size_t r = 0; r < static_cast<size_t>(DefragReason::Count); ++r) {
      std::string name = std::string("frag_") + defrag_reason_name(static_cast<DefragReason>(r));
      add(name.c_str(), ds.reasons[r]);
    }
    add("frag_bytes_held", w->defrag().bytes_held());
    const StreamInspectorStats& is = w->inspector().stats();
    add("stream_sig_bytes_scanned", is.bytes_scanned);
    add("stream_sig_findings", is.findings);
    add("stream_sig_blocks", is.blocks);
    add("stream_sig_scanner_pool_exhausted", is.scanner_pool_exhausted);
    add("stream_sig_open_failed", is.open_failed);
    add("stream_sig_gaps", is.gaps);
    add("stream_sig_scanners_in_use", w->inspector().scanners_in_use());
    add("stream_memory_bytes", w->stream().memory().bytes_in_use());
    const L7InspectorStats& l7 = w->l7().stats();
    add("l7_http1_flows", l7.http1_flows);
    add("l7_http2_flows", l7.http2_flows);
    add("l7_websocket_flows", l7.websocket_flows);
    add("l7_upgrades_unparsed", l7.upgrades_unparsed);
    add("l7_state_bytes", w->l7().state_bytes());
    add("l7_other_flows", l7.other_flows);
    add("l7_midstream_flows", l7.midstream_flows);
    add("l7_parser_pool_exhausted", l7.parser_pool_exhausted);
    add("l7_parsers_in_use", w->l7().parsers_in_use());
    add("l7_decisions", l7.decisions);
    add("l7_fields", l7.fields);
    add("l7_scans", l7.scans);
    add("l7_alerts", l7.alerts);
    add("l7_blocks", l7.blocks);
    add("l7_monitor_passes", l7.monitor_passes);
    add("l7_parse_errors", l7.parse_errors);
    add("l7_resource_limits", l7.resource_limits);
    add("l7_upgrades", l7.upgrades);
    add("l7_scan_errors", l7.scan_errors);
    if (const ObservationEmitter* o = w->l7().observations()) {
      const ObservationStats& d = o->stats();
      add("discovery_requests", d.requests);
      add("discovery_sampled_out", d.sampled_out);
      add("discovery_pool_full", d.pool_full);
      add("discovery_records", d.records);
      add("discovery_emitted", d.emitted);
      add("discovery_chunks", d.chunks);
      add("discovery_ring_full", d.ring_full);
      add("discovery_no_link", d.no_link);
      add("discovery_unanswered", d.unanswered);
      add("discovery_encode_failed", d.encode_failed);
      add("discovery_in_flight", o->in_flight());
      add("discovery_state_bytes", o->state_bytes());
    }
  }
  NamedCounters out;
  out.reserve(order.size() + 2);
  for (const auto& name : order) out.emplace_back(name, sums[name]);
  if (only_worker < 0 && !ctx.workers.empty()) {
    // Memory a flow slot costs, all stages: flow table, TCP stream state,
    // the stream inspector's and the L7 inspector's per-slot indexes.
    const Worker& w = *ctx.workers.front();
    out.emplace_back("flow_bytes_per_flow",
                     w.flows().bytes_per_flow() + StreamStage::bytes_per_flow() + 3 * sizeof(uint32_t));
  }
  if (only_worker < 0) {
    LatencyHistogram lat = collect_latency(ctx);
    out.emplace_back("latency_samples", lat.total());
    out.emplace_back("latency_p50_ns", lat.quantile_ns(0.50));
    out.emplace_back("latency_p99_ns", lat.quantile_ns(0.99));
  }
  return out;
}

LatencyHistogram collect_latency(const DataplaneContext& ctx) {
  LatencyHistogram h;
  for (const auto& w : ctx.workers) h.merge(w->latency());
  return h;
}

std::string counters_to_json(const NamedCounters& counters) {
  std::string s = "{";
  for (size_t i = 0; i < counters.size(); ++i) {
    if (i) s += ", ";
    s += "\"" + counters[i].first + "\": " + std::to_string(counters[i].second);
  }
  return s + "}";
}

}  // namespace weir::dp
