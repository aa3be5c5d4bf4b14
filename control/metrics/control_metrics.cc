// render_control_metrics (see control_metrics.h).
#include "control/metrics/control_metrics.h"

#include <algorithm>
#include <map>
#include <set>

#include "control/admin/api_json.h"
#include "control/metrics/prometheus_text.h"

namespace weir::ctl {

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A raw dataplane name to a metric name and scale: *_ns values become
// seconds (base unit), as do *_us and *_ms; counters get _total.
struct Mapped {
  std::string name;
  double scale = 1.0;
  bool gauge = false;
};

Mapped map_name(const std::string& prefix, const std::string& raw) {
  Mapped m;
  m.gauge = dataplane_counter_is_gauge(raw);
  std::string base = prom_name(raw);
  static constexpr std::pair<std::string_view, double> kUnits[] = {{"_ns", 1e-9}, {"_us", 1e-6}, {"_ms", 1e-3}};
  for (const auto& [unit, scale] : kUnits) {
    if (ends_with(base, unit)) {
      base = base.substr(0, base.size() - unit.size()) + "_seconds";
      m.scale = scale;
      break;
    }
  }
  if (ends_with(base, "_total")) base = base.substr(0, base.size() - 6);
  // _count/_sum/_bucket belong to histograms (promtool refuses them on a
  // gauge): "rules_count" is exposed as weir_dataplane_rules.
  for (std::string_view reserved : {"_count", "_sum", "_bucket"})
    if (m.gauge && ends_with(base, reserved)) base = base.substr(0, base.size() - reserved.size());
  m.name = prefix + base + (m.gauge ? "" : "_total");
  return m;
}

void add_value(PrometheusText& out, const Mapped& m, const MetricLabels& labels, uint64_t v,
               const std::string& raw) {
  if (!out.has_family(m.name)) {
    out.family(m.name, m.gauge ? "gauge" : "counter", "dataplane counter '" + raw + "'");
  }
  out.sample(m.name, labels, static_cast<double>(v) * m.scale);
}

}  // namespace

bool dataplane_counter_is_gauge(const std::string& n) {
  static const std::set<std::string> kLevels = {
      "flows_active", "frag_bytes_held", "stream_sig_scanners_in_use", "stream_memory_bytes",
      "flow_bytes_per_flow", "blocklist_entries", "blocklist_generation", "config_generation",
      "monitor_mode", "events.spool_pending", "latency_p50_ns", "latency_p99_ns", "connected",
      "rules_count", "rules_reload_us"};
  if (kLevels.count(n)) return true;
  for (std::string_view s : {"_in_use", "_pending", "_active", "_level", "_generation", "link_up", ".mode",
                             "_entries", "_bytes_held"})
    if (ends_with(n, s)) return true;
  return false;
}

void render_dataplane_metrics(const ipc::CounterSnapshot& snap, PrometheusText& out) {
  // Counters a worker reports are exposed per worker only (sum in PromQL);
  // the totals carry the rest.
  std::set<std::string> per_worker;
  for (const auto& w : snap.workers()) {
    const MetricLabels labels = {{"worker", std::to_string(w.worker())}};
    for (const auto& c : w.counters()) {
      per_worker.insert(c.name());
      add_value(out, map_name("weir_worker_", c.name()), labels, c.value(), c.name());
    }
  }
  std::vector<std::pair<double, uint64_t>> buckets;
  uint64_t lat_count = 0;
  double lat_sum = 0;
  bool have_hist = false;
  for (const auto& c : snap.totals()) {
    const std::string& n = c.name();
    if (n.rfind("latency_le_ns.", 0) == 0) {
      buckets.emplace_back(std::stod(n.substr(14)) * 1e-9, c.value());
      have_hist = true;
      continue;
    }
    if (n == "latency_samples") lat_count = c.value();
    if (n == "latency_sum_ns") {
      lat_sum = static_cast<double>(c.value()) * 1e-9;
      continue;
    }
    if (per_worker.count(n)) continue;
    if (n.rfind("port.", 0) == 0) {
      const size_t dot = n.rfind('.');
      if (dot > 5) {
        add_value(out, map_name("weir_port_", n.substr(dot + 1)), {{"port", n.substr(5, dot - 5)}}, c.value(),
                  n);
        continue;
      }
    }
    if (n.rfind("pair.", 0) == 0) {
      const size_t dot = n.rfind('.');
      if (dot > 5) {
        add_value(out, map_name("weir_pair_", n.substr(dot + 1)), {{"pair", n.substr(5, dot - 5)}}, c.value(), n);
        continue;
      }
    }
    add_value(out, map_name("weir_dataplane_", n), {}, c.value(), n);
  }
  if (have_hist) {
    std::sort(buckets.begin(), buckets.end());
    out.family("weir_dataplane_time_in_box_seconds", "histogram",
               "time a packet spends in the appliance, RX to TX (sampled; sum estimated from bucket midpoints)");
    out.histogram("weir_dataplane_time_in_box_seconds", {}, buckets, lat_sum, lat_count);
  }
}

