// make_delivery_target and the exporters' alert JSON (see delivery_target.h).
#include "control/export/delivery_target.h"

#include "control/admin/api_json.h"
#include "control/export/jsonl_file_target.h"
#include "control/export/syslog_target.h"
#include "control/export/webhook_target.h"

namespace weir::ctl {

std::string alert_export_json(const AlertRecord& a) {
  return alert_json(a).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::unique_ptr<DeliveryTarget> make_delivery_target(const config::ExporterConfig& cfg) {
  switch (cfg.type) {
    case config::ExporterType::JsonLines:
      return std::make_unique<JsonlFileTarget>(cfg.path, uint64_t{cfg.max_mb} << 20, cfg.keep);
    case config::ExporterType::Syslog:
      return std::make_unique<SyslogTarget>(cfg);
    case config::ExporterType::Webhook:
      return std::make_unique<WebhookTarget>(cfg);
  }
  return nullptr;
}

}  // namespace weir::ctl
