#pragma once
// The typed Weir configuration, shared by weir-dataplane and weir-control.
// Loading validates everything: an error names file, line, key and what was
// expected, so an operator fixes it in one go.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <memory>

#include "config/cidr.h"
#include "parsers/api_policy_table.h"
#include "parsers/graphql/graphql_policy.h"
#include "parsers/grpc/protoset_names.h"
#include "parsers/xml/xml_policy.h"

namespace weir::config {

/// A configuration error: where it is and what is wrong.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, int line, std::string key, std::string what);
  const std::string& file() const { return file_; }
  int line() const { return line_; }       ///< 1-based; 0 when unknown
  const std::string& key() const { return key_; }  ///< dotted path, e.g. pairs[0].fail
 private:
  std::string file_;
  int line_;
  std::string key_;
};

enum class FailMode : uint8_t { Open, Closed };
enum class PacketAction : uint8_t { Forward, Drop };
enum class ExceptionAction : uint8_t { Pass, Drop };
enum class WatchdogAction : uint8_t { FailMode, Log };
/// inspect: the full pipeline; bypass: frames bridged untouched (maintenance, baselines).
enum class PairRunMode : uint8_t { Inspect, Bypass };

struct DataplaneConfig {
  std::vector<unsigned> workers{1};
  unsigned main_lcore = 0;
  unsigned burst = 32;
  unsigned mbufs = 16383;
  unsigned mbuf_cache = 256;
  unsigned rx_ring = 1024;
  unsigned tx_ring = 1024;
  unsigned mtu = 1500;
  unsigned idle_backoff_us = 100;
  unsigned idle_polls_before_sleep = 256;
  unsigned handoff_ring = 4096;
  PacketAction malformed = PacketAction::Drop;
  PacketAction non_ip = PacketAction::Forward;
  int workers_line = 0;     ///< where `workers` was set (0: default), for "lcore N does not exist"
  int main_lcore_line = 0;  ///< where `main_lcore` was set (0: default)
};

struct PortPairConfig {
  std::string name;
  std::string client_port;  ///< DPDK device name
  std::string server_port;
  FailMode fail = FailMode::Open;
  bool link_propagation = true;
  PairRunMode mode = PairRunMode::Inspect;
  int line = 0;  ///< where the pair was declared, for later errors (missing port)
  int client_port_line = 0;
  int server_port_line = 0;
};

struct FlowConfig {
  uint32_t capacity = 262144;
  uint32_t tcp_syn_timeout_s = 10;
  uint32_t tcp_established_timeout_s = 300;
  uint32_t tcp_closed_timeout_s = 5;
  uint32_t udp_timeout_s = 60;
  uint32_t other_timeout_s = 30;
  uint32_t lifetime_s = 86400;
};

enum class MidStream : uint8_t { Accept, Ignore };
enum class SegmentFindings : uint8_t { Alert, Count };

/// TCP reassembly (dataplane/stream).
struct StreamConfig {
  MidStream mid_stream = MidStream::Accept;  ///< flows picked up without a handshake
  uint32_t memory_mb = 64;                   ///< reassembly memory per worker
  uint32_t max_kb_per_direction = 256;       ///< unacknowledged + out-of-order bytes one direction may hold
  bool paws = true;                          ///< drop segments with stale timestamps (RFC 7323)
  bool check_side = true;                    ///< drop segments arriving on the other endpoint's port
  uint32_t min_ttl = 0;                      ///< TTL/hop limit below this never reaches the server (0: off)
  SegmentFindings segment_findings = SegmentFindings::Alert;  ///< evasion attempts: alert or only count
};

/// IP fragment reassembly (dataplane/defrag).
struct DefragConfig {
  uint32_t max_datagrams = 1024;  ///< datagrams in flight per worker
  uint32_t max_fragments = 64;    ///< fragments per datagram
  uint32_t memory_mb = 16;        ///< bytes of held fragments per worker
  uint32_t timeout_s = 30;        ///< an incomplete datagram is dropped after this
};

