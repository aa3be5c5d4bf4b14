// The `export:` section: alert exporters run by weir-control
// (control/export). One flat map per exporter; a key that belongs to
// another exporter type is an error, so a typo'd type is never half-used.
// Limits are documented in configs/README.md.

#include <map>
#include <set>
#include <string>

#include "config/config_sections.h"

namespace weir::config {
namespace {

constexpr size_t kMaxExporterName = 32;
constexpr uint64_t kMaxFileMb = 1u << 20;
constexpr uint64_t kMaxKeep = 100;
constexpr uint64_t kMaxSpoolMb = 65536;
constexpr uint64_t kMaxRetryMs = 3600 * 1000;
constexpr uint64_t kMaxTimeoutMs = 120000;

const std::set<std::string> kCommonKeys = {"name", "type", "min_severity", "classes", "servers",
                                           "ports", "retry_initial_ms", "retry_max_ms", "spool_max_mb"};
const std::map<ExporterType, std::set<std::string>> kTypeKeys = {
    {ExporterType::JsonLines, {"path", "max_mb", "keep"}},
    {ExporterType::Syslog, {"address", "transport", "format", "facility", "ca_file", "server_name"}},
    {ExporterType::Webhook, {"url", "template", "routing_key", "ca_file", "timeout_ms"}},
};

const char* type_name(ExporterType t) {
  switch (t) {
    case ExporterType::JsonLines: return "jsonl";
    case ExporterType::Syslog: return "syslog";
    case ExporterType::Webhook: return "webhook";
  }
  return "?";
}

void read_filters(const YamlReader& item, ExporterConfig& e) {
  item.read_enum<uint32_t>("min_severity", e.min_severity,
                 {{"info", 0u}, {"low", 1u}, {"medium", 2u}, {"high", 3u}, {"critical", 4u}});
  if (auto c = item.child("classes"))
    for (const YamlReader& cls : c->items()) e.classes.push_back(cls.as_string());
  if (auto c = item.child("servers")) {
    for (const YamlReader& s : c->items()) {
      const std::string text = s.as_string();
      auto cidr = Cidr::parse(text);
      if (!cidr) s.fail("expected an IPv4 or IPv6 address or prefix (host bits zero), got '" + text + "'");
      e.servers.push_back(*cidr);
    }
  }
  if (auto c = item.child("ports"))
    for (const YamlReader& p : c->items()) e.ports.push_back(static_cast<uint16_t>(p.as_uint(1, 65535)));
}

void read_syslog(const YamlReader& item, ExporterConfig& e) {
  const YamlReader addr = item.required("address");
  e.address = addr.as_string();
  std::string host;
  uint16_t port = 0;
  if (!split_host_port(e.address, host, port))
    addr.fail("expected HOST:PORT or [IPV6]:PORT with a port in 1..65535, got '" + e.address + "'");
  item.read_enum("transport", e.transport,
                 {{"udp", SyslogTransport::Udp}, {"tcp", SyslogTransport::Tcp}, {"tls", SyslogTransport::Tls}});
  item.read_enum("format", e.format, {{"json", SyslogFormat::Json}, {"cef", SyslogFormat::Cef}});
  item.read_uint("facility", e.facility, 0, 23);
  item.read_string("ca_file", e.ca_file);
  item.read_string("server_name", e.server_name);
  if (e.transport == SyslogTransport::Tls && e.ca_file.empty())
    item.fail("transport tls needs ca_file (the CA that signed the receiver's certificate)");
  if (e.transport != SyslogTransport::Tls) {
    for (const char* key : {"ca_file", "server_name"})
      if (auto c = item.child(key)) c->fail("only used with transport: tls");
  }
}

void read_webhook(const YamlReader& item, ExporterConfig& e) {
  const YamlReader url = item.required("url");
  e.url = url.as_string();
  const bool https = e.url.rfind("https://", 0) == 0;
  if (!https && e.url.rfind("http://", 0) != 0) url.fail("expected an http:// or https:// URL, got '" + e.url + "'");
  const std::string rest = e.url.substr(https ? 8 : 7);
  const std::string authority = rest.substr(0, rest.find('/'));
  std::string host;
  uint16_t port = 0;
  if (authority.empty() || (authority.find(':') != std::string::npos && authority.front() != '[' &&
                            !split_host_port(authority, host, port)))
    url.fail("expected a host (and optional :PORT) after the scheme, got '" + e.url + "'");
  item.read_enum("template", e.templ,
                 {{"generic", WebhookTemplate::Generic}, {"slack", WebhookTemplate::Slack},
                  {"pagerduty", WebhookTemplate::PagerDuty}});
  item.read_string("routing_key", e.routing_key);
  item.read_string("ca_file", e.ca_file);
  item.read_uint("timeout_ms", e.timeout_ms, 100, kMaxTimeoutMs);
  if (e.templ == WebhookTemplate::PagerDuty && e.routing_key.empty())
    item.fail("template pagerduty needs routing_key (the Events v2 integration key)");
  if (e.templ != WebhookTemplate::PagerDuty)
    if (auto c = item.child("routing_key")) c->fail("only used with template: pagerduty");
  if (!https)
    if (auto c = item.child("ca_file")) c->fail("only used with an https:// url");
}

}  // namespace

void read_export(const YamlReader& section, ExportConfig& out) {
  section.expect_map({"spool_dir", "exporters"});
  section.read_string("spool_dir", out.spool_dir);
  auto list = section.child("exporters");
  if (!list) return;
  std::map<std::string, int> names;  // name -> line of first use
  for (const YamlReader& item : list->items()) {
    ExporterConfig e;
    e.line = item.line();
    item.expect_map({"name", "type", "min_severity", "classes", "servers", "ports", "retry_initial_ms",
                     "retry_max_ms", "spool_max_mb", "path", "max_mb", "keep", "address", "transport", "format",
                     "facility", "ca_file", "server_name", "url", "template", "routing_key", "timeout_ms"});
    const YamlReader type = item.required("type");
    e.type = type.as_enum<ExporterType>({{"jsonl", ExporterType::JsonLines}, {"syslog", ExporterType::Syslog},
                           {"webhook", ExporterType::Webhook}});
    // A key of another exporter type is named as such, not silently ignored.
    const std::set<std::string>& own = kTypeKeys.at(e.type);
    for (const auto& [t, keys] : kTypeKeys) {
      for (const auto& k : keys) {
        if (own.count(k) != 0 || kCommonKeys.count(k) != 0) continue;
        if (auto c = item.child(k)) c->fail(std::string("not a key of a ") + type_name(e.type) + " exporter");
      }
    }
    const YamlReader name = item.required("name");
    e.name = name.as_string();
    if (e.name.size() > kMaxExporterName)
      name.fail("expected at most " + std::to_string(kMaxExporterName) + " characters");
    for (char ch : e.name) {
      const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                      ch == '_' || ch == '-';
      if (!ok) name.fail("expected letters, digits, '_' or '-', got '" + e.name + "'");
    }
    if (auto [it, inserted] = names.emplace(e.name, name.line()); !inserted)
      name.fail("duplicate exporter name '" + e.name + "' (first at line " + std::to_string(it->second) + ")");
    read_filters(item, e);
    item.read_uint("retry_initial_ms", e.retry_initial_ms, 10, kMaxRetryMs);
    item.read_uint("retry_max_ms", e.retry_max_ms, 10, kMaxRetryMs);
    if (e.retry_max_ms < e.retry_initial_ms)
      item.required("retry_max_ms").fail("must be >= retry_initial_ms (" + std::to_string(e.retry_initial_ms) + ")");
    item.read_uint("spool_max_mb", e.spool_max_mb, 1, kMaxSpoolMb);
    switch (e.type) {
      case ExporterType::JsonLines:
        e.path = item.required("path").as_string();
        item.read_uint("max_mb", e.max_mb, 1, kMaxFileMb);
        item.read_uint("keep", e.keep, 0, kMaxKeep);
        break;
      case ExporterType::Syslog: read_syslog(item, e); break;
      case ExporterType::Webhook: read_webhook(item, e); break;
    }
    out.exporters.push_back(std::move(e));
  }
}

}  // namespace weir::config
