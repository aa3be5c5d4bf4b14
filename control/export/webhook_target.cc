// WebhookTarget (see webhook_target.h).
#include "control/export/webhook_target.h"

#include <unistd.h>

#include <httplib.h>

#include "control/admin/api_json.h"

namespace weir::ctl {

namespace {
const char* pagerduty_severity(int s) {
  if (s >= 4) return "critical";
  if (s == 3) return "error";
  if (s == 2) return "warning";
  return "info";
}

std::string summary(const AlertRecord& a) {
  std::string s = std::string("Weir ") + kind_name(a.kind) + " [" + severity_name(a.severity) + "] ";
  s += a.class_name.empty() ? "-" : a.class_name;
  if (!a.zone.empty()) s += " in " + a.zone;
  if (!a.client.empty()) s += ": " + a.client + ":" + std::to_string(a.client_port);
  if (!a.server.empty()) s += " -> " + a.server + ":" + std::to_string(a.server_port);
  s += " (rule " + std::to_string(a.rule_id) + ", event " + event_id_hex(a.event_id) + ")";
  return s;
}

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }
}  // namespace

std::string webhook_body(const config::ExporterConfig& cfg, const AlertRecord& a) {
  const Json alert = alert_json(a);
  switch (cfg.templ) {
    case config::WebhookTemplate::Slack:
      return dump(Json{{"text", summary(a)}});
    case config::WebhookTemplate::PagerDuty: {
      char host[256] = {};
      const std::string source = !a.server.empty() ? a.server : (gethostname(host, sizeof host - 1) == 0 ? host : "weir");
      return dump(Json{{"routing_key", cfg.routing_key},
                       {"event_action", "trigger"},
                       {"dedup_key", event_id_hex(a.event_id)},
                       {"payload",
                        {{"summary", summary(a).substr(0, 1024)},
                         {"source", source},
                         {"severity", pagerduty_severity(a.severity)},
                         {"timestamp", rfc3339_ms(a.ts_ns)},
                         {"component", "weir"},
                         {"class", a.class_name.empty() ? std::string(kind_name(a.kind)) : a.class_name},
                         {"custom_details", alert}}}});
    }
    case config::WebhookTemplate::Generic:
      break;
  }
  return dump(Json{{"source", "weir"}, {"event_id", event_id_hex(a.event_id)}, {"alert", alert}});
}

WebhookTarget::WebhookTarget(const config::ExporterConfig& cfg) : cfg_(cfg) {
  const size_t scheme_end = cfg_.url.find("://") + 3;
  const size_t slash = cfg_.url.find('/', scheme_end);
  const std::string base = cfg_.url.substr(0, slash);
  path_ = slash == std::string::npos ? "/" : cfg_.url.substr(slash);
  client_ = std::make_unique<httplib::Client>(base);
  client_->set_keep_alive(true);
  // Headers and body go out in two writes; without this, Nagle waits for
  // the receiver's delayed ACK (~40 ms) on every request.
  client_->set_tcp_nodelay(true);
  const auto timeout = std::chrono::milliseconds(cfg_.timeout_ms);
  client_->set_connection_timeout(timeout);
  client_->set_read_timeout(timeout);
  client_->set_write_timeout(timeout);
  if (cfg_.url.rfind("https://", 0) == 0) {
    client_->enable_server_certificate_verification(true);
    if (!cfg_.ca_file.empty()) client_->set_ca_cert_path(cfg_.ca_file.c_str());
  }
}

WebhookTarget::~WebhookTarget() = default;

Delivery WebhookTarget::deliver(const std::string& payload, std::string& error) {
  const httplib::Headers headers = {{"User-Agent", "weir-control/0.1.0"}};
  auto res = client_->Post(path_.c_str(), headers, payload, "application/json");
  if (!res) {
    error = "POST " + cfg_.url + ": " + httplib::to_string(res.error());
    return Delivery::Retry;
  }
  const int status = res->status;
  if (status >= 200 && status < 300) return Delivery::Ok;
  error = "POST " + cfg_.url + ": HTTP " + std::to_string(status);
  if (status == 408 || status == 429 || status >= 500) return Delivery::Retry;
  return Delivery::Reject;
}

}  // namespace weir::ctl
