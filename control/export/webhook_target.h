#pragma once
// Exporter target: an HTTP(S) POST of JSON per alert (cpp-httplib, keep-
// alive; https verifies the server against ca_file or the system store).
// Templates: generic (the alert object), slack (incoming-webhook "text"),
// pagerduty (Events API v2 trigger with dedup_key = event id). 2xx is
// delivered; 408, 429, 5xx and transport errors are retried; other 4xx
// are rejected (retrying the same body cannot succeed).

#include <memory>
#include <string>

#include "control/export/delivery_target.h"

namespace httplib {
class Client;
}

namespace weir::ctl {

/// The request body for `templ` (exposed for tests).
std::string webhook_body(const config::ExporterConfig& cfg, const AlertRecord& a);

class WebhookTarget : public DeliveryTarget {
 public:
  explicit WebhookTarget(const config::ExporterConfig& cfg);
  ~WebhookTarget() override;

  std::string format(const AlertRecord& a) override { return webhook_body(cfg_, a); }
  Delivery deliver(const std::string& payload, std::string& error) override;

 private:
  config::ExporterConfig cfg_;
  std::string path_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace weir::ctl
