// parse_config on invalid input: every error class gives file, the line of
// the offending key or value, its dotted key and what was expected.

#include <gtest/gtest.h>

#include <string>

#include "config/weir_config.h"

namespace weir::config {
namespace {

// A valid pairs section, appended where a case is about another section.
constexpr const char* kPairs =
    "pairs:\n"
    "  - name: a\n"
    "    client_port: p0\n"
    "    server_port: p1\n";

struct ErrorCase {
  const char* name;
  std::string yaml;
  int line;
  const char* key;
  const char* what;  // exact message
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

class ConfigErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ConfigErrors, NamesLineKeyAndExpectation) {
  const ErrorCase& c = GetParam();
  try {
    parse_config(c.yaml, "t.yaml");
    FAIL() << "accepted:\n" << c.yaml;
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), "t.yaml");
    EXPECT_EQ(e.line(), c.line) << format_error(e);
    EXPECT_EQ(e.key(), c.key) << format_error(e);
    EXPECT_EQ(std::string(e.what()), c.what) << format_error(e);
  }
}

std::string with_pairs(const std::string& head) { return head + kPairs; }
std::string dataplane(const std::string& body) { return with_pairs("dataplane:\n" + body); }
std::string pair_with(const std::string& extra) { return std::string(kPairs) + extra; }

