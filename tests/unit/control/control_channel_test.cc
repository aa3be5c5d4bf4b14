// The real dataplane end (ControlLink, DPDK rings) against the real
// weir-control core in this process: state pushed on connect and after a
// dataplane restart, events stored once and visible through the API within
// a second, 1,000 events raised while weir-control is down stored exactly
// once after it comes back, live counters and flow queries.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "dataplane/events/control_link.h"
#include "tests/unit/control/control_link_harness.h"
#include "tests/unit/control/control_test_util.h"

namespace weir {
namespace {

using ctl::testing_util::mono_ns;
using ctl::testing_util::pump;
using ctl::testing_util::Reply;
using ctl::testing_util::RunningControl;

struct Runtime : dp::CommandHandler, dp::CounterSource {
  std::mutex mu;
  std::vector<std::string> calls;
  uint64_t generation = 0;
  uint64_t rx = 0;
  dp::CommandResult on_config(const std::string& yaml, uint64_t gen) override {
    std::lock_guard lock(mu);
    generation = gen;
    calls.push_back("config " + std::to_string(gen) + (yaml.empty() ? " empty" : ""));
    return {};
  }
  dp::CommandResult on_block(const config::Cidr& c, uint32_t ttl) override {
    std::lock_guard lock(mu);
    calls.push_back("block " + c.to_string() + " " + std::to_string(ttl));
    return {};
  }
  dp::CommandResult on_unblock(const config::Cidr& c) override {
    std::lock_guard lock(mu);
    calls.push_back("unblock " + c.to_string());
    return {};
  }
  dp::CommandResult on_mode(bool block) override {
    std::lock_guard lock(mu);
    calls.push_back(block ? "mode block" : "mode monitor");
    return {};
  }
  dp::CommandResult on_reload_rules() override {
    std::lock_guard lock(mu);
    calls.push_back("reload rules");
    ++reloads;
    // The first reload succeeds, the second finds a broken file.
    if (reloads == 1) return {true, "generation 2: 3 rules from /r compiled in 1.0 ms"};
    return {false, "/r/x.yaml:4: key 'severity': expected one of critical, error, warning, notice (got 'loud')"};
  }
  int reloads = 0;
  void on_flow_query(const dp::FlowQuery& q, dp::FlowQueryReply& reply) override {
    dp::FlowSummary f;
    f.proto = 6;
    f.client_addr = q.filter.addr;
    f.client_port = 40001;
    f.server_port = 443;
    f.packets = 10;
    f.bytes = 5000;
    f.state = "established";
    reply.flows.push_back(f);
    reply.total_flows = 1;
  }
  void snapshot(std::vector<std::pair<std::string, uint64_t>>& out) override {
    out.emplace_back("rx_packets", ++rx);
    out.emplace_back("port.net_af_packet0.rx_packets", 11);
    out.emplace_back("worker.0.rx_packets", rx);
  }
  bool has(const std::string& call) {
    std::lock_guard lock(mu);
    return std::find(calls.begin(), calls.end(), call) != calls.end();
  }
  void clear() {
    std::lock_guard lock(mu);
    calls.clear();
  }
};

class ControlChannel : public testing::Test {
 protected:
  std::unique_ptr<dp::ControlLink> make_link(const std::string& dir) {
    dp::ControlLinkOptions o = ctl::testing_util::link_options(dir);
    o.counter_interval_ns = 100000000;  // 100 ms
    return ctl::testing_util::create_link(o, rt_);
  }
  static dp::Event alert_event(uint32_t rule) {
    dp::Event ev;
    ev.kind = dp::EventKind::Alert;
    ev.severity = dp::Severity::High;
    ev.rule_id = rule;
    ev.proto = 6;
    ev.client_addr = config::Cidr::parse("198.18.0.10")->addr;
    ev.server_addr = config::Cidr::parse("2001:2::20")->addr;
    ev.client_port = 40000;
    ev.server_port = 80;
    ev.set_class("sqli");
    ev.set_zone("query_arg");
    ev.set_text("id=1' OR 1=1");
    return ev;
  }
  Runtime rt_;
};

TEST_F(ControlChannel, StateIsPushedOnConnectAndAnEventIsVisibleWithinASecond) {
  RunningControl rc;
  ASSERT_EQ(rc.call("POST", "/v1/blocks", R"({"cidr":"198.18.5.0/24","ttl_s":600})").status, 201);
  ASSERT_EQ(rc.call("PUT", "/v1/mode", R"({"mode":"block"})").status, 200);
  auto link = make_link(rc.dir);
  ASSERT_TRUE(pump(*link, [&] { return rt_.has("config 1") && rt_.has("mode block") && rt_.has("block 198.18.5.0/24 600"); }));
  EXPECT_TRUE(rc.call("GET", "/v1/status").body["dataplane"]["connected"]);

  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(link->worker_ring(1).try_emit(alert_event(942100)));
  ASSERT_TRUE(pump(*link, [&] { return rc.cp->store().count_alerts() == 1; }));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  const Reply r = rc.call("GET", "/v1/alerts?after_id=0");
  ASSERT_EQ(r.body["alerts"].size(), 1u);
  const auto& a = r.body["alerts"][0];
  EXPECT_EQ(a["rule_id"], 942100);
  EXPECT_EQ(a["worker"], 1);
  EXPECT_EQ(a["class"], "sqli");
  EXPECT_EQ(a["flow"]["client"], "198.18.0.10");
  EXPECT_EQ(a["flow"]["server"], "2001:2::20");
  EXPECT_EQ(a["flow"]["proto"], "tcp");
  EXPECT_EQ(a["text"], "id=1' OR 1=1");

  // The test hook: events raised by the dataplane's main lcore, end to end.
  const Reply hook = rc.call("POST", "/v1/test/events", R"({"count":25})");
  EXPECT_EQ(hook.status, 202);
  ASSERT_TRUE(pump(*link, [&] { return rc.cp->store().count_alerts() == 26; }));
  const Reply tests = rc.call("GET", "/v1/alerts?after_id=1&limit=100");
  ASSERT_EQ(tests.body["alerts"].size(), 25u);
  EXPECT_EQ(tests.body["alerts"][0]["kind"], "test");
  EXPECT_EQ(tests.body["alerts"][0]["worker"], 255);

  // Live changes reach the dataplane at once.
  rt_.clear();
  ASSERT_EQ(rc.call("DELETE", "/v1/blocks?cidr=198.18.5.0%2F24").status, 200);
  std::string cfg = config::embedded_default_config();
  cfg.replace(cfg.find("burst: 32"), 9, "burst: 40");
  const Reply applied = rc.call("POST", "/v1/config/apply", nlohmann::json{{"yaml", cfg}}.dump());
  EXPECT_EQ(applied.body["pushed"], true);
  ASSERT_TRUE(pump(*link, [&] { return rt_.has("unblock 198.18.5.0/24") && rt_.has("config 2"); }));
}

TEST_F(ControlChannel, ThousandEventsRaisedWhileControlIsDownAreStoredOnce) {
  std::string dir;
  std::unique_ptr<dp::ControlLink> link;
  {
    RunningControl first;
    dir = first.dir;
    link = make_link(dir);
    ASSERT_TRUE(pump(*link, [&] { return link->stats().connected; }));
    ASSERT_TRUE(link->worker_ring(0).try_emit(alert_event(1)));
    ASSERT_TRUE(pump(*link, [&] { return first.cp->store().count_alerts() == 1; }));
  }  // weir-control goes away
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(link->worker_ring(i % 2).try_emit(alert_event(static_cast<uint32_t>(1000 + i))));
    if (i % 100 == 0) link->poll(mono_ns());
  }
  ASSERT_TRUE(pump(*link, [&] { return link->stats().spool_pending == 1000; }));
  EXPECT_FALSE(link->stats().connected);

