// Section readers for weir.yaml: the schema, with its limits. Every limit is
// documented in configs/README.md; keep both in step.

#include "config/config_sections.h"

#include <map>
#include <optional>
#include <string>

#include "config/cidr.h"

namespace weir::config {
namespace {

// Generous sanity bound; whether the lcore exists is checked by the dataplane.
constexpr uint64_t kMaxLcore = 1023;
constexpr uint64_t kMaxBurst = 512;
constexpr uint64_t kMinMbufs = 511;
constexpr uint64_t kMaxMbufs = (1u << 24) - 1;
constexpr uint64_t kMaxMbufCache = 512;  // RTE_MEMPOOL_CACHE_MAX_SIZE
constexpr uint64_t kMinRing = 32;
constexpr uint64_t kMaxRing = 32768;  // nb_desc is a uint16_t
constexpr uint64_t kMinMtu = 68;      // RFC 791 minimum
constexpr uint64_t kMaxMtu = 9600;
constexpr uint64_t kMaxIdleBackoffUs = 100000;
constexpr uint64_t kMaxIdlePolls = 1u << 20;
constexpr uint64_t kMinHandoffRing = 64;
constexpr uint64_t kMaxHandoffRing = 1u << 20;
constexpr uint64_t kMaxFlowCapacity = 1u << 26;
constexpr uint64_t kMaxTimeoutS = 30 * 86400;
constexpr uint64_t kMinStallMs = 10;
constexpr uint64_t kMaxStallMs = 60000;
constexpr uint64_t kMaxSampleEvery = 1u << 20;
constexpr uint64_t kMaxSpoolMb = 65536;
constexpr size_t kMaxSocketPath = 107;  // sizeof(sockaddr_un::sun_path) - 1
constexpr size_t kMaxPairName = 32;

bool is_power_of_two(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

unsigned read_ring(const YamlReader& section, std::string_view key, unsigned current,
                   uint64_t min, uint64_t max) {
  auto c = section.child(key);
  if (!c) return current;
  const uint64_t value = c->as_uint(min, max);
  if (!is_power_of_two(value)) {
    c->fail("expected a power of two in " + std::to_string(min) + ".." + std::to_string(max) +
            ", got " + std::to_string(value));
  }
  return static_cast<unsigned>(value);
}

}  // namespace

void read_dataplane(const YamlReader& section, DataplaneConfig& out) {
  section.expect_map({"workers", "main_lcore", "burst", "mbufs", "mbuf_cache", "rx_ring",
                      "tx_ring", "mtu", "idle_backoff_us", "idle_polls_before_sleep",
                      "handoff_ring", "malformed", "non_ip"});
  if (auto c = section.child("main_lcore")) {
    out.main_lcore = static_cast<unsigned>(c->as_uint(0, kMaxLcore));
    out.main_lcore_line = c->line();
  }
  if (auto c = section.child("workers")) {
    const std::vector<YamlReader> items = c->items();
    if (items.empty()) c->fail("expected at least one worker lcore");
    out.workers.clear();
    out.workers_line = c->line();
    std::map<unsigned, std::string> seen;  // lcore -> where it was listed first
    for (const YamlReader& item : items) {
      const auto lcore = static_cast<unsigned>(item.as_uint(0, kMaxLcore));
      if (lcore == out.main_lcore) {
        item.fail("lcore " + std::to_string(lcore) +
                  " is the main_lcore; workers need lcores of their own");
      }
      if (auto [it, inserted] = seen.emplace(lcore, item.path()); !inserted) {
        item.fail("lcore " + std::to_string(lcore) + " is listed twice (also " + it->second + ")");
      }
      out.workers.push_back(lcore);
    }
  } else if (auto c = section.child("main_lcore")) {
    for (unsigned lcore : out.workers) {
      if (lcore == out.main_lcore) {
        c->fail("lcore " + std::to_string(lcore) +
                " is also a worker (the default workers); set dataplane.workers too");
      }
    }
  }
  section.read_uint("burst", out.burst, 1, kMaxBurst);
  section.read_uint("mbufs", out.mbufs, kMinMbufs, kMaxMbufs);
  if (auto c = section.child("mbuf_cache")) {
    out.mbuf_cache = static_cast<unsigned>(c->as_uint(0, kMaxMbufCache));
  }
  // rte_mempool_create refuses a cache larger than n / 1.5.
  if (uint64_t{out.mbuf_cache} * 3 > uint64_t{out.mbufs} * 2) {
    auto where = section.child("mbuf_cache");
    if (!where) where = section.child("mbufs");
    (where ? *where : section).fail("mbuf_cache " + std::to_string(out.mbuf_cache) + " is more than mbufs (" +
                std::to_string(out.mbufs) + ") / 1.5, which DPDK refuses");
  }
  out.rx_ring = read_ring(section, "rx_ring", out.rx_ring, kMinRing, kMaxRing);
  out.tx_ring = read_ring(section, "tx_ring", out.tx_ring, kMinRing, kMaxRing);
  section.read_uint("mtu", out.mtu, kMinMtu, kMaxMtu);
  section.read_uint("idle_backoff_us", out.idle_backoff_us, 0, kMaxIdleBackoffUs);
  section.read_uint("idle_polls_before_sleep", out.idle_polls_before_sleep, 1, kMaxIdlePolls);
  out.handoff_ring =
      read_ring(section, "handoff_ring", out.handoff_ring, kMinHandoffRing, kMaxHandoffRing);
  section.read_enum("malformed", out.malformed,
                    {{"drop", PacketAction::Drop}, {"forward", PacketAction::Forward}});
  section.read_enum("non_ip", out.non_ip,
                    {{"forward", PacketAction::Forward}, {"drop", PacketAction::Drop}});
}

void read_pairs(const YamlReader& section, std::vector<PortPairConfig>& out) {
  const std::vector<YamlReader> items = section.items();
  if (items.empty()) section.fail("expected at least one port pair");
  out.clear();
  struct FirstUse {
    std::string pair;
    int line;
  };
  std::map<std::string, FirstUse> names;
  std::map<std::string, FirstUse> ports;
  for (size_t i = 0; i < items.size(); ++i) {
    const YamlReader& item = items[i];
    item.expect_map({"name", "client_port", "server_port", "fail", "link_propagation", "mode"});
    PortPairConfig pair;
    pair.line = item.line();
    pair.name = "pair" + std::to_string(i);
    const std::optional<YamlReader> name = item.child("name");
    const YamlReader& name_at = name ? *name : item;
    if (name) {
      pair.name = name->as_string();
      if (pair.name.size() > kMaxPairName) {
        name->fail("expected at most " + std::to_string(kMaxPairName) + " characters");
      }
      for (char ch : pair.name) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                        (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.';
        if (!ok) name->fail("expected letters, digits, '_', '-' or '.', got '" + pair.name + "'");
      }
    }
    if (auto [it, inserted] = names.emplace(pair.name, FirstUse{pair.name, name_at.line()});
        !inserted) {
      name_at.fail("duplicate pair name '" + pair.name + "' (first at line " +
                   std::to_string(it->second.line) + ")");
    }
    const YamlReader client = item.required("client_port");
    const YamlReader server = item.required("server_port");
    pair.client_port = client.as_string();
    pair.client_port_line = client.line();
    pair.server_port = server.as_string();
    pair.server_port_line = server.line();
    if (pair.server_port == pair.client_port) {
      server.fail("server_port is the same device as client_port ('" + pair.client_port + "')");
    }
    for (const YamlReader* port : {&client, &server}) {
      const std::string device = port->as_string();
      if (auto [it, inserted] = ports.emplace(device, FirstUse{pair.name, port->line()});
          !inserted) {
        port->fail("port '" + device + "' is already used by pair '" + it->second.pair +
                   "' (line " + std::to_string(it->second.line) + ")");
      }
    }
    item.read_enum("fail", pair.fail, {{"open", FailMode::Open}, {"closed", FailMode::Closed}});
    item.read_bool("link_propagation", pair.link_propagation);
    item.read_enum("mode", pair.mode, {{"inspect", PairRunMode::Inspect}, {"bypass", PairRunMode::Bypass}});
    out.push_back(std::move(pair));
  }
}

void read_flow(const YamlReader& section, FlowConfig& out) {
  section.expect_map({"capacity", "tcp_syn_timeout_s", "tcp_established_timeout_s",
                      "tcp_closed_timeout_s", "udp_timeout_s", "other_timeout_s", "lifetime_s"});
  section.read_uint("capacity", out.capacity, 1, kMaxFlowCapacity);
  section.read_uint("tcp_syn_timeout_s", out.tcp_syn_timeout_s, 1, kMaxTimeoutS);
  section.read_uint("tcp_established_timeout_s", out.tcp_established_timeout_s, 1, kMaxTimeoutS);
  section.read_uint("tcp_closed_timeout_s", out.tcp_closed_timeout_s, 1, kMaxTimeoutS);
  section.read_uint("udp_timeout_s", out.udp_timeout_s, 1, kMaxTimeoutS);
  section.read_uint("other_timeout_s", out.other_timeout_s, 1, kMaxTimeoutS);
  section.read_uint("lifetime_s", out.lifetime_s, 1, kMaxTimeoutS);
}

namespace {

std::vector<Cidr> read_cidrs(const YamlReader& list) {
  std::vector<Cidr> out;
  for (const YamlReader& item : list.items()) {
    const std::string text = item.as_string();
    std::optional<Cidr> cidr = Cidr::parse(text);
    if (!cidr) {
      item.fail("expected an IPv4 or IPv6 prefix such as 198.18.0.0/15 (host bits zero), got '" +
                text + "'");
    }
    out.push_back(*cidr);
  }
  return out;
}

}  // namespace

void read_scope(const YamlReader& section, ScopeConfig& out) {
  section.expect_map({"inspect", "ports", "bypass"});
  if (auto c = section.child("inspect")) out.inspect = read_cidrs(*c);
  if (auto c = section.child("bypass")) out.bypass = read_cidrs(*c);
  if (auto c = section.child("ports")) {
    out.ports.clear();
    for (const YamlReader& item : c->items()) {
      out.ports.push_back(static_cast<uint16_t>(item.as_uint(1, 65535)));
    }
  }
}

void read_exceptions(const YamlReader& section, ExceptionConfig& out) {
  section.expect_map({"overload", "internal_error"});
  section.read_enum("overload", out.overload,
                    {{"pass", ExceptionAction::Pass}, {"drop", ExceptionAction::Drop}});
  section.read_enum("internal_error", out.internal_error,
                    {{"pass", ExceptionAction::Pass}, {"drop", ExceptionAction::Drop}});
}

void read_stream(const YamlReader& section, StreamConfig& out) {
  section.expect_map({"mid_stream", "memory_mb", "max_kb_per_direction", "paws", "check_side",
                      "min_ttl", "segment_findings"});
  section.read_enum("mid_stream", out.mid_stream,
                    {{"accept", MidStream::Accept}, {"ignore", MidStream::Ignore}});
  section.read_uint("memory_mb", out.memory_mb, 1, 65536);
  section.read_uint("max_kb_per_direction", out.max_kb_per_direction, 4, 65536);
  section.read_bool("paws", out.paws);
  section.read_bool("check_side", out.check_side);
  section.read_uint("min_ttl", out.min_ttl, 0, 255);
  section.read_enum("segment_findings", out.segment_findings,
                    {{"alert", SegmentFindings::Alert}, {"count", SegmentFindings::Count}});
}

void read_defrag(const YamlReader& section, DefragConfig& out) {
  section.expect_map({"max_datagrams", "max_fragments", "memory_mb", "timeout_s"});
  section.read_uint("max_datagrams", out.max_datagrams, 1, 1u << 20);
  section.read_uint("max_fragments", out.max_fragments, 2, 255);
  section.read_uint("memory_mb", out.memory_mb, 1, 4096);
  section.read_uint("timeout_s", out.timeout_s, 1, 120);
}

void read_rules(const YamlReader& section, RulesConfig& out) {
  section.expect_map({"dir", "stream_scanners", "parser_slots"});
  if (auto d = section.child("dir")) {
    out.dir = d->as_string();
    out.dir_line = d->line();
  }
  section.read_uint("stream_scanners", out.stream_scanners, 16, 1u << 24);
  section.read_uint("parser_slots", out.parser_slots, 16, 1u << 24);
}

void read_watchdog(const YamlReader& section, WatchdogConfig& out) {
  section.expect_map({"stall_ms", "action"});
  section.read_uint("stall_ms", out.stall_ms, kMinStallMs, kMaxStallMs);
  section.read_enum("action", out.action,
                    {{"fail_mode", WatchdogAction::FailMode}, {"log", WatchdogAction::Log}});
}

void read_telemetry(const YamlReader& section, TelemetryConfig& out) {
  section.expect_map({"latency_sample_every"});
  section.read_uint("latency_sample_every", out.latency_sample_every, 1, kMaxSampleEvery);
}

void read_control(const YamlReader& section, ControlConfig& out) {
  section.expect_map({"socket", "spool", "spool_max_mb"});
  if (auto c = section.child("socket")) {
    out.socket = c->as_string();
    if (out.socket.size() > kMaxSocketPath) {
      c->fail("expected a path of at most " + std::to_string(kMaxSocketPath) +
              " bytes (the limit of a Unix socket address), got " +
              std::to_string(out.socket.size()));
    }
  }
  section.read_string("spool", out.spool);
  section.read_uint("spool_max_mb", out.spool_max_mb, 1, kMaxSpoolMb);
}

}  // namespace weir::config