/// Detection rules (configs/rules/*.yaml, detect/RULES.md).
struct RulesConfig {
  std::string dir;                 ///< relative: to the config file's folder; empty: no rules
  uint32_t stream_scanners = 65536;  ///< flow directions per worker scanned by stream rules at once
  uint32_t parser_slots = 16384;     ///< flows per worker with an L7 parser (HTTP) at once
  int dir_line = 0;
};

struct ScopeConfig {
  std::vector<Cidr> inspect;  ///< empty: everything is in scope
  std::vector<uint16_t> ports;  ///< empty: every port
  std::vector<Cidr> bypass;
};

struct ExceptionConfig {
  ExceptionAction overload = ExceptionAction::Pass;
  ExceptionAction internal_error = ExceptionAction::Pass;
};

struct WatchdogConfig {
  uint32_t stall_ms = 500;
  WatchdogAction action = WatchdogAction::FailMode;
};

struct TelemetryConfig {
  uint32_t latency_sample_every = 64;
};

struct ControlConfig {
  std::string socket = "/run/weir/dataplane.sock";
  std::string spool = "/var/lib/weir/spool.bin";
  uint32_t spool_max_mb = 64;
};

/// Where an alert exporter sends (control/export). One list entry of `export.exporters`.
enum class ExporterType : uint8_t { JsonLines, Syslog, Webhook };
enum class SyslogTransport : uint8_t { Udp, Tcp, Tls };
enum class SyslogFormat : uint8_t { Json, Cef };
enum class WebhookTemplate : uint8_t { Generic, Slack, PagerDuty };

struct ExporterConfig {
  std::string name;
  ExporterType type = ExporterType::JsonLines;
  // jsonl
  std::string path;
  uint32_t max_mb = 100;  ///< rotate when the file would pass this size
  uint32_t keep = 5;      ///< rotated files kept (path.1 .. path.N)
  // syslog
  std::string address;    ///< HOST:PORT or [V6]:PORT
  SyslogTransport transport = SyslogTransport::Udp;
  SyslogFormat format = SyslogFormat::Json;
  uint32_t facility = 16;  ///< local0
  // syslog tls / webhook https
  std::string ca_file;
  std::string server_name;  ///< TLS name to verify (default: the address's host)
  // webhook
  std::string url;
  WebhookTemplate templ = WebhookTemplate::Generic;
  std::string routing_key;  ///< PagerDuty Events v2
  uint32_t timeout_ms = 5000;
  // filters (every exporter)
  uint32_t min_severity = 0;  ///< 0 info .. 4 critical
  std::vector<std::string> classes;  ///< empty: every class
  std::vector<Cidr> servers;         ///< empty: every server address
  std::vector<uint16_t> ports;       ///< server ports; empty: every port
  // delivery
  uint32_t retry_initial_ms = 500;
  uint32_t retry_max_ms = 60000;
  uint32_t spool_max_mb = 64;
  int line = 0;
  bool operator==(const ExporterConfig&) const = default;
};

struct ExportConfig {
  std::string spool_dir;  ///< empty: STATE_DIR/export
  std::vector<ExporterConfig> exporters;
  bool operator==(const ExportConfig&) const = default;
};

/// Admin API on TCP (control/admin): TLS and bearer tokens only.
struct RemoteAdminConfig {
  std::string listen;  ///< HOST:PORT; empty: Unix socket only
  std::string tls_cert;
  std::string tls_key;
  uint32_t auth_failures_per_minute = 10;  ///< per source address, then 429
};

/// Prometheus /metrics without auth on its own address (plain HTTP, /metrics only).
struct MetricsConfig {
  std::string listen;  ///< HOST:PORT; empty: only on the admin listeners
};

