// AdminApi (see admin_api.h, API.md).
#include "control/admin/admin_api.h"

#include <pwd.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "config/cidr.h"
#include "control/admin/inventory_api.h"
#include "control/auth/bearer_token.h"

namespace weir::ctl {

namespace {

Caller caller_of(const PeerCred& peer) {
  Caller c{peer.uid, "uid " + std::to_string(peer.uid)};
  if (peer.uid >= 0) {
    passwd pw{};
    passwd* result = nullptr;
    char buf[1024];
    if (getpwuid_r(static_cast<uid_t>(peer.uid), &pw, buf, sizeof buf, &result) == 0 && result)
      c.user = result->pw_name;
  }
  return c;
}

void no_query(const HttpRequest& req) { QueryParams check(req, {}); }

std::string canonical_cidr(const std::string& text, const char* field) {
  auto cidr = config::Cidr::parse(text);
  if (!cidr)
    throw ApiError(400, "invalid_value",
                   "'" + text + "' is not an IPv4/IPv6 address or prefix (host bits must be zero)", field);
  return cidr->to_string();
}

Json counters_object(const google::protobuf::RepeatedPtrField<ipc::Counter>& counters) {
  Json out = Json::object();
  for (const auto& c : counters) out[c.name()] = c.value();
  return out;
}

ApiError invalid_config(const ConfigCheck& c) {
  ApiError e(422, "invalid_config", c.message, c.key);
  e.extra = Json{{"file", c.file}, {"line", c.line}};
  return e;
}

}  // namespace

AdminApi::AdminApi(ControlPlane& cp) : cp_(cp), exceptions_(cp), limiter_(cp.config().parsed().admin.auth_failures_per_minute) {}

AdminAuthCounters AdminApi::auth_counters() const {
  return {remote_requests_.load(), auth_failures_.load(), forbidden_.load(), rate_limited_.load()};
}

HttpResponse AdminApi::handle_remote(const HttpRequest& req, const PeerCred& peer) {
  ++remote_requests_;
  const int64_t now = realtime_now_ns();
  if (limiter_.limited(peer.address, now)) {
    ++rate_limited_;
    HttpResponse r = error_response(ApiError(429, "rate_limited", "too many failed authentications from " +
                                                                      peer.address + "; try again later"));
    r.headers.emplace_back("Retry-After", "60");
    return r;
  }
  std::string authorization;
  for (const auto& [k, v] : req.headers)
    if (k == "authorization") authorization = v;
  const auto token = verify_bearer(cp_.store(), authorization);
  if (!token) {
    ++auth_failures_;
    limiter_.record_failure(peer.address, now);
    HttpResponse r = error_response(ApiError(
        401, "unauthorized",
        authorization.empty() ? "a bearer token is required (Authorization: Bearer ...)"
                              : "the bearer token is not valid (unknown, malformed or revoked)"));
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"weir\"");
    return r;
  }
  if (!scope_allows(token->scope, req.method, req.path)) {
    ++forbidden_;
    return error_response(ApiError(403, "forbidden", "token '" + token->name + "' has scope '" + token->scope +
                                                         "', which does not allow " + req.method + " " + req.path));
  }
  cp_.store().touch_token(token->id, now);
  return route(req, Caller{-1, "token:" + token->name + "@" + peer.address});
}

HttpResponse AdminApi::handle(const HttpRequest& req, const PeerCred& peer) {
  try {
    if (peer.transport == AdminTransport::Metrics) {
      if (req.path != "/metrics") throw ApiError(404, "not_found", "only /metrics is served here");
      if (req.method != "GET") throw ApiError(405, "method_not_allowed", "only GET /metrics is served here");
      return metrics(req);
    }
    if (peer.transport == AdminTransport::Tls) return handle_remote(req, peer);
    return route(req, caller_of(peer));
  } catch (const ApiError& e) {
    return error_response(e);
  } catch (const std::exception& e) {
    return error_response(ApiError(500, "internal", e.what()));
  }
}

