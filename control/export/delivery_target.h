#pragma once
// What an AlertExporter delivers to: one receiver (a file, a syslog server,
// a webhook). A target formats an alert into the payload it sends, so the
// spool keeps exactly the bytes that will go on the wire. Targets are used
// by one exporter thread only.

#include <memory>
#include <string>

#include "config/weir_config.h"
#include "control/store/store_records.h"

namespace weir::ctl {

enum class Delivery : uint8_t {
  Ok,      ///< handed to the receiver
  Retry,   ///< transient failure (down, timeout, 5xx): spool and retry later
  Reject,  ///< the receiver refused this payload for good (4xx): counted as dropped
};

class DeliveryTarget {
 public:
  virtual ~DeliveryTarget() = default;
  virtual std::string format(const AlertRecord& a) = 0;
  virtual Delivery deliver(const std::string& payload, std::string& error) = 0;
  /// Called after a batch of deliveries (e.g. flush a file).
  virtual void flush() {}
};

/// The target for an exporter's config (jsonl, syslog, webhook); throws
/// std::runtime_error when it cannot be set up (e.g. an unreadable CA file).
std::unique_ptr<DeliveryTarget> make_delivery_target(const config::ExporterConfig& cfg);

/// The JSON object of an alert as exporters send it (the admin API's alert
/// object, invalid UTF-8 replaced), one line.
std::string alert_export_json(const AlertRecord& a);

}  // namespace weir::ctl