  RunningControl second(ctl::HttpLimits{}, dir);
  ASSERT_TRUE(pump(*link, [&] { return second.cp->store().count_alerts() == 1001 && link->stats().spool_pending == 0; },
                   10000))
      << "stored " << second.cp->store().count_alerts();
  std::set<uint32_t> rules;
  for (const auto& a : second.cp->store().list_alerts({.after_id = 0, .limit = 1000000})) rules.insert(a.rule_id);
  EXPECT_EQ(rules.size(), 1001u);
  EXPECT_EQ(second.cp->store().count_alerts(), 1001);
  // A replay of what is already stored changes nothing.
  EXPECT_EQ(link->stats().spool_dropped, 0u);
}

TEST_F(ControlChannel, RulesReloadWaitsForTheDataplanesAnswerAndIsAudited) {
  RunningControl rc;
  auto link = make_link(rc.dir);
  ASSERT_TRUE(pump(*link, [&] { return rt_.has("config 1"); }));
  auto ok = std::async(std::launch::async, [&] { return rc.call("POST", "/v1/rules/reload", "{}"); });
  ASSERT_TRUE(pump(*link, [&] { return ok.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }));
  const Reply r1 = ok.get();
  EXPECT_EQ(r1.status, 200) << r1.body.dump();
  EXPECT_EQ(r1.body["message"], "generation 2: 3 rules from /r compiled in 1.0 ms");
  auto refused = std::async(std::launch::async, [&] { return rc.call("POST", "/v1/rules/reload", "{}"); });
  ASSERT_TRUE(pump(*link, [&] { return refused.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }));
  const Reply r2 = refused.get();
  EXPECT_EQ(r2.status, 422) << r2.body.dump();
  EXPECT_NE(r2.body.dump().find("x.yaml:4"), std::string::npos);
  const Reply audit = rc.call("GET", "/v1/audit");
  const std::string text = audit.body.dump();
  EXPECT_NE(text.find("rules_reload"), std::string::npos);
  EXPECT_NE(text.find("rules_reload_refused"), std::string::npos);
  // No dataplane: 503, nothing waits.
  link.reset();
  ASSERT_TRUE(pump(*make_link(rc.dir + "/elsewhere"), [&] { return !rc.cp->dataplane().status().connected; }, 3000));
  EXPECT_EQ(rc.call("POST", "/v1/rules/reload", "{}").status, 503);
}

TEST_F(ControlChannel, DataplaneRestartGetsTheStateAgainAndCountersAndFlowsFlow) {
  RunningControl rc;
  ASSERT_EQ(rc.call("POST", "/v1/blocks", R"({"cidr":"2001:2::/64"})").status, 201);
  {
    auto link = make_link(rc.dir);
    ASSERT_TRUE(pump(*link, [&] { return rt_.has("block 2001:2::/64 0"); }));
  }
  rt_.clear();
  auto link = make_link(rc.dir);  // the restarted dataplane
  ASSERT_TRUE(pump(*link, [&] { return rt_.has("config 1") && rt_.has("mode monitor") && rt_.has("block 2001:2::/64 0"); }));
  ASSERT_TRUE(pump(*link, [&] { return rc.cp->dataplane().counters().received_ns > 0; }));
  EXPECT_GE(rc.cp->dataplane().status().connections, 2u);

  Reply stats = rc.call("GET", "/v1/stats");
  ASSERT_EQ(stats.status, 200);
  EXPECT_GE(stats.body["totals"]["rx_packets"].get<uint64_t>(), 1u);
  EXPECT_TRUE(stats.body["totals"].contains("events.ring_overflow"));
  EXPECT_EQ(stats.body["workers"][0]["worker"], 0);
  Reply ports = rc.call("GET", "/v1/ports");
  EXPECT_EQ(ports.body["ports"][0]["name"], "net_af_packet0");
  EXPECT_EQ(ports.body["ports"][0]["counters"]["rx_packets"], 11);

  auto flows = std::async(std::launch::async, [&] { return rc.call("GET", "/v1/flows?addr=198.18.0.0%2F15&limit=5"); });
  ASSERT_TRUE(pump(*link, [&] { return flows.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }));
  const Reply f = flows.get();
  ASSERT_EQ(f.status, 200) << f.body.dump();
  ASSERT_EQ(f.body["flows"].size(), 1u);
  EXPECT_EQ(f.body["flows"][0]["client"], "198.18.0.0");
  EXPECT_EQ(f.body["flows"][0]["server_port"], 443);
  EXPECT_EQ(f.body["total_flows"], 1);

  // The dataplane is gone: queries fail fast, the last counters stay.
  link.reset();
  ASSERT_TRUE(pump(*make_link(rc.dir + "/elsewhere"), [&] { return !rc.cp->dataplane().status().connected; }, 3000));
  EXPECT_EQ(rc.call("GET", "/v1/flows").status, 503);
  EXPECT_EQ(rc.call("POST", "/v1/test/events", R"({"count":1})").status, 503);
  EXPECT_EQ(rc.call("GET", "/v1/stats").body["connected"], false);
}

}  // namespace
}  // namespace weir
