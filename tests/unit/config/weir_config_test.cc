// parse_config on valid input: the shipped default, defaults for absent keys,
// every field read, line numbers kept for the binaries' own checks, files.

#include "config/weir_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace weir::config {
namespace {

constexpr const char* kMinimal =
    "pairs:\n"
    "  - name: a\n"
    "    client_port: p0\n"
    "    server_port: p1\n";

TEST(DefaultConfig, EmbeddedTextIsConfigsWeirYaml) {
  const char* path = std::getenv("WEIR_DEFAULT_CONFIG");
  ASSERT_NE(path, nullptr) << "meson sets WEIR_DEFAULT_CONFIG";
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path;
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(embedded_default_config(), text.str());
}

TEST(DefaultConfig, ParsesToTheDocumentedValues) {
  const Config c = parse_config(embedded_default_config(), "<embedded>");
  EXPECT_EQ(c.source, "<embedded>");
  EXPECT_EQ(c.dataplane.workers, std::vector<unsigned>{1});
  EXPECT_EQ(c.dataplane.main_lcore, 0u);
  EXPECT_EQ(c.dataplane.burst, 32u);
  EXPECT_EQ(c.dataplane.mbufs, 16383u);
  EXPECT_EQ(c.dataplane.handoff_ring, 4096u);
  EXPECT_EQ(c.dataplane.malformed, PacketAction::Drop);
  EXPECT_EQ(c.dataplane.non_ip, PacketAction::Forward);
  EXPECT_EQ(c.dataplane.workers_line, 5);
  EXPECT_EQ(c.dataplane.main_lcore_line, 6);
  ASSERT_EQ(c.pairs.size(), 1u);
  EXPECT_EQ(c.pairs[0].name, "lab");
  EXPECT_EQ(c.pairs[0].client_port, "net_af_packet0");
  EXPECT_EQ(c.pairs[0].server_port, "net_af_packet1");
  EXPECT_EQ(c.pairs[0].fail, FailMode::Open);
  EXPECT_TRUE(c.pairs[0].link_propagation);
  EXPECT_EQ(c.pairs[0].line, 20);
  EXPECT_EQ(c.pairs[0].client_port_line, 21);
  EXPECT_EQ(c.pairs[0].server_port_line, 22);
  EXPECT_EQ(c.flow.capacity, 262144u);
  EXPECT_EQ(c.flow.lifetime_s, 86400u);
  ASSERT_EQ(c.scope.inspect.size(), 2u);
  EXPECT_EQ(c.scope.inspect[0].to_string(), "198.18.0.0/15");
  EXPECT_EQ(c.scope.inspect[1].to_string(), "2001:2::/48");
  EXPECT_TRUE(c.scope.ports.empty());
  EXPECT_TRUE(c.scope.bypass.empty());
  EXPECT_EQ(c.exceptions.overload, ExceptionAction::Pass);
  EXPECT_EQ(c.watchdog.action, WatchdogAction::FailMode);
  EXPECT_EQ(c.telemetry.latency_sample_every, 64u);
  EXPECT_EQ(c.control.socket, "/run/weir/dataplane.sock");
  EXPECT_EQ(c.control.spool_max_mb, 64u);
}

TEST(ParseConfig, AbsentKeysKeepTheStructDefaults) {
  const Config c = parse_config(kMinimal, "min.yaml");
  const Config defaults;
  EXPECT_EQ(c.dataplane.workers, defaults.dataplane.workers);
  EXPECT_EQ(c.dataplane.burst, defaults.dataplane.burst);
  EXPECT_EQ(c.dataplane.mtu, defaults.dataplane.mtu);
  EXPECT_EQ(c.dataplane.workers_line, 0);
  EXPECT_EQ(c.dataplane.main_lcore_line, 0);
  EXPECT_EQ(c.flow.capacity, defaults.flow.capacity);
  EXPECT_TRUE(c.scope.inspect.empty());
  EXPECT_EQ(c.watchdog.stall_ms, defaults.watchdog.stall_ms);
  EXPECT_EQ(c.control.socket, defaults.control.socket);
  EXPECT_EQ(c.pairs[0].fail, FailMode::Open);
  EXPECT_TRUE(c.pairs[0].link_propagation);
}

TEST(ParseConfig, EmptySectionMeansDefaults) {
  const Config c = parse_config(std::string("flow:\n  # capacity: 5\n") + kMinimal, "x.yaml");
  EXPECT_EQ(c.flow.capacity, Config{}.flow.capacity);
}

TEST(ParseConfig, ReadsEveryField) {
  const std::string text =
      "dataplane:\n"
      "  workers: [2, 3, 5]\n"
      "  main_lcore: 1\n"
      "  burst: 64\n"
      "  mbufs: 8191\n"
      "  mbuf_cache: 128\n"
      "  rx_ring: 2048\n"
      "  tx_ring: 512\n"
      "  mtu: 9000\n"
      "  idle_backoff_us: 0\n"
      "  idle_polls_before_sleep: 16\n"
      "  handoff_ring: 1024\n"
      "  malformed: forward\n"
      "  non_ip: drop\n"
      "pairs:\n"
      "  - name: edge-1\n"
      "    client_port: 0000:03:00.0\n"
      "    server_port: 0000:03:00.1\n"
      "    fail: closed\n"
      "    link_propagation: false\n"
      "  - client_port: net_tap0\n"
      "    server_port: net_tap1\n"
      "flow:\n"
      "  capacity: 1000\n"
      "  tcp_syn_timeout_s: 3\n"
      "  tcp_established_timeout_s: 600\n"
      "  tcp_closed_timeout_s: 2\n"
      "  udp_timeout_s: 20\n"
      "  other_timeout_s: 15\n"
      "  lifetime_s: 3600\n"
      "scope:\n"
      "  inspect: [198.18.0.0/16]\n"
      "  ports: [80, 443, 8080]\n"
      "  bypass:\n"
      "    - 198.18.9.0/24\n"
      "    - 2001:2:0:1::/64\n"
      "exceptions:\n"
      "  overload: drop\n"
      "  internal_error: drop\n"
      "watchdog:\n"
      "  stall_ms: 250\n"
      "  action: log\n"
      "telemetry:\n"
      "  latency_sample_every: 1\n"
      "control:\n"
      "  socket: /tmp/w.sock\n"
      "  spool: /tmp/w.spool\n"
      "  spool_max_mb: 8\n";
  const Config c = parse_config(text, "full.yaml");
  EXPECT_EQ(c.dataplane.workers, (std::vector<unsigned>{2, 3, 5}));
  EXPECT_EQ(c.dataplane.workers_line, 2);
  EXPECT_EQ(c.dataplane.main_lcore, 1u);
  EXPECT_EQ(c.dataplane.main_lcore_line, 3);
  EXPECT_EQ(c.dataplane.burst, 64u);
  EXPECT_EQ(c.dataplane.mbufs, 8191u);
  EXPECT_EQ(c.dataplane.mbuf_cache, 128u);
  EXPECT_EQ(c.dataplane.rx_ring, 2048u);
  EXPECT_EQ(c.dataplane.tx_ring, 512u);
  EXPECT_EQ(c.dataplane.mtu, 9000u);
  EXPECT_EQ(c.dataplane.idle_backoff_us, 0u);
  EXPECT_EQ(c.dataplane.idle_polls_before_sleep, 16u);
  EXPECT_EQ(c.dataplane.handoff_ring, 1024u);
  EXPECT_EQ(c.dataplane.malformed, PacketAction::Forward);
  EXPECT_EQ(c.dataplane.non_ip, PacketAction::Drop);
  ASSERT_EQ(c.pairs.size(), 2u);
  EXPECT_EQ(c.pairs[0].name, "edge-1");
  EXPECT_EQ(c.pairs[0].client_port, "0000:03:00.0");
  EXPECT_EQ(c.pairs[0].server_port, "0000:03:00.1");
  EXPECT_EQ(c.pairs[0].fail, FailMode::Closed);
  EXPECT_FALSE(c.pairs[0].link_propagation);
  EXPECT_EQ(c.pairs[0].line, 16);
  EXPECT_EQ(c.pairs[0].client_port_line, 17);
  EXPECT_EQ(c.pairs[0].server_port_line, 18);
  EXPECT_EQ(c.pairs[1].name, "pair1");  // unnamed pairs are named by position
  EXPECT_EQ(c.pairs[1].line, 21);
  EXPECT_EQ(c.pairs[1].client_port_line, 21);
  EXPECT_EQ(c.pairs[1].server_port_line, 22);
  EXPECT_EQ(c.flow.capacity, 1000u);
  EXPECT_EQ(c.flow.tcp_syn_timeout_s, 3u);
  EXPECT_EQ(c.flow.tcp_established_timeout_s, 600u);
  EXPECT_EQ(c.flow.tcp_closed_timeout_s, 2u);
  EXPECT_EQ(c.flow.udp_timeout_s, 20u);
  EXPECT_EQ(c.flow.other_timeout_s, 15u);
  EXPECT_EQ(c.flow.lifetime_s, 3600u);
  ASSERT_EQ(c.scope.inspect.size(), 1u);
  EXPECT_EQ(c.scope.inspect[0].to_string(), "198.18.0.0/16");
  EXPECT_EQ(c.scope.ports, (std::vector<uint16_t>{80, 443, 8080}));
  ASSERT_EQ(c.scope.bypass.size(), 2u);
  EXPECT_EQ(c.scope.bypass[1].to_string(), "2001:2:0:1::/64");
  EXPECT_EQ(c.exceptions.overload, ExceptionAction::Drop);
  EXPECT_EQ(c.exceptions.internal_error, ExceptionAction::Drop);
  EXPECT_EQ(c.watchdog.stall_ms, 250u);
  EXPECT_EQ(c.watchdog.action, WatchdogAction::Log);
  EXPECT_EQ(c.telemetry.latency_sample_every, 1u);
  EXPECT_EQ(c.control.socket, "/tmp/w.sock");
  EXPECT_EQ(c.control.spool, "/tmp/w.spool");
  EXPECT_EQ(c.control.spool_max_mb, 8u);
}

TEST(ParseConfig, AcceptsYamlSpellingsOfTheSameValue) {
  const Config c = parse_config(
      "dataplane: {burst: +16, workers: [3]}\n"
      "pairs: [{name: a, client_port: p0, server_port: p1, link_propagation: False}]\n",
      "flow.yaml");
  EXPECT_EQ(c.dataplane.burst, 16u);
  EXPECT_FALSE(c.pairs[0].link_propagation);
}

TEST(LoadConfigFile, ReadsAFileAndRecordsItsPath) {
  char path[] = "/tmp/weir_config_test_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, kMinimal, std::strlen(kMinimal)), static_cast<ssize_t>(std::strlen(kMinimal)));
  close(fd);
  const Config c = load_config_file(path);
  EXPECT_EQ(c.source, path);
  EXPECT_EQ(c.pairs[0].client_port, "p0");
  unlink(path);
}

TEST(LoadConfigFile, UnreadableFileIsAnErrorWithoutLine) {
  try {
    load_config_file("/nonexistent/weir.yaml");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), "/nonexistent/weir.yaml");
    EXPECT_EQ(e.line(), 0);
    EXPECT_EQ(format_error(e), "/nonexistent/weir.yaml: cannot open: No such file or directory");
  }
}

TEST(LoadConfigFile, DirectoryIsAnError) {
  try {
    load_config_file("/tmp");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.line(), 0);
    EXPECT_NE(std::string(e.what()).find("cannot read"), std::string::npos) << e.what();
  }
}

TEST(FormatError, RendersFileLineKeyWhat) {
  EXPECT_EQ(format_error(ConfigError("weir.yaml", 7, "pairs[0].fail", "expected one of open, closed")),
            "weir.yaml:7: pairs[0].fail: expected one of open, closed");
  EXPECT_EQ(format_error(ConfigError("weir.yaml", 3, "", "illegal map value")),
            "weir.yaml:3: illegal map value");
}

}  // namespace
}  // namespace weir::config
