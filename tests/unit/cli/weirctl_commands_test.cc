// weirctl commands against an in-process fake admin API on a Unix socket:
// what each command sends, how it renders the answer, and its exit code.
// (tests/e2e/cli runs the same commands against the real weir-control.)

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/api_time.h"
#include "cli/weirctl_app.h"

namespace weir::cli {
namespace {

using nlohmann::json;

class FakeAdmin {
 public:
  FakeAdmin() {
    path_ = "/tmp/weirctl_fake_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++) +
            ".sock";
    ::unlink(path_.c_str());
    server_.set_address_family(AF_UNIX);
  }
  ~FakeAdmin() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
    ::unlink(path_.c_str());
  }
  httplib::Server& server() { return server_; }
  void start() {
    thread_ = std::thread([this] { server_.listen(path_, 80); });
    for (int i = 0; i < 400 && (!server_.is_running() || ::access(path_.c_str(), F_OK) != 0);
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  const std::string& path() const { return path_; }

  void record(const httplib::Request& req) {
    std::lock_guard lock(mu_);
    std::string target = req.method + " " + req.path;
    char sep = '?';
    for (const auto& [k, v] : req.params) {
      target += sep + k + "=" + v;
      sep = '&';
    }
    requests_.push_back(target);
    bodies_.push_back(req.body);
  }
  std::vector<std::string> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }

 private:
  static inline int counter_ = 0;
  std::string path_;
  httplib::Server server_;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> requests_;
  std::vector<std::string> bodies_;
};

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

struct RunResult {
  int code;
  std::string out;
  std::string err;
};

RunResult run(const FakeAdmin& fake, std::vector<std::string> args) {
  args.insert(args.begin(), {"weirctl", "--socket", fake.path()});
  std::ostringstream out, err;
  const int code = run_weirctl(args, out, err);
  return {code, out.str(), err.str()};
}

json error_body(const std::string& code, const std::string& message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

TEST(WeirctlCommands, StatusRendersKeyValues) {
  FakeAdmin fake;
  fake.server().Get("/v1/status", [](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, json::parse(R"({"version":"0.1.0","started_at":"2026-12-04T16:00:00.000Z",
      "uptime_s":1342,"mode":"block","config":{"generation":3,"source":"/etc/weir/weir.yaml",
      "applied_at":"2026-12-04T16:10:00.000Z"},"dataplane":{"connected":true,
      "instance_id":"weir-dp-1","events_received":1042,"reconnects":1},
      "store":{"alerts":1042,"blocks":2,"audit":7}})"));
  });
  fake.start();
  const auto r = run(fake, {"status"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("mode:"), std::string::npos);
  EXPECT_NE(r.out.find("block\n"), std::string::npos);
  EXPECT_NE(r.out.find("(up 22m22s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("connected (weir-dp-1)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("generation 3 from /etc/weir/weir.yaml"), std::string::npos);
  EXPECT_NE(r.out.find("1042 alerts, 2 blocks, 7 audit entries"), std::string::npos);
  const auto j = run(fake, {"status", "--json"});
  EXPECT_EQ(json::parse(j.out)["dataplane"]["instance_id"], "weir-dp-1");
}

TEST(WeirctlCommands, StatsTableAndPerWorker) {
  FakeAdmin fake;
  fake.server().Get("/v1/stats", [](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, json::parse(R"({"at":"2026-12-04T16:22:35.900Z","age_ms":412,"connected":true,
      "totals":{"rx_packets":123456,"tx_packets":123400,"drop.blocked":56},
      "workers":[{"worker":0,"counters":{"rx_packets":60000,"tx_packets":59990}},
                 {"worker":1,"counters":{"rx_packets":63456,"tx_packets":63410,"drop.blocked":56}}]})"));
  });
  fake.start();
  auto r = run(fake, {"stats"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("drop.blocked      56\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rx_packets    123456\n"), std::string::npos) << r.out;
  r = run(fake, {"stats", "--workers", "--filter", "rx"});
  EXPECT_NE(r.out.find("COUNTER      TOTAL     W0     W1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rx_packets  123456  60000  63456\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("tx_packets"), std::string::npos);
}

TEST(WeirctlCommands, StatsWithoutCountersIsOperationFailure) {
  FakeAdmin fake;
  fake.server().Get("/v1/stats", [](const httplib::Request&, httplib::Response& res) {
    reply(res, 503, error_body("no_counters", "the dataplane never sent counters"));
  });
  fake.start();
  const auto r = run(fake, {"stats"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "weirctl: the dataplane never sent counters\n");
}

TEST(WeirctlCommands, BlockSendsCanonicalCidrAndTtl) {
  FakeAdmin fake;
  fake.server().Post("/v1/blocks", [&fake](const httplib::Request& req, httplib::Response& res) {
    fake.record(req);
    const auto body = json::parse(req.body);
    reply(res, 201, {{"block", {{"cidr", body["cidr"].get<std::string>() + "/128"},
                                {"ttl_s", body.value("ttl_s", 0)},
                                {"expires_at", format_rfc3339_ms(now_epoch_ms() + 600'000)}}}});
  });
  fake.start();
  const auto r = run(fake, {"block", "ip", "2001:0002::0007", "--ttl", "10m", "--reason", "scan"});
  EXPECT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(fake.bodies().size(), 1u);
  EXPECT_EQ(json::parse(fake.bodies()[0]),
            json::parse(R"({"cidr":"2001:2::7","ttl_s":600,"reason":"scan"})"));
  EXPECT_EQ(r.out, "blocked 2001:2::7/128, expires in 10m\n");
}

TEST(WeirctlCommands, UnblockEncodesCidrInQuery) {
  FakeAdmin fake;
  fake.server().Delete("/v1/blocks", [&fake](const httplib::Request& req, httplib::Response& res) {
    fake.record(req);
    if (req.get_param_value("cidr") == "198.18.4.0/24") {
      reply(res, 200, {{"removed", {{"cidr", "198.18.4.0/24"}}}});
    } else {
      reply(res, 404, error_body("not_found", "no block for " + req.get_param_value("cidr")));
    }
  });
  fake.start();
  auto r = run(fake, {"unblock", "cidr", "198.18.4.0/24"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "unblocked 198.18.4.0/24\n");
  r = run(fake, {"unblock", "ip", "198.18.4.1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "weirctl: no block for 198.18.4.1\n");
}

TEST(WeirctlCommands, ServerSideInvalidValueIsUsage) {
  FakeAdmin fake;
  fake.server().Put("/v1/mode", [](const httplib::Request&, httplib::Response& res) {
    reply(res, 400, error_body("invalid_value", "mode must be monitor or block"));
  });
  fake.start();
  EXPECT_EQ(run(fake, {"mode", "block"}).code, 2);
}

TEST(WeirctlCommands, NonJsonAnswerIsFailure) {
  FakeAdmin fake;
  fake.server().Get("/v1/mode", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html>oops</html>", "text/html");
  });
  fake.start();
  const auto r = run(fake, {"mode"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "weirctl: weir-control sent a response that is not JSON\n");
}

TEST(WeirctlCommands, ConfigApplyRefusedPrintsExactError) {
  FakeAdmin fake;
  const std::string message = "bad.yaml:3: flow.capacity: expected a positive integer";
  fake.server().Post("/v1/config/apply", [&](const httplib::Request& req, httplib::Response& res) {
    fake.record(req);
    reply(res, 422, {{"error", {{"code", "invalid_config"}, {"message", message},
                                {"file", "bad.yaml"}, {"line", 3}}}});
  });
  fake.start();
  char path[] = "/tmp/weirctl_bad_XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string yaml = "flow:\n  capacity: -1\n";
  ASSERT_EQ(::write(fd, yaml.data(), yaml.size()), static_cast<ssize_t>(yaml.size()));
  ::close(fd);
  const auto r = run(fake, {"config", "apply", path, "-m", "try"});
  ::unlink(path);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "weirctl: " + message + "\n");
  ASSERT_EQ(fake.bodies().size(), 1u);
  const auto sent = json::parse(fake.bodies()[0]);
  EXPECT_EQ(sent["yaml"], yaml);
  EXPECT_EQ(sent["source"], path);
  EXPECT_EQ(sent["comment"], "try");
}

json make_alert(uint64_t id, int64_t ts_ms) {
  return {{"id", id}, {"event_id", "00000000000000" + std::to_string(10 + id % 90)},
          {"ts", format_rfc3339_ms(ts_ms)}, {"received_at", format_rfc3339_ms(ts_ms)},
          {"kind", "alert"}, {"worker", 0}, {"severity", "high"}, {"rule_id", 942100},
          {"class", "sqli"}, {"zone", "query_arg"},
          {"flow", {{"proto", "tcp"}, {"client", "198.18.0.10"}, {"client_port", 40000},
                    {"server", "198.19.0.20"}, {"server_port", 80}}},
          {"text", "id=" + std::to_string(id) + "\x1b[2J"}};
}

// `total` alerts step_ms apart, newest (id total) at now_ms; serves the
// API's paging. Ids for which replayed() is true are events replayed from a
// spool: they arrived in id order but were raised 3 h earlier.
void serve_alerts(FakeAdmin& fake, int64_t now_ms, std::function<bool(uint64_t)> replayed = {},
                  uint64_t total = 250, int64_t step_ms = 60'000) {
  fake.server().Get("/v1/alerts", [&fake, now_ms, replayed, total, step_ms](const httplib::Request& req,
                                                                  httplib::Response& res) {
    fake.record(req);
    const uint64_t limit = req.has_param("limit") ? std::stoul(req.get_param_value("limit")) : 100;
    uint64_t top = total;
    if (req.has_param("before_id")) top = std::stoul(req.get_param_value("before_id")) - 1;
    json alerts = json::array();
    for (uint64_t id = top; id >= 1 && alerts.size() < limit; --id) {
      const int64_t received = now_ms - static_cast<int64_t>(total - id) * step_ms;
      json alert = make_alert(id, received);
      if (replayed && replayed(id)) {
        alert["ts"] = format_rfc3339_ms(received - 3 * 3600'000);
      }
      alerts.push_back(alert);
    }
    reply(res, 200, {{"alerts", alerts}, {"last_id", alerts.empty() ? 0 : top}});
  });
}

TEST(WeirctlCommands, AlertsListSinceCutsByTime) {
  FakeAdmin fake;
  serve_alerts(fake, now_epoch_ms());
  fake.start();
  // 150 minutes back: ids 101..250 (the one at exactly 150 min may fall
  // either side of the cut-off as the clock moves on).
  const auto r = run(fake, {"alerts", "list", "--since", "150m", "--limit", "1000", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto answer = json::parse(r.out);
  const auto& alerts = answer["alerts"];
  ASSERT_GE(alerts.size(), 149u);
  ASSERT_LE(alerts.size(), 150u);
  EXPECT_EQ(alerts.front()["id"], 250);
  EXPECT_GE(alerts.back()["id"], 101);
  EXPECT_EQ(answer["last_id"], 250);
  EXPECT_EQ(fake.requests(), std::vector<std::string>{"GET /v1/alerts?limit=1000"});
  // A timestamp works as well as a duration.
  const auto since = format_rfc3339_ms(now_epoch_ms() - 10 * 60'000 - 30'000);
  const auto t = run(fake, {"alerts", "list", "--since", since, "--json"});
  EXPECT_EQ(json::parse(t.out)["alerts"].size(), 11u);
}

TEST(WeirctlCommands, AlertsListSinceSkipsReplayedOldEvents) {
  FakeAdmin fake;
  serve_alerts(fake, now_epoch_ms(), [](uint64_t id) { return id == 250 || id == 248; });
  fake.start();
  // Ids 250 and 248 arrived recently but happened 3 h ago: left out, and
  // they do not end the scan.
  const auto r = run(fake, {"alerts", "list", "--since", "5m30s", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto answer = json::parse(r.out);
  std::vector<uint64_t> ids;
  for (const auto& a : answer["alerts"]) ids.push_back(a["id"]);
  EXPECT_EQ(ids, (std::vector<uint64_t>{249, 247, 246, 245}));
}

TEST(WeirctlCommands, AlertsListSincePagesBack) {
  FakeAdmin fake;
  // 1500 alerts a second apart; the newest 500 are replays of 3 h old
  // events. The first page of 1000 yields 500, so the scan pages back.
  serve_alerts(fake, now_epoch_ms(), [](uint64_t id) { return id > 1000; }, 1500, 1000);
  fake.start();
  const auto r = run(fake, {"alerts", "list", "--since", "1h", "--limit", "700", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto answer = json::parse(r.out);
  EXPECT_EQ(answer["alerts"].size(), 700u);
  EXPECT_EQ(answer["alerts"].front()["id"], 1000);
  EXPECT_EQ(answer["alerts"].back()["id"], 301);
  EXPECT_EQ(fake.requests(), (std::vector<std::string>{"GET /v1/alerts?limit=1000",
                                                       "GET /v1/alerts?before_id=501&limit=1000"}));
  EXPECT_EQ(run(fake, {"alerts", "list", "--since", "1h", "--limit", "1001"}).code, 2);
}

TEST(WeirctlCommands, AlertsListTableEscapesText) {
  FakeAdmin fake;
  serve_alerts(fake, now_epoch_ms());
  fake.start();
  const auto r = run(fake, {"alerts", "list", "-n", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  EXPECT_NE(r.out.find("id=250\\x1b[2J"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tcp 198.18.0.10:40000 -> 198.19.0.20:80"), std::string::npos);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3);
}

TEST(WeirctlCommands, AlertsTailPrintsOldestFirst) {
  FakeAdmin fake;
  serve_alerts(fake, now_epoch_ms());
  fake.start();
  const auto r = run(fake, {"alerts", "tail", "-n", "3", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::vector<uint64_t> ids;
  for (std::string line; std::getline(lines, line);) ids.push_back(json::parse(line)["id"]);
  EXPECT_EQ(ids, (std::vector<uint64_t>{248, 249, 250}));
}

TEST(WeirctlCommands, AlertsShowNotFound) {
  FakeAdmin fake;
  fake.server().Get(R"(/v1/alerts/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
    reply(res, 404, error_body("not_found", "no alert " + std::string(req.matches[1])));
  });
  fake.start();
  const auto r = run(fake, {"alerts", "show", "77"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "weirctl: no alert 77\n");
}

TEST(WeirctlCommands, FlowsSendsFilterAndBracketsV6) {
  FakeAdmin fake;
  fake.server().Get("/v1/flows", [&fake](const httplib::Request& req, httplib::Response& res) {
    fake.record(req);
    reply(res, 200, json::parse(R"({"flows":[{"worker":1,"proto":"tcp","client":"2001:2::10",
      "client_port":40000,"server":"2001:2:1::20","server_port":443,"packets":12,"bytes":8021,
      "age_ms":65000,"idle_ms":12,"state":"established"}],"total_flows":3811,"truncated":true})"));
  });
  fake.start();
  const auto r = run(fake, {"flows", "--addr", "2001:2::/48", "--limit", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(fake.requests()[0], "GET /v1/flows?addr=2001:2::/48&limit=1&sort=bytes");
  EXPECT_NE(r.out.find("[2001:2::10]:40000  [2001:2:1::20]:443"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1m5s"), std::string::npos);
  EXPECT_NE(r.out.find("1 shown of 3811 live flows (more match; raise --limit)"),
            std::string::npos);
}

}  // namespace
}  // namespace weir::cli