HttpResponse AdminApi::route(const HttpRequest& req, const Caller& who) {
  using Fn = std::function<HttpResponse()>;
  const std::string& p = req.path;
  std::map<std::string, Fn> methods;
  if (p == "/v1/status") {
    methods["GET"] = [&] { no_query(req); return status(); };
  } else if (p == "/v1/stats") {
    methods["GET"] = [&] { no_query(req); return stats(); };
  } else if (p == "/v1/ports") {
    methods["GET"] = [&] { no_query(req); return ports(); };
  } else if (p == "/v1/flows") {
    methods["GET"] = [&] { return flows(req); };
  } else if (p == "/v1/alerts") {
    methods["GET"] = [&] { return alerts(req); };
  } else if (p.rfind("/v1/alerts/", 0) == 0 && p.size() > 11 && p.find('/', 11) == std::string::npos) {
    methods["GET"] = [&] { return alert(p.substr(11), req); };
  } else if (p == "/v1/blocks") {
    methods["GET"] = [&] { return blocks_list(req); };
    methods["POST"] = [&] { return blocks_add(req, who); };
    methods["DELETE"] = [&] { return blocks_remove(req, who); };
  } else if (p == "/v1/mode") {
    methods["GET"] = [&] { return mode_get(req); };
    methods["PUT"] = [&] { return mode_set(req, who); };
  } else if (p == "/v1/rules/reload") {
    methods["POST"] = [&] { return rules_reload(req, who); };
  } else if (p == "/v1/rules/exceptions") {
    methods["POST"] = [&] { return exceptions_.add(req, who); };
  } else if (p == "/v1/config") {
    methods["GET"] = [&] { return config_get(req); };
  } else if (p == "/v1/config/validate") {
    methods["POST"] = [&] { return config_check(req, false); };
  } else if (p == "/v1/config/diff") {
    methods["POST"] = [&] { return config_check(req, true); };
  } else if (p == "/v1/config/apply") {
    methods["POST"] = [&] { return config_apply(req, who); };
  } else if (p == "/v1/audit") {
    methods["GET"] = [&] { return audit(req); };
  } else if (p == "/metrics") {
    methods["GET"] = [&] { return metrics(req); };
  } else if (p == "/v1/tokens") {
    methods["GET"] = [&] { return tokens_list(req); };
    methods["POST"] = [&] { return token_create(req, who); };
  } else if (p.rfind("/v1/tokens/", 0) == 0 && p.size() > 11 && p.find('/', 11) == std::string::npos) {
    methods["DELETE"] = [&] {
      std::string name;
      if (!url_decode(p.substr(11), name)) throw ApiError(400, "invalid_value", "bad %-escape in the name", "name");
      return token_revoke(name, req, who);
    };
  } else if (p == "/v1/export") {
    methods["GET"] = [&] { no_query(req); return export_status(); };
  } else if (p == "/v1/test/events") {
    methods["POST"] = [&] { return test_events(req, who); };
  } else if (is_inventory_path(p)) {
    return route_inventory(cp_, req);
  } else {
    throw ApiError(404, "not_found", "no such endpoint: " + p);
  }
  auto it = methods.find(req.method);
  if (it == methods.end()) {
    std::string allow;
    for (const auto& [m, fn] : methods) allow += (allow.empty() ? "" : ", ") + m;
    HttpResponse r = error_response(
        ApiError(405, "method_not_allowed", req.method + " is not allowed on " + p + " (allowed: " + allow + ")"));
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  return it->second();
}

HttpResponse AdminApi::status() {
  const DataplaneStatus d = cp_.dataplane().status();
  const ConfigView v = cp_.config().current();
  const int64_t now = realtime_now_ns();
  Json dp = {{"connected", d.connected}};
  if (d.ever_connected) {
    dp["instance_id"] = d.instance_id;
    dp["boot_id"] = event_id_hex(d.boot_id);
    dp["protocol_version"] = d.protocol_version;
    dp["software"] = d.software;
    dp["connected_at"] = rfc3339_ms(d.connected_ns);
    dp["counters_at"] = d.counters_ns > 0 ? Json(rfc3339_ms(d.counters_ns)) : Json(nullptr);
    dp["events_received"] = d.events_received;
    dp["events_stored"] = d.events_stored;
    // API-call observations from the workers (ApiCall chunks -> inventory).
    dp["api_calls"] = {{"chunks", d.api_call_chunks},
                       {"ingested", d.api_calls_ingested},
                       {"dropped", d.api_calls_dropped},
                       {"duplicate_chunks", d.api_call_duplicates},
                       {"bad_chunks", d.api_call_bad_chunks},
                       {"decode_errors", d.api_call_decode_errors},
                       {"ingest_errors", d.api_call_ingest_errors}};
    dp["reconnects"] = d.connections > 0 ? d.connections - 1 : 0;
    dp["commands_refused"] = d.commands_refused;
    dp["last_refusal"] = d.last_refusal;
    // The rules generation the workers run, from the latest counter snapshot.
    const CounterView cv = cp_.dataplane().counters();
    if (cv.received_ns > 0) {
      Json rules = Json::object();
      for (const auto& c : cv.snapshot.totals()) {
        if (c.name() == "rules_generation") rules["generation"] = c.value();
        if (c.name() == "rules_count") rules["count"] = c.value();
        if (c.name() == "rules_reloads") rules["reloads"] = c.value();
        if (c.name() == "rules_reload_us") rules["last_reload_ms"] = static_cast<double>(c.value()) / 1000.0;
      }
      if (!rules.empty()) dp["rules"] = rules;
    }
  }
  Json body = {
      {"version", "0.1.0"},
      {"started_at", rfc3339_ms(cp_.started_ns())},
      {"uptime_s", (now - cp_.started_ns()) / 1000000000},
      {"mode", mode_name(cp_.mode())},
      {"config",
       {{"generation", v.generation},
        {"source", v.source},
        {"applied_at", v.applied_ns > 0 ? Json(rfc3339_ms(v.applied_ns)) : Json(nullptr)}}},
      {"dataplane", dp},
      {"store",
       {{"alerts", cp_.store().count_alerts()},
        {"blocks", cp_.store().list_blocks().size()},
        {"audit", cp_.store().count_audit()}}},
  };
  return json_response(200, body);
}

HttpResponse AdminApi::stats() {
  const CounterView c = cp_.dataplane().counters();
  if (c.received_ns == 0)
    throw ApiError(503, "no_counters", "the dataplane has not sent counters yet");
  Json workers = Json::array();
  for (const auto& w : c.snapshot.workers())
    workers.push_back({{"worker", w.worker()}, {"counters", counters_object(w.counters())}});
  const int64_t at = c.snapshot.ts_ns() > 0 ? static_cast<int64_t>(c.snapshot.ts_ns()) : c.received_ns;
  return json_response(200, {{"at", rfc3339_ms(at)},
                             {"age_ms", (realtime_now_ns() - c.received_ns) / 1000000},
                             {"connected", cp_.dataplane().status().connected},
                             {"totals", counters_object(c.snapshot.totals())},
                             {"workers", workers}});
}

HttpResponse AdminApi::ports() {
  const CounterView c = cp_.dataplane().counters();
  const config::Config cfg = cp_.config().parsed();
  struct Port {
    Json pair = nullptr;
    Json side = nullptr;
    Json counters = Json::object();
  };
  std::vector<std::pair<std::string, Port>> ports;
  auto find = [&](const std::string& name) -> Port& {
    for (auto& [n, p] : ports)
      if (n == name) return p;
    ports.emplace_back(name, Port{});
    return ports.back().second;
  };
  for (const auto& pair : cfg.pairs) {
    Port& cl = find(pair.client_port);
    cl.pair = pair.name;
    cl.side = "client";
    Port& sv = find(pair.server_port);
    sv.pair = pair.name;
    sv.side = "server";
  }
  for (const auto& counter : c.snapshot.totals()) {
    const std::string& n = counter.name();
    if (n.rfind("port.", 0) != 0) continue;
    const size_t dot = n.rfind('.');
    if (dot <= 5) continue;
    find(n.substr(5, dot - 5)).counters[n.substr(dot + 1)] = counter.value();
  }
  Json list = Json::array();
  for (auto& [name, p] : ports)
    list.push_back({{"name", name}, {"pair", p.pair}, {"side", p.side}, {"counters", p.counters}});
  return json_response(200, {{"at", c.received_ns > 0 ? Json(rfc3339_ms(c.received_ns)) : Json(nullptr)},
                             {"connected", cp_.dataplane().status().connected},
                             {"ports", list}});
}

HttpResponse AdminApi::flows(const HttpRequest& req) {
  QueryParams q(req, {"limit", "addr", "sort"});
  ipc::FlowQuery query;
  query.set_limit(static_cast<uint32_t>(q.integer("limit", 1, 1000).value_or(20)));
  if (auto addr = q.string("addr")) {
    auto cidr = config::Cidr::parse(*addr);
    if (!cidr) throw ApiError(400, "invalid_value", "'" + *addr + "' is not an address or prefix", "addr");
    query.set_has_filter(true);
    query.set_filter_addr(reinterpret_cast<const char*>(cidr->addr.data()), 16);
    query.set_filter_prefix_len(cidr->prefix_len);
  }
  const std::string sort = q.string("sort").value_or("bytes");
  if (sort != "bytes" && sort != "packets")
    throw ApiError(400, "invalid_value", "sort must be 'bytes' or 'packets'", "sort");
  query.set_sort_by_packets(sort == "packets");
  ipc::FlowList list;
  switch (cp_.dataplane().query_flows(query, kFlowQueryTimeoutMs, list)) {
    case QueryStatus::Unavailable:
      throw ApiError(503, "dataplane_unavailable", "the dataplane is not connected");
    case QueryStatus::Timeout:
      throw ApiError(504, "dataplane_timeout", "the dataplane did not answer the flow query in time");
    case QueryStatus::Ok:
      break;
  }
  Json flows = Json::array();
  for (const auto& f : list.flows())
    flows.push_back({{"worker", f.worker()},
                     {"proto", proto_name(static_cast<int>(f.proto()))},
                     {"client", address_text(f.client_addr())},
                     {"client_port", f.client_port()},
                     {"server", address_text(f.server_addr())},
                     {"server_port", f.server_port()},
                     {"packets", f.packets()},
                     {"bytes", f.bytes()},
                     {"age_ms", f.age_ms()},
                     {"idle_ms", f.idle_ms()},
                     {"state", f.state()}});
  return json_response(200, {{"flows", flows}, {"total_flows", list.total_flows()}, {"truncated", list.truncated()}});
}

HttpResponse AdminApi::alerts(const HttpRequest& req) {
  QueryParams q(req, {"after_id", "before_id", "limit", "min_severity", "wait_ms"});
  AlertQuery aq;
  aq.after_id = q.integer("after_id", 0, INT64_MAX).value_or(-1);
  aq.before_id = q.integer("before_id", 1, INT64_MAX).value_or(-1);
  if (aq.after_id >= 0 && aq.before_id > 0)
    throw ApiError(400, "invalid_value", "after_id and before_id cannot be combined", "before_id");
  aq.limit = static_cast<int>(q.integer("limit", 1, 1000).value_or(100));
  if (auto sev = q.string("min_severity")) {
    aq.min_severity = severity_from_name(*sev);
    if (aq.min_severity < 0)
      throw ApiError(400, "invalid_value", "min_severity must be info, low, medium, high or critical",
                     "min_severity");
  }
  const int64_t wait_ms = q.integer("wait_ms", 0, kMaxWaitMs).value_or(0);
  if (wait_ms > 0 && aq.after_id < 0)
    throw ApiError(400, "invalid_value", "wait_ms needs after_id", "wait_ms");

  // Long-poll: read the newest id first, list, and if nothing matched wait
  // for a row newer than that id, then list again (a row below
  // min_severity wakes us too; we just wait again until the deadline).
  int64_t seen = cp_.store().newest_alert_id();
  auto rows = cp_.store().list_alerts(aq);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (rows.empty() && wait_ms > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !cp_.store().wait_for_alerts(seen, left)) break;
    seen = cp_.store().newest_alert_id();
    rows = cp_.store().list_alerts(aq);
  }
  Json list = Json::array();
  int64_t last = std::max<int64_t>(aq.after_id, 0);
  for (const auto& a : rows) {
    list.push_back(alert_json(a));
    last = std::max(last, a.id);
  }
  return json_response(200, {{"alerts", list}, {"last_id", last}});
}