/// Operator-defined sensitive-data detector (section `discovery.custom_detectors`).
struct DiscoveryDetectorConfig {
  std::string name;
  std::string regex;              ///< Hyperscan syntax; "" = keys only
  std::vector<std::string> keys;  ///< field names (case, '_' and '-' ignored)
  int line = 0;
  bool operator==(const DiscoveryDetectorConfig&) const = default;
};

/// A named business flow: endpoint keys "HOST METHOD /template" in order.
struct DiscoveryFlowConfig {
  std::string name;
  std::vector<std::string> steps;
  int line = 0;
  bool operator==(const DiscoveryFlowConfig&) const = default;
};

/// API discovery (section `discovery`): worker sampling budget per endpoint,
/// custom detectors, declared flows.
struct DiscoveryConfig {
  bool enabled = true;
  uint32_t sample_rate_per_s = 50;  ///< observations per second per endpoint and worker
  uint32_t sample_burst = 100;
  /// Observations awaiting their response, per worker (fixed pool; a full
  /// pool skips and counts). Sized at start.
  uint32_t in_flight_per_worker = 64;
  std::vector<DiscoveryDetectorConfig> custom_detectors;
  std::vector<DiscoveryFlowConfig> flows;
  bool operator==(const DiscoveryConfig&) const = default;
};

/// Parser policies (section `parsers`): what every GraphQL request and XML
/// body is checked against, on top of the parsers' defaults (header-only
/// structs of parsers/, copied into each worker's ParserWorkspace).
struct ParsersConfig {
  parse::GraphqlPolicy graphql;
  parse::XmlPolicy xml;
  /// parsers.grpc.protosets, made absolute (relative: to the config file's
  /// folder), and the descriptor sets they hold, loaded once when the
  /// config is parsed (null: none); shared read-only by every worker.
  std::vector<std::string> protosets;
  std::shared_ptr<const parse::ProtosetNames> protoset_names;
  /// Section `apis:`: per-API GraphQL/XML policies (the global ones above
  /// with that API's overrides), first match by host + path prefix.
  parse::ApiPolicyTable apis;
};

struct Config {
  std::string source;  ///< file it was loaded from ("<embedded>" for the default)
  DataplaneConfig dataplane;
  std::vector<PortPairConfig> pairs;
  FlowConfig flow;
  StreamConfig stream;
  DefragConfig defrag;
  RulesConfig rules;
  ScopeConfig scope;
  ExceptionConfig exceptions;
  WatchdogConfig watchdog;
  TelemetryConfig telemetry;
  ControlConfig control;
  ExportConfig exports;  ///< section `export`
  RemoteAdminConfig admin;
  MetricsConfig metrics;
  DiscoveryConfig discovery;
  ParsersConfig parsers;
};

/// Splits "HOST:PORT" / "[V6]:PORT"; false when malformed or port not 1..65535.
bool split_host_port(const std::string& text, std::string& host, uint16_t& port);

/// Parses and validates YAML text; `file` is used in error messages and
/// relative paths resolve against its folder — or `base_dir` when given
/// (a config pushed by weir-control names no file).
/// Throws ConfigError on the first problem.
Config parse_config(const std::string& yaml_text, const std::string& file, const std::string& base_dir = {});

/// The folder relative paths of a config loaded from `source` are taken
/// from (the source tree's configs/ for the embedded default).
std::string config_base_dir(const std::string& source);

/// Reads and parses a file. Throws ConfigError (line 0 if it cannot be read).
Config load_config_file(const std::string& path);

/// The default configuration compiled into the binaries (configs/weir.yaml).
const std::string& embedded_default_config();

/// rules.dir made absolute: relative to the config file's folder, or for the
/// embedded default to the source tree's configs/ folder. Empty when unset.
std::string resolve_rules_dir(const Config& cfg);

/// One-line rendering: "FILE:LINE: KEY: WHAT".
std::string format_error(const ConfigError& e);

}  // namespace weir::config
