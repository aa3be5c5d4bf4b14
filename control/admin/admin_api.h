#pragma once
// The admin API v1 (control/admin/API.md): routes HTTP requests to the
// ControlPlane and renders JSON. Every error is an ApiError rendered as the
// documented error object; unknown paths are 404, wrong methods 405.

#include <atomic>
#include <string>

#include "control/admin/admin_http_server.h"
#include "control/auth/auth_rate_limiter.h"
#include "control/metrics/control_metrics.h"
#include "control/admin/api_json.h"
#include "control/admin/rule_exceptions_api.h"
#include "control/control_plane.h"

namespace weir::ctl {

class AdminApi {
 public:
  explicit AdminApi(ControlPlane& cp);

  /// Thread-safe; called from the connection threads.
  HttpResponse handle(const HttpRequest& req, const PeerCred& peer);

  /// Long-poll bound (ms) for GET /v1/alerts?wait_ms.
  static constexpr int64_t kMaxWaitMs = 60000;
  static constexpr int kFlowQueryTimeoutMs = 2000;

 private:
  HttpResponse route(const HttpRequest& req, const Caller& who);
  HttpResponse status();
  HttpResponse stats();
  HttpResponse ports();
  HttpResponse flows(const HttpRequest& req);
  HttpResponse alerts(const HttpRequest& req);
  HttpResponse alert(const std::string& id_text, const HttpRequest& req);
  HttpResponse blocks_list(const HttpRequest& req);
  HttpResponse blocks_add(const HttpRequest& req, const Caller& who);
  HttpResponse blocks_remove(const HttpRequest& req, const Caller& who);
  HttpResponse mode_get(const HttpRequest& req);
  HttpResponse mode_set(const HttpRequest& req, const Caller& who);
  HttpResponse rules_reload(const HttpRequest& req, const Caller& who);
  HttpResponse config_get(const HttpRequest& req);
  HttpResponse config_check(const HttpRequest& req, bool with_diff);
  HttpResponse config_apply(const HttpRequest& req, const Caller& who);
  HttpResponse audit(const HttpRequest& req);
  HttpResponse test_events(const HttpRequest& req, const Caller& who);
  HttpResponse export_status();
  HttpResponse metrics(const HttpRequest& req);
  HttpResponse tokens_list(const HttpRequest& req);
  HttpResponse token_create(const HttpRequest& req, const Caller& who);
  HttpResponse token_revoke(const std::string& name, const HttpRequest& req, const Caller& who);
  /// Remote (TLS) requests: rate limit, bearer token, scope; the caller
  /// is the token ("token:NAME@ADDRESS") for the audit.
  HttpResponse handle_remote(const HttpRequest& req, const PeerCred& peer);
  AdminAuthCounters auth_counters() const;

  ControlPlane& cp_;
  RuleExceptionsApi exceptions_;  ///< POST /v1/rules/exceptions
  AuthRateLimiter limiter_;
  std::atomic<uint64_t> remote_requests_{0};
  std::atomic<uint64_t> auth_failures_{0};
  std::atomic<uint64_t> forbidden_{0};
  std::atomic<uint64_t> rate_limited_{0};
};

}  // namespace weir::ctl
