// exporter_selects (see alert_filter.h).
#include "control/export/alert_filter.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace weir::ctl {

namespace {
// The store keeps addresses as text; the config as 16-byte mapped prefixes.
bool mapped_address(const std::string& text, std::array<uint8_t, 16>& out) {
  in_addr a4{};
  if (inet_pton(AF_INET, text.c_str(), &a4) == 1) {
    out.fill(0);
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &a4, 4);
    return true;
  }
  return inet_pton(AF_INET6, text.c_str(), out.data()) == 1;
}
}  // namespace

bool exporter_selects(const config::ExporterConfig& cfg, const AlertRecord& a) {
  if (a.severity < static_cast<int>(cfg.min_severity)) return false;
  if (!cfg.classes.empty() &&
      std::find(cfg.classes.begin(), cfg.classes.end(), a.class_name) == cfg.classes.end())
    return false;
  if (!cfg.ports.empty() &&
      std::find(cfg.ports.begin(), cfg.ports.end(), static_cast<uint16_t>(a.server_port)) == cfg.ports.end())
    return false;
  if (!cfg.servers.empty()) {
    std::array<uint8_t, 16> addr{};
    if (!mapped_address(a.server, addr)) return false;
    return std::any_of(cfg.servers.begin(), cfg.servers.end(),
                       [&](const config::Cidr& c) { return c.contains(addr); });
  }
  return true;
}

}  // namespace weir::ctl
