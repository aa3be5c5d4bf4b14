#pragma once
// Exporter target: syslog (RFC 5424) over UDP (RFC 5426, one message per
// datagram), TCP (RFC 6587 octet counting) or TLS (RFC 5425), with a JSON
// or CEF message. The alert's event id rides in structured data
// ([weir@32473 event_id="..."]) so receivers can de-duplicate. Alert text
// is clipped to 2 KiB so a message stays under 8 KiB (rsyslog's default).

#include <memory>
#include <string>

#include "control/export/delivery_target.h"
#include "control/export/tls_client_stream.h"

namespace weir::ctl {

class SyslogTarget : public DeliveryTarget {
 public:
  explicit SyslogTarget(const config::ExporterConfig& cfg);
  ~SyslogTarget() override;

  std::string format(const AlertRecord& a) override;
  Delivery deliver(const std::string& payload, std::string& error) override;

 private:
  bool udp_send(const std::string& payload, std::string& error);

  config::ExporterConfig cfg_;
  std::string host_;
  uint16_t port_ = 0;
  std::string hostname_;
  std::string procid_;
  int udp_fd_ = -1;
  std::unique_ptr<TlsClientStream> stream_;
};

}  // namespace weir::ctl