HttpResponse AdminApi::alert(const std::string& id_text, const HttpRequest& req) {
  no_query(req);
  int64_t id = 0;
  size_t used = 0;
  try {
    id = std::stoll(id_text, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != id_text.size() || id <= 0)
    throw ApiError(400, "invalid_value", "alert id must be a positive integer", "id");
  auto a = cp_.store().get_alert(id);
  if (!a) throw ApiError(404, "not_found", "no alert with id " + id_text, "id");
  return json_response(200, {{"alert", alert_json(*a)}});
}

HttpResponse AdminApi::blocks_list(const HttpRequest& req) {
  no_query(req);
  Json list = Json::array();
  for (const auto& b : cp_.store().list_blocks()) list.push_back(block_json(b));
  return json_response(200, {{"blocks", list}});
}

HttpResponse AdminApi::blocks_add(const HttpRequest& req, const Caller& who) {
  no_query(req);
  JsonBody body(req.body, {"cidr", "ttl_s", "reason"});
  const std::string cidr = canonical_cidr(*body.string("cidr", true, 64), "cidr");
  const auto ttl = body.integer("ttl_s", false, 0, 31536000).value_or(0);
  const std::string reason = body.string("reason", false, 256).value_or("");
  bool existed = false;
  const BlockRecord b = cp_.add_block(cidr, static_cast<uint32_t>(ttl), reason, who, existed);
  return json_response(existed ? 200 : 201, {{"block", block_json(b)}});
}

HttpResponse AdminApi::blocks_remove(const HttpRequest& req, const Caller& who) {
  QueryParams q(req, {"cidr"});
  auto text = q.string("cidr");
  if (!text) throw ApiError(400, "missing_field", "missing query parameter 'cidr'", "cidr");
  const std::string cidr = canonical_cidr(*text, "cidr");
  auto removed = cp_.remove_block(cidr, who);
  if (!removed) throw ApiError(404, "not_found", "no block for " + cidr, "cidr");
  return json_response(200, {{"removed", block_json(*removed)}});
}

HttpResponse AdminApi::mode_get(const HttpRequest& req) {
  no_query(req);
  return json_response(200, {{"mode", mode_name(cp_.mode())}});
}

HttpResponse AdminApi::mode_set(const HttpRequest& req, const Caller& who) {
  no_query(req);
  JsonBody body(req.body, {"mode"});
  const std::string m = *body.string("mode", true, 32);
  if (m != "monitor" && m != "block")
    throw ApiError(400, "invalid_value", "mode must be 'monitor' or 'block'", "mode");
  const Mode previous = cp_.set_mode(m == "block" ? Mode::Block : Mode::Monitor, who);
  return json_response(200, {{"mode", m}, {"previous", mode_name(previous)}});
}

HttpResponse AdminApi::rules_reload(const HttpRequest& req, const Caller& who) {
  no_query(req);
  const ControlPlane::RulesReload r = cp_.reload_rules(who);
  if (r.status != QueryStatus::Ok) throw ApiError(503, "dataplane_unavailable", r.message);
  if (!r.ok) throw ApiError(422, "rules_refused", r.message);
  return json_response(200, {{"reloaded", true}, {"message", r.message}});
}

HttpResponse AdminApi::config_get(const HttpRequest& req) {
  no_query(req);
  const ConfigView v = cp_.config().current();
  return json_response(200, {{"generation", v.generation},
                             {"source", v.source},
                             {"applied_at", v.applied_ns > 0 ? Json(rfc3339_ms(v.applied_ns)) : Json(nullptr)},
                             {"yaml", v.yaml}});
}

HttpResponse AdminApi::config_check(const HttpRequest& req, bool with_diff) {
  no_query(req);
  JsonBody body(req.body, {"yaml", "source"});
  const std::string yaml = *body.string("yaml", true);
  const std::string source = body.string("source", false, 4096).value_or("<api>");
  if (!with_diff) {
    const ConfigCheck c = cp_.config().check(yaml, source);
    if (!c.ok) throw invalid_config(c);
    return json_response(200, {{"valid", true}});
  }
  ConfigCheck c;
  auto diff = cp_.config().diff(yaml, source, c);
  if (!diff) throw invalid_config(c);
  return json_response(200, {{"changed", !diff->empty()}, {"diff", *diff}});
}

HttpResponse AdminApi::config_apply(const HttpRequest& req, const Caller& who) {
  no_query(req);
  JsonBody body(req.body, {"yaml", "source", "comment"});
  const std::string yaml = *body.string("yaml", true);
  const std::string source = body.string("source", false, 4096).value_or("<api>");
  const std::string comment = body.string("comment", false, 4096).value_or("");
  bool pushed = false;
  const ConfigApplyResult r = cp_.apply_config(yaml, source, comment, who, pushed);
  if (!r.check.ok) throw invalid_config(r.check);
  return json_response(200, {{"applied", r.applied},
                             {"generation", r.generation},
                             {"changed", r.changed},
                             {"diff", r.diff},
                             {"pushed", pushed}});
}

HttpResponse AdminApi::audit(const HttpRequest& req) {
  QueryParams q(req, {"limit", "after_id", "before_id"});
  const int64_t after = q.integer("after_id", 0, INT64_MAX).value_or(-1);
  const int64_t before = q.integer("before_id", 1, INT64_MAX).value_or(-1);
  if (after >= 0 && before > 0)
    throw ApiError(400, "invalid_value", "after_id and before_id cannot be combined", "before_id");
  const int limit = static_cast<int>(q.integer("limit", 1, 1000).value_or(100));
  Json list = Json::array();
  int64_t last = std::max<int64_t>(after, 0);
  for (const auto& r : cp_.store().list_audit(after, before, limit)) {
    list.push_back(audit_json(r));
    last = std::max(last, r.id);
  }
  return json_response(200, {{"entries", list}, {"last_id", last}});
}

HttpResponse AdminApi::export_status() {
  Json list = Json::array();
  for (const ExporterStatus& e : cp_.exports().status()) {
    list.push_back({{"name", e.name},
                    {"type", e.type},
                    {"target", e.target},
                    {"sent", e.sent},
                    {"failed", e.failed},
                    {"retried", e.retried},
                    {"spooled", e.spooled},
                    {"dropped", e.dropped},
                    {"filtered", e.filtered},
                    {"spool_records", e.spool_records},
                    {"spool_bytes", e.spool_bytes},
                    {"cursor", e.cursor},
                    {"last_sent_at", e.last_sent_ns > 0 ? Json(rfc3339_ms(e.last_sent_ns)) : Json(nullptr)},
                    {"next_retry_at", e.next_retry_ns > 0 ? Json(rfc3339_ms(e.next_retry_ns)) : Json(nullptr)},
                    {"last_error", e.last_error}});
  }
  return json_response(200, {{"exporters", list}, {"error", cp_.export_error()}});
}

HttpResponse AdminApi::metrics(const HttpRequest& req) {
  no_query(req);
  HttpResponse r{200, render_control_metrics(cp_, auth_counters()), {}};
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return r;
}

namespace {
Json token_json(const TokenRecord& t) {
  return {{"name", t.name},
          {"scope", t.scope},
          {"created_at", rfc3339_ms(t.created_ns)},
          {"created_by", t.created_by},
          {"revoked_at", t.revoked_ns > 0 ? Json(rfc3339_ms(t.revoked_ns)) : Json(nullptr)},
          {"last_used_at", t.last_used_ns > 0 ? Json(rfc3339_ms(t.last_used_ns)) : Json(nullptr)}};
}
}  // namespace

HttpResponse AdminApi::tokens_list(const HttpRequest& req) {
  no_query(req);
  Json list = Json::array();
  for (const TokenRecord& t : cp_.store().list_tokens()) list.push_back(token_json(t));
  return json_response(200, {{"tokens", list}});
}

HttpResponse AdminApi::token_create(const HttpRequest& req, const Caller& who) {
  no_query(req);
  JsonBody body(req.body, {"name", "scope"});
  const std::string name = *body.string("name", true, 64);
  if (!valid_token_name(name))
    throw ApiError(400, "invalid_value", "name: 1..64 letters, digits, '_', '-', '.' or '@'", "name");
  const std::string scope = *body.string("scope", true, 16);
  if (scope != "read" && scope != "admin")
    throw ApiError(400, "invalid_value", "scope must be 'read' or 'admin'", "scope");
  for (const TokenRecord& t : cp_.store().list_tokens())
    if (t.name == name) throw ApiError(409, "conflict", "a token named '" + name + "' exists (names are never reused)", "name");
  const IssuedToken issued = issue_token(cp_.store(), name, scope, who.user, realtime_now_ns());
  cp_.store().add_audit({.at_ns = realtime_now_ns(), .uid = who.uid, .user = who.user, .action = "token_create",
                         .target = name, .detail = "scope=" + scope, .diff = ""});
  Json out = token_json(issued.record);
  out["token"] = issued.token;
  return json_response(201, {{"token", out}});
}

HttpResponse AdminApi::token_revoke(const std::string& name, const HttpRequest& req, const Caller& who) {
  no_query(req);
  auto revoked = cp_.store().revoke_token(name, realtime_now_ns());
  if (!revoked) throw ApiError(404, "not_found", "no active token named '" + name + "'", "name");
  cp_.store().add_audit({.at_ns = realtime_now_ns(), .uid = who.uid, .user = who.user, .action = "token_revoke",
                         .target = name, .detail = "", .diff = ""});
  return json_response(200, {{"revoked", token_json(*revoked)}});
}

HttpResponse AdminApi::test_events(const HttpRequest& req, const Caller& who) {
  no_query(req);
  JsonBody body(req.body, {"count"});
  const int64_t count = *body.integer("count", true, 1, 100000);
  ipc::Envelope env;
  env.mutable_raise_test_events()->set_count(static_cast<uint32_t>(count));
  if (!cp_.dataplane().push(std::move(env)))
    throw ApiError(503, "dataplane_unavailable", "the dataplane is not connected");
  cp_.store().add_audit({.at_ns = realtime_now_ns(), .uid = who.uid, .user = who.user, .action = "test_events",
                         .target = std::to_string(count), .detail = "", .diff = ""});
  return json_response(202, {{"requested", count}});
}

}  // namespace weir::ctl