std::string render_control_metrics(ControlPlane& cp, const AdminAuthCounters& auth) {
  PrometheusText out;
  const int64_t now = realtime_now_ns();
  out.family("weir_control_start_time_seconds", "gauge", "when weir-control started (Unix time)");
  out.sample("weir_control_start_time_seconds", {}, static_cast<double>(cp.started_ns()) / 1e9);

  const DataplaneStatus d = cp.dataplane().status();
  out.family("weir_dataplane_connected", "gauge", "1 while the dataplane is connected to weir-control");
  out.sample("weir_dataplane_connected", {}, d.connected ? 1 : 0);
  out.family("weir_control_events_received_total", "counter", "events received from the dataplane, replays included");
  out.sample("weir_control_events_received_total", {}, static_cast<double>(d.events_received));
  out.family("weir_control_events_stored_total", "counter", "new events stored (duplicates not counted)");
  out.sample("weir_control_events_stored_total", {}, static_cast<double>(d.events_stored));
  out.family("weir_control_api_calls_ingested_total", "counter",
             "API-call observations from the workers ingested into the inventory");
  out.sample("weir_control_api_calls_ingested_total", {}, static_cast<double>(d.api_calls_ingested));
  out.family("weir_control_api_calls_dropped_total", "counter",
             "API-call observations lost in transport (chunk gap or reorder, undecodable)");
  out.sample("weir_control_api_calls_dropped_total", {},
             static_cast<double>(d.api_calls_dropped + d.api_call_decode_errors));
  out.family("weir_control_dataplane_connections_total", "counter", "dataplane connections accepted");
  out.sample("weir_control_dataplane_connections_total", {}, static_cast<double>(d.connections));
  out.family("weir_control_commands_refused_total", "counter", "commands the dataplane refused");
  out.sample("weir_control_commands_refused_total", {}, static_cast<double>(d.commands_refused));

  out.family("weir_alerts_stored", "gauge", "alerts in the store, by severity");
  for (const auto& [sev, n] : cp.store().count_alerts_by_severity())
    out.sample("weir_alerts_stored", {{"severity", severity_name(sev)}}, static_cast<double>(n));
  out.family("weir_alerts_last_id", "gauge", "highest alert id stored (grows by one per new alert)");
  out.sample("weir_alerts_last_id", {}, static_cast<double>(cp.store().newest_alert_id()));

  const ConfigView v = cp.config().current();
  out.family("weir_config_generation", "gauge", "generation of the live config (one more per applied change)");
  out.sample("weir_config_generation", {}, static_cast<double>(v.generation));
  out.family("weir_config_last_apply_time_seconds", "gauge", "when the live config was applied (Unix time)");
  out.sample("weir_config_last_apply_time_seconds", {},
             static_cast<double>(v.applied_ns > 0 ? v.applied_ns : cp.started_ns()) / 1e9);

  static const char* const kExport[][2] = {
      {"sent", "payloads the receiver took"},
      {"failed", "delivery attempts that failed"},
      {"retried", "delivery attempts of spooled payloads"},
      {"spooled", "payloads written to the spool"},
      {"dropped", "payloads given up (rejected by the receiver or pushed out of a full spool)"},
      {"filtered", "alerts the exporter's filters skipped"}};
  const auto exporters = cp.exports().status();
  for (const auto& [what, help] : kExport)
    out.family(std::string("weir_export_") + what + "_total", "counter", help);
  out.family("weir_export_spool_records", "gauge", "payloads waiting in the exporter's spool");
  out.family("weir_export_spool_bytes", "gauge", "bytes waiting in the exporter's spool");
  out.family("weir_export_last_sent_time_seconds", "gauge", "last successful delivery (Unix time, 0 never)");
  for (const ExporterStatus& e : exporters) {
    const MetricLabels l = {{"exporter", e.name}, {"type", e.type}};
    const uint64_t values[] = {e.sent, e.failed, e.retried, e.spooled, e.dropped, e.filtered};
    for (size_t i = 0; i < 6; ++i)
      out.sample(std::string("weir_export_") + kExport[i][0] + "_total", l, static_cast<double>(values[i]));
    out.sample("weir_export_spool_records", l, static_cast<double>(e.spool_records));
    out.sample("weir_export_spool_bytes", l, static_cast<double>(e.spool_bytes));
    out.sample("weir_export_last_sent_time_seconds", l, static_cast<double>(e.last_sent_ns) / 1e9);
  }

  out.family("weir_admin_remote_requests_total", "counter", "requests on the TLS admin listener");
  out.sample("weir_admin_remote_requests_total", {}, static_cast<double>(auth.requests));
  out.family("weir_admin_auth_failures_total", "counter", "remote requests with a missing, unknown or revoked token");
  out.sample("weir_admin_auth_failures_total", {}, static_cast<double>(auth.auth_failures));
  out.family("weir_admin_forbidden_total", "counter", "remote requests refused for the token's scope");
  out.sample("weir_admin_forbidden_total", {}, static_cast<double>(auth.forbidden));
  out.family("weir_admin_rate_limited_total", "counter", "remote requests refused (429) after repeated auth failures");
  out.sample("weir_admin_rate_limited_total", {}, static_cast<double>(auth.rate_limited));

  const CounterView c = cp.dataplane().counters();
  if (c.received_ns > 0) {
    out.family("weir_dataplane_counters_age_seconds", "gauge", "age of the dataplane counter snapshot");
    out.sample("weir_dataplane_counters_age_seconds", {}, static_cast<double>(now - c.received_ns) / 1e9);
    render_dataplane_metrics(c.snapshot, out);
  }
  return out.text();
}

}  // namespace weir::ctl
