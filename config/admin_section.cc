// The `admin:` (remote admin API) and `metrics:` sections, read by
// weir-control. The remote admin API exists only with TLS: a listen address
// without a certificate and key is refused here, so plain TCP cannot be
// configured at all.

#include <string>

#include "config/config_sections.h"

namespace weir::config {

bool split_host_port(const std::string& text, std::string& host, uint16_t& port) {
  size_t colon;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') return false;
    host = text.substr(1, close - 1);
    colon = close + 1;
  } else {
    colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) return false;
    host = text.substr(0, colon);
  }
  if (host.empty()) return false;
  const std::string digits = text.substr(colon + 1);
  if (digits.empty() || digits.size() > 5) return false;
  unsigned value = 0;
  for (char ch : digits) {
    if (ch < '0' || ch > '9') return false;
    value = value * 10 + static_cast<unsigned>(ch - '0');
  }
  if (value == 0 || value > 65535) return false;
  port = static_cast<uint16_t>(value);
  return true;
}

namespace {
void read_listen(const YamlReader& section, std::string& out) {
  auto c = section.child("listen");
  if (!c) return;
  out = c->as_string();
  std::string host;
  uint16_t port = 0;
  if (!split_host_port(out, host, port))
    c->fail("expected HOST:PORT or [IPV6]:PORT with a port in 1..65535, got '" + out + "'");
}
}  // namespace

void read_remote_admin(const YamlReader& section, RemoteAdminConfig& out) {
  section.expect_map({"listen", "tls_cert", "tls_key", "auth_failures_per_minute"});
  read_listen(section, out.listen);
  section.read_string("tls_cert", out.tls_cert);
  section.read_string("tls_key", out.tls_key);
  section.read_uint("auth_failures_per_minute", out.auth_failures_per_minute, 1, 100000);
  if (!out.listen.empty() && (out.tls_cert.empty() || out.tls_key.empty()))
    section.fail("listen needs tls_cert and tls_key: the admin API is never served on plain TCP");
  if (out.listen.empty() && (!out.tls_cert.empty() || !out.tls_key.empty()))
    section.fail("tls_cert/tls_key given without listen");
}

void read_metrics(const YamlReader& section, MetricsConfig& out) {
  section.expect_map({"listen"});
  read_listen(section, out.listen);
}

}  // namespace weir::config
