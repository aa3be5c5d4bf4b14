// The control-plane sections of weir.yaml: export (exporters, per-type
// keys, filters), admin (TLS required for listen) and metrics, with their
// FILE:LINE: KEY: WHAT errors.
#include <gtest/gtest.h>

#include "config/weir_config.h"
#include "tests/unit/config/section_test_config.h"

namespace weir::config {
namespace {

TEST(ExportSection, ParsesEveryExporterType) {
  const Config c = parse_config(kPairs +
                                    "export:\n"
                                    "  spool_dir: /var/spool/weir\n"
                                    "  exporters:\n"
                                    "    - name: file\n"
                                    "      type: jsonl\n"
                                    "      path: /var/log/weir/alerts.jsonl\n"
                                    "      max_mb: 10\n"
                                    "      keep: 3\n"
                                    "    - name: siem\n"
                                    "      type: syslog\n"
                                    "      address: \"[2001:2::1]:6514\"\n"
                                    "      transport: tls\n"
                                    "      format: cef\n"
                                    "      ca_file: /etc/weir/ca.pem\n"
                                    "      min_severity: high\n"
                                    "      classes: [sqli, xss]\n"
                                    "      servers: [198.19.0.0/16]\n"
                                    "      ports: [443]\n"
                                    "    - name: pd\n"
                                    "      type: webhook\n"
                                    "      url: https://events.example/v2/enqueue\n"
                                    "      template: pagerduty\n"
                                    "      routing_key: R0UT1NG\n"
                                    "      retry_initial_ms: 200\n"
                                    "      retry_max_ms: 5000\n",
                                "w.yaml");
  ASSERT_EQ(c.exports.exporters.size(), 3u);
  EXPECT_EQ(c.exports.spool_dir, "/var/spool/weir");
  const ExporterConfig& f = c.exports.exporters[0];
  EXPECT_EQ(f.type, ExporterType::JsonLines);
  EXPECT_EQ(f.max_mb, 10u);
  EXPECT_EQ(f.keep, 3u);
  const ExporterConfig& s = c.exports.exporters[1];
  EXPECT_EQ(s.transport, SyslogTransport::Tls);
  EXPECT_EQ(s.format, SyslogFormat::Cef);
  EXPECT_EQ(s.min_severity, 3u);
  EXPECT_EQ(s.classes, (std::vector<std::string>{"sqli", "xss"}));
  ASSERT_EQ(s.servers.size(), 1u);
  EXPECT_EQ(s.ports, (std::vector<uint16_t>{443}));
  const ExporterConfig& w = c.exports.exporters[2];
  EXPECT_EQ(w.templ, WebhookTemplate::PagerDuty);
  EXPECT_EQ(w.retry_initial_ms, 200u);
}

TEST(ExportSection, Errors) {
  EXPECT_EQ(error_of("export:\n  exporters:\n    - name: a\n      type: syslog\n      address: nohost\n"),
            "w.yaml:9: export.exporters[0].address: expected HOST:PORT or [IPV6]:PORT with a port in 1..65535, "
            "got 'nohost'");
  EXPECT_EQ(error_of("export:\n  exporters:\n    - name: a\n      type: jsonl\n      path: /x\n      url: http://a\n"),
            "w.yaml:10: export.exporters[0].url: not a key of a jsonl exporter");
  EXPECT_EQ(error_of("export:\n  exporters:\n    - name: a\n      type: syslog\n      address: a:1\n"
                     "      transport: tls\n"),
            "w.yaml:7: export.exporters[0]: transport tls needs ca_file (the CA that signed the receiver's "
            "certificate)");
  EXPECT_EQ(error_of("export:\n  exporters:\n    - name: a\n      type: webhook\n      url: ftp://x\n"),
            "w.yaml:9: export.exporters[0].url: expected an http:// or https:// URL, got 'ftp://x'");
  EXPECT_EQ(error_of("export:\n  exporters:\n    - name: a\n      type: webhook\n      url: http://x\n"
                     "      template: pagerduty\n"),
            "w.yaml:7: export.exporters[0]: template pagerduty needs routing_key (the Events v2 integration key)");
  EXPECT_EQ(error_of("export:\n  exporters:\n    - {name: a, type: jsonl, path: /a}\n"
                     "    - {name: a, type: jsonl, path: /b}\n"),
            "w.yaml:8: export.exporters[1].name: duplicate exporter name 'a' (first at line 7)");
  EXPECT_EQ(error_of("export:\n  exporters:\n    - {name: a, type: jsonl, path: /a, min_severity: severe}\n"),
            "w.yaml:7: export.exporters[0].min_severity: expected one of info, low, medium, high, critical, got "
            "'severe'");
  EXPECT_EQ(error_of("export:\n  exporters:\n    - {name: a, type: jsonl, path: /a, retry_initial_ms: 500, "
                     "retry_max_ms: 100}\n"),
            "w.yaml:7: export.exporters[0].retry_max_ms: must be >= retry_initial_ms (500)");
  EXPECT_EQ(error_of("export:\n  exporterz: []\n"),
            "w.yaml:6: export.exporterz: unknown key; did you mean 'exporters'?");
}

TEST(AdminSection, TlsIsRequiredForListen) {
  EXPECT_EQ(error_of("admin:\n  listen: 127.0.0.1:8443\n"),
            "w.yaml:6: admin: listen needs tls_cert and tls_key: the admin API is never served on plain TCP");
  const Config c = parse_config(kPairs +
                                    "admin:\n  listen: \"[::1]:8443\"\n  tls_cert: /c.pem\n  tls_key: /k.pem\n"
                                    "  auth_failures_per_minute: 5\nmetrics:\n  listen: 127.0.0.1:9464\n",
                                "w.yaml");
  EXPECT_EQ(c.admin.listen, "[::1]:8443");
  EXPECT_EQ(c.admin.auth_failures_per_minute, 5u);
  EXPECT_EQ(c.metrics.listen, "127.0.0.1:9464");
  EXPECT_EQ(error_of("metrics:\n  listen: 127.0.0.1:0\n"),
            "w.yaml:6: metrics.listen: expected HOST:PORT or [IPV6]:PORT with a port in 1..65535, got "
            "'127.0.0.1:0'");
}

TEST(AdminSection, SplitHostPort) {
  std::string host;
  uint16_t port = 0;
  EXPECT_TRUE(split_host_port("[2001:2::1]:514", host, port));
  EXPECT_EQ(host, "2001:2::1");
  EXPECT_EQ(port, 514);
  EXPECT_FALSE(split_host_port("2001:2::1:514", host, port));
  EXPECT_FALSE(split_host_port("h:65536", host, port));
  EXPECT_FALSE(split_host_port(":1", host, port));
}

}  // namespace
}  // namespace weir::config
