// SyslogTarget (see syslog_target.h).
#include "control/export/syslog_target.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "control/admin/api_json.h"
#include "control/export/cef_format.h"
#include "control/export/syslog_frame.h"

namespace weir::ctl {

namespace {
constexpr size_t kMaxText = 2048;
}

SyslogTarget::SyslogTarget(const config::ExporterConfig& cfg) : cfg_(cfg) {
  config::split_host_port(cfg_.address, host_, port_);
  char name[256] = {};
  hostname_ = gethostname(name, sizeof name - 1) == 0 && name[0] ? name : "-";
  procid_ = std::to_string(getpid());
  if (cfg_.transport != config::SyslogTransport::Udp)
    stream_ = std::make_unique<TlsClientStream>(host_, port_, cfg_.transport == config::SyslogTransport::Tls,
                                                cfg_.ca_file, cfg_.server_name, 5000);
}

SyslogTarget::~SyslogTarget() {
  if (udp_fd_ >= 0) ::close(udp_fd_);
}

std::string SyslogTarget::format(const AlertRecord& alert) {
  AlertRecord a = alert;
  if (a.text.size() > kMaxText) a.text.resize(kMaxText);
  SyslogHeader h;
  h.facility = static_cast<int>(cfg_.facility);
  h.severity = syslog_severity(a.severity);
  h.ts_ns = a.ts_ns;
  h.hostname = hostname_;
  h.procid = procid_;
  h.msgid = kind_name(a.kind);
  h.structured_data = "[weir@32473 event_id=\"" + event_id_hex(a.event_id) + "\" rule_id=\"" +
                      std::to_string(a.rule_id) + "\" class=\"" + sd_escape(a.class_name) + "\"]";
  const std::string msg = cfg_.format == config::SyslogFormat::Cef ? alert_to_cef(a) : alert_export_json(a);
  const std::string message = syslog_message(h, msg);
  return cfg_.transport == config::SyslogTransport::Udp ? message : octet_counted(message);
}

bool SyslogTarget::udp_send(const std::string& payload, std::string& error) {
  if (udp_fd_ < 0) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* res = nullptr;
    const int rc = getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints, &res);
    if (rc != 0) {
      error = "resolve " + host_ + ": " + gai_strerror(rc);
      return false;
    }
    for (addrinfo* ai = res; ai && udp_fd_ < 0; ai = ai->ai_next) {
      const int fd = ::socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      if (fd < 0) continue;
      // Connected: an ICMP port unreachable comes back as ECONNREFUSED.
      if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
        udp_fd_ = fd;
      } else {
        ::close(fd);
      }
    }
    freeaddrinfo(res);
    if (udp_fd_ < 0) {
      error = "cannot open a UDP socket to " + cfg_.address;
      return false;
    }
  }
  if (::send(udp_fd_, payload.data(), payload.size(), 0) < 0) {
    error = "send to " + cfg_.address + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

Delivery SyslogTarget::deliver(const std::string& payload, std::string& error) {
  if (!stream_) return udp_send(payload, error) ? Delivery::Ok : Delivery::Retry;
  if (stream_->connected() && stream_->peer_closed()) stream_->close();
  if (!stream_->connected() && !stream_->connect(error)) return Delivery::Retry;
  return stream_->write_all(payload, error) ? Delivery::Ok : Delivery::Retry;
}

}  // namespace weir::ctl
