// Prometheus text format: HELP/TYPE once per family, grouped samples,
// label and HELP escaping, name sanitising, histogram layout, and the
// mapping of dataplane counters (per worker, ports, _ns -> _seconds,
// gauges without _total).
#include "control/metrics/prometheus_text.h"

#include <gtest/gtest.h>

#include "control/metrics/control_metrics.h"

namespace weir::ctl {
namespace {

TEST(PrometheusText, FamiliesGroupedWithHelpAndType) {
  PrometheusText t;
  t.family("weir_a_total", "counter", "first\nline \\ two");
  t.family("weir_b", "gauge", "b");
  t.sample("weir_a_total", {{"worker", "0"}}, 3);
  t.sample("weir_b", {}, 1.5);
  t.sample("weir_a_total", {{"worker", "1"}}, 4);
  t.sample("weir_a_total", {{"worker", "1"}}, 99);  // duplicate series: dropped
  t.sample("unknown", {}, 1);                       // undeclared family: dropped
  EXPECT_EQ(t.text(),
            "# HELP weir_a_total first\\nline \\\\ two\n"
            "# TYPE weir_a_total counter\n"
            "weir_a_total{worker=\"0\"} 3\n"
            "weir_a_total{worker=\"1\"} 4\n"
            "# HELP weir_b b\n"
            "# TYPE weir_b gauge\n"
            "weir_b 1.5\n");
}

TEST(PrometheusText, EscapesLabelValues) {
  EXPECT_EQ(prom_escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  PrometheusText t;
  t.family("m", "gauge", "h");
  t.sample("m", {{"port", "0000:01:00.0\"x"}}, 1);
  EXPECT_NE(t.text().find("m{port=\"0000:01:00.0\\\"x\"} 1\n"), std::string::npos);
}

TEST(PrometheusText, SanitisesNames) {
  EXPECT_EQ(prom_name("events.ring_overflow"), "events_ring_overflow");
  EXPECT_EQ(prom_name("9lives"), "_9lives");
  EXPECT_EQ(prom_name("a-b c"), "a_b_c");
}

TEST(PrometheusText, Values) {
  EXPECT_EQ(prom_value(18446744073709.0), "18446744073709");
  EXPECT_EQ(prom_value(0.25), "0.25");
  EXPECT_EQ(prom_value(1.0 / 0.0), "+Inf");
}

TEST(PrometheusText, Histogram) {
  PrometheusText t;
  t.family("weir_x_seconds", "histogram", "h");
  t.histogram("weir_x_seconds", {}, {{0.001, 2}, {0.01, 5}}, 0.02, 6);
  EXPECT_EQ(t.text(),
            "# HELP weir_x_seconds h\n# TYPE weir_x_seconds histogram\n"
            "weir_x_seconds_bucket{le=\"0.001\"} 2\n"
            "weir_x_seconds_bucket{le=\"0.01\"} 5\n"
            "weir_x_seconds_bucket{le=\"+Inf\"} 6\n"
            "weir_x_seconds_sum 0.02\n"
            "weir_x_seconds_count 6\n");
}

TEST(DataplaneMetrics, MapsSnapshot) {
  ipc::CounterSnapshot snap;
  auto add = [](auto* list, const char* name, uint64_t v) {
    auto* c = list->Add();
    c->set_name(name);
    c->set_value(v);
  };
  auto* w0 = snap.add_workers();
  w0->set_worker(0);
  add(w0->mutable_counters(), "rx_packets", 10);
  add(w0->mutable_counters(), "flows_active", 2);
  add(snap.mutable_totals(), "rx_packets", 10);  // per worker: not repeated as a total
  add(snap.mutable_totals(), "events.spool_pending", 4);
  add(snap.mutable_totals(), "events.ring_overflow", 1);
  add(snap.mutable_totals(), "latency_p99_ns", 1500);
  add(snap.mutable_totals(), "port.net_af_packet0.ipackets", 7);
  add(snap.mutable_totals(), "port.net_af_packet0.link_up", 1);
  add(snap.mutable_totals(), "latency_le_ns.1024", 3);
  add(snap.mutable_totals(), "latency_le_ns.2048", 5);
  add(snap.mutable_totals(), "latency_samples", 6);
  add(snap.mutable_totals(), "latency_sum_ns", 9000);
  add(snap.mutable_totals(), "rules_reload_us", 2500);
  PrometheusText t;
  render_dataplane_metrics(snap, t);
  const std::string text = t.text();
  EXPECT_NE(text.find("# TYPE weir_worker_rx_packets_total counter\nweir_worker_rx_packets_total{worker=\"0\"} 10\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE weir_worker_flows_active gauge\n"), std::string::npos);
  EXPECT_EQ(text.find("weir_dataplane_rx_packets"), std::string::npos);
  EXPECT_NE(text.find("weir_dataplane_events_spool_pending 4\n"), std::string::npos);
  EXPECT_NE(text.find("weir_dataplane_events_ring_overflow_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("weir_dataplane_latency_p99_seconds 1.5e-06\n"), std::string::npos);
  EXPECT_NE(text.find("weir_port_ipackets_total{port=\"net_af_packet0\"} 7\n"), std::string::npos);
  EXPECT_NE(text.find("weir_port_link_up{port=\"net_af_packet0\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("weir_dataplane_time_in_box_seconds_bucket{le=\"1.024e-06\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("weir_dataplane_time_in_box_seconds_bucket{le=\"+Inf\"} 6\n"), std::string::npos);
  EXPECT_NE(text.find("weir_dataplane_time_in_box_seconds_sum 9e-06\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE weir_dataplane_rules_reload_seconds gauge\nweir_dataplane_rules_reload_seconds 0.0025\n"),
            std::string::npos);
}

TEST(DataplaneMetrics, GaugeClassification) {
  EXPECT_TRUE(dataplane_counter_is_gauge("flows_active"));
  EXPECT_TRUE(dataplane_counter_is_gauge("stream_sig_scanners_in_use"));
  EXPECT_TRUE(dataplane_counter_is_gauge("pair.lab.mode"));
  EXPECT_FALSE(dataplane_counter_is_gauge("rx_packets"));
  EXPECT_FALSE(dataplane_counter_is_gauge("config_applied"));
  EXPECT_TRUE(dataplane_counter_is_gauge("rules_count"));
  EXPECT_TRUE(dataplane_counter_is_gauge("rules_reload_us"));
  EXPECT_FALSE(dataplane_counter_is_gauge("rules_reloads"));
}

}  // namespace
}  // namespace weir::ctl