const ErrorCase kCases[] = {
    // Unknown keys, at every level, with a suggestion for near misses.
    {"unknown_top", with_pairs("flows:\n  capacity: 5\n"), 1, "flows",
     "unknown key; did you mean 'flow'?"},
    {"unknown_dataplane", dataplane("  burst: 32\n  bursts: 4\n"), 3, "dataplane.bursts",
     "unknown key; did you mean 'burst'?"},
    {"unknown_pair", pair_with("    fial: open\n"), 5, "pairs[0].fial",
     "unknown key; did you mean 'fail'?"},
    {"unknown_far", with_pairs("scope:\n  everything: true\n"), 2, "scope.everything",
     "unknown key; expected one of inspect, ports, bypass"},
    {"duplicate_key", with_pairs("flow:\n  capacity: 5\n  capacity: 6\n"), 3, "flow.capacity",
     "duplicate key"},
    // Wrong types.
    {"quoted_number", dataplane("  burst: \"32\"\n"), 2, "dataplane.burst",
     "expected an integer in 1..512, got string '32'"},
    {"list_for_number", dataplane("  burst: [32]\n"), 2, "dataplane.burst",
     "expected an integer in 1..512, got a list"},
    {"word_for_number", dataplane("  mtu: big\n"), 2, "dataplane.mtu",
     "expected an integer in 68..9600, got 'big'"},
    {"float_for_number", dataplane("  mtu: 1500.5\n"), 2, "dataplane.mtu",
     "expected an integer in 68..9600, got '1500.5'"},
    {"null_for_number", dataplane("  burst:\n  mtu: 1500\n"), 2, "dataplane.burst",
     "expected an integer in 1..512, got nothing"},
    {"scalar_for_list", dataplane("  workers: 3\n"), 2, "dataplane.workers",
     "expected a list, got '3'"},
    {"scalar_for_section", with_pairs("dataplane: 5\n"), 1, "dataplane",
     "expected a map, got '5'"},
    {"map_for_pairs", "pairs:\n  a: b\n", 2, "pairs", "expected a list, got a map"},
    {"list_for_string", pair_with("  - name: [x]\n    client_port: p2\n    server_port: p3\n"),
     5, "pairs[1].name", "expected a string, got a list"},
    {"yes_for_bool", pair_with("    link_propagation: yes\n"), 5, "pairs[0].link_propagation",
     "expected true or false, got 'yes'"},
    {"quoted_bool", pair_with("    link_propagation: 'true'\n"), 5, "pairs[0].link_propagation",
     "expected true or false, got string 'true'"},
    {"empty_string", with_pairs("control:\n  spool: ''\n"), 2, "control.spool",
     "expected a non-empty string"},
    {"root_not_map", "just text\n", 1, "", "expected a map, got 'just text'"},
    // Negative and out-of-range numbers.
    {"negative", dataplane("  main_lcore: -1\n"), 2, "dataplane.main_lcore",
     "expected an integer in 0..1023, got negative number -1"},
    {"burst_zero", dataplane("  burst: 0\n"), 2, "dataplane.burst",
     "expected an integer in 1..512, got 0"},
    {"burst_high", dataplane("  burst: 513\n"), 2, "dataplane.burst",
     "expected an integer in 1..512, got 513"},
    {"mtu_low", dataplane("  mtu: 67\n"), 2, "dataplane.mtu",
     "expected an integer in 68..9600, got 67"},
    {"mtu_high", dataplane("  mtu: 9601\n"), 2, "dataplane.mtu",
     "expected an integer in 68..9600, got 9601"},
    {"overflow", dataplane("  mtu: 99999999999999999999999\n"), 2, "dataplane.mtu",
     "expected an integer in 68..9600, got 99999999999999999999999"},
    {"rx_ring_not_pow2", dataplane("  rx_ring: 1000\n"), 2, "dataplane.rx_ring",
     "expected a power of two in 32..32768, got 1000"},
    {"tx_ring_too_big", dataplane("  tx_ring: 65536\n"), 2, "dataplane.tx_ring",
     "expected an integer in 32..32768, got 65536"},
    {"handoff_not_pow2", dataplane("  handoff_ring: 3000\n"), 2, "dataplane.handoff_ring",
     "expected a power of two in 64..1048576, got 3000"},
    {"mbuf_cache_too_big", dataplane("  mbufs: 700\n  mbuf_cache: 512\n"), 3,
     "dataplane.mbuf_cache", "mbuf_cache 512 is more than mbufs (700) / 1.5, which DPDK refuses"},
    {"mbuf_cache_over_max", dataplane("  mbuf_cache: 513\n"), 2, "dataplane.mbuf_cache",
     "expected an integer in 0..512, got 513"},
    {"mbufs_too_few", dataplane("  mbufs: 510\n"), 2, "dataplane.mbufs",
     "expected an integer in 511..16777215, got 510"},
    {"port_zero", with_pairs("scope:\n  ports: [443, 0]\n"), 2, "scope.ports[1]",
     "expected an integer in 1..65535, got 0"},
    {"port_high", with_pairs("scope:\n  ports:\n    - 65536\n"), 3, "scope.ports[0]",
     "expected an integer in 1..65535, got 65536"},
    {"stall_low", with_pairs("watchdog:\n  stall_ms: 1\n"), 2, "watchdog.stall_ms",
     "expected an integer in 10..60000, got 1"},
    {"socket_too_long", with_pairs("control:\n  socket: /" + std::string(107, 's') + "\n"), 2,
     "control.socket",
     "expected a path of at most 107 bytes (the limit of a Unix socket address), got 108"},
    // Workers.
    {"workers_empty", dataplane("  workers: []\n"), 2, "dataplane.workers",
     "expected at least one worker lcore"},
    {"workers_duplicate", dataplane("  workers: [1, 2, 1]\n"), 2, "dataplane.workers[2]",
     "lcore 1 is listed twice (also dataplane.workers[0])"},
    {"workers_main", dataplane("  main_lcore: 2\n  workers:\n    - 1\n    - 2\n"), 5,
     "dataplane.workers[1]", "lcore 2 is the main_lcore; workers need lcores of their own"},
    {"main_is_default_worker", dataplane("  main_lcore: 1\n"), 2, "dataplane.main_lcore",
     "lcore 1 is also a worker (the default workers); set dataplane.workers too"},
    // Enums.
    {"fail_typo", pair_with("    fail: opne\n"), 5, "pairs[0].fail",
     "expected one of open, closed, got 'opne'"},
    {"pair_mode_typo", pair_with("    mode: bypas\n"), 5, "pairs[0].mode",
     "expected one of inspect, bypass, got 'bypas'"},
    {"malformed_bad", dataplane("  malformed: pass\n"), 2, "dataplane.malformed",
     "expected one of drop, forward, got 'pass'"},
    {"overload_bad", with_pairs("exceptions:\n  overload: forward\n"), 2, "exceptions.overload",
     "expected one of pass, drop, got 'forward'"},
    {"watchdog_action_bad", with_pairs("watchdog:\n  action: [log]\n"), 2, "watchdog.action",
     "expected one of fail_mode, log, got a list"},
    // Missing and required.
    {"pairs_missing", "dataplane:\n  burst: 8\n", 1, "pairs", "missing required key"},
    {"empty_document", "# nothing here\n", 1, "pairs", "missing required key"},
    {"pairs_empty", "pairs: []\n", 1, "pairs", "expected at least one port pair"},
    {"server_port_missing", "pairs:\n  - name: a\n    client_port: p0\n", 2,
     "pairs[0].server_port", "missing required key"},
    {"client_port_missing", pair_with("  - server_port: p9\n"), 5, "pairs[1].client_port",
     "missing required key"},
    {"pair_not_map", pair_with("  - p2\n"), 5, "pairs[1]", "expected a map, got 'p2'"},
    // Pairs that clash.
    {"duplicate_pair_name", pair_with("  - name: a\n    client_port: p2\n    server_port: p3\n"),
     5, "pairs[1].name", "duplicate pair name 'a' (first at line 2)"},
    {"duplicate_default_name",
     "pairs:\n  - name: pair1\n    client_port: p0\n    server_port: p1\n"
     "  - client_port: p2\n    server_port: p3\n",
     5, "pairs[1]", "duplicate pair name 'pair1' (first at line 2)"},
    {"port_in_two_pairs", pair_with("  - name: b\n    client_port: p2\n    server_port: p0\n"), 7,
     "pairs[1].server_port", "port 'p0' is already used by pair 'a' (line 3)"},
    {"port_twice_in_pair", "pairs:\n  - client_port: p0\n    server_port: p0\n", 3,
     "pairs[0].server_port", "server_port is the same device as client_port ('p0')"},
    {"pair_name_chars", "pairs:\n  - name: a b\n    client_port: p0\n    server_port: p1\n", 2,
     "pairs[0].name", "expected letters, digits, '_', '-' or '.', got 'a b'"},
    // Prefixes.
    {"cidr_host_bits", with_pairs("scope:\n  inspect:\n    - 198.18.0.0/15\n    - 198.18.0.1/15\n"),
     4, "scope.inspect[1]",
     "expected an IPv4 or IPv6 prefix such as 198.18.0.0/15 (host bits zero), got '198.18.0.1/15'"},
    {"cidr_garbage", with_pairs("scope:\n  bypass: [backup-net]\n"), 2, "scope.bypass[0]",
     "expected an IPv4 or IPv6 prefix such as 198.18.0.0/15 (host bits zero), got 'backup-net'"},
    // YAML itself.
    {"syntax_flow", "dataplane:\n  workers: [1, 2\n  burst: 4\n", 3, "",
     "end of sequence flow not found"},
    {"syntax_indent", "dataplane:\n  burst: 4\n    mtu: 9000\n", 3, "", "illegal map value"},
    {"two_documents", std::string(kPairs) + "---\n" + kPairs, 6, "",
     "expected a single YAML document, got 2"},
};

INSTANTIATE_TEST_SUITE_P(Table, ConfigErrors, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<ErrorCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(ConfigErrorsFormat, OneLineWithFileLineKeyWhat) {
  try {
    parse_config(pair_with("    fail: opne\n"), "/etc/weir/weir.yaml");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(format_error(e),
              "/etc/weir/weir.yaml:5: pairs[0].fail: expected one of open, closed, got 'opne'");
  }
}

}  // namespace
}  // namespace weir::config
