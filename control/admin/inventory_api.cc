// Inventory routes of the admin API; see inventory_api.h and API.md.
#include "control/admin/inventory_api.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include "control/admin/api_json.h"
#include "control/inventory/flow_miner.h"
#include "control/inventory/openapi_export.h"
#include "detect/observe/http_exchange_observer.h"
#include "detect/observe/observation_codec.h"

namespace weir::ctl {

namespace {

constexpr int64_t kDefaultOrphanWindowS = 7 * 86400;

Json parse_body(const HttpRequest& req, std::initializer_list<const char*> allowed) {
  Json body;
  try {
    body = Json::parse(req.body);
  } catch (const std::exception&) {
    throw ApiError(400, "bad_json", "request body is not valid JSON");
  }
  if (!body.is_object()) throw ApiError(400, "bad_json", "request body must be a JSON object");
  for (const auto& [k, v] : body.items()) {
    if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; }) == allowed.end()) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      throw ApiError(400, "unknown_field", "unknown field '" + k + "' (expected one of: " + list + ")", k);
    }
  }
  return body;
}

std::string body_string(const Json& body, const char* name, bool required) {
  if (!body.contains(name)) {
    if (required) throw ApiError(400, "missing_field", std::string("missing field '") + name + "'", name);
    return "";
  }
  if (!body[name].is_string()) throw ApiError(400, "wrong_type", std::string("'") + name + "' must be a string", name);
  return body[name].get<std::string>();
}

Json endpoint_summary(const EndpointRecord& e, const std::string& status) {
  Json j = endpoint_json(e, false);
  j["spec_status"] = status;
  j["first_seen"] = rfc3339_ms(e.first_seen_ns);
  j["last_seen"] = rfc3339_ms(e.last_seen_ns);
  return j;
}

std::set<std::string> hosts_of(const std::vector<EndpointRecord>& eps) {
  std::set<std::string> hosts;
  for (const auto& e : eps) hosts.insert(e.host);
  return hosts;
}

// The host a spec is for: given, else its first server URL's host, else the
// only host the inventory knows.
std::string spec_host(const std::string& given, const std::string& text, const std::vector<EndpointRecord>& eps) {
  if (!given.empty()) return given;
  try {
    const Json doc = load_spec_text(text);
    if (doc.contains("servers") && doc["servers"].is_array() && !doc["servers"].empty()) {
      std::string url = doc["servers"][0].value("url", "");
      const size_t scheme = url.find("://");
      if (scheme != std::string::npos) url = url.substr(scheme + 3);
      url = url.substr(0, url.find('/'));
      url = url.substr(0, url.find(':'));
      if (!url.empty()) return url;
    }
  } catch (const SpecError&) {
    // reported by the caller's import/diff with the precise message
  }
  const auto hosts = hosts_of(eps);
  if (hosts.size() == 1) return *hosts.begin();
  throw ApiError(400, "missing_field", "say which host the spec is for ('host'; the spec has no servers[0].url)", "host");
}

HttpResponse list_endpoints(ControlPlane& cp, const HttpRequest& req) {
  QueryParams q(req, {"host", "tag", "status", "sensitive", "protocol", "limit", "window_s"});
  const auto host = q.string("host"), tag = q.string("tag"), status = q.string("status"),
             sensitive = q.string("sensitive"), protocol = q.string("protocol");
  const int64_t limit = q.integer("limit", 1, 100000).value_or(1000);
  const int64_t window_s = q.integer("window_s", 1, 10 * 365 * 86400LL).value_or(kDefaultOrphanWindowS);
  if (status && *status != "documented" && *status != "shadow" && *status != "zombie" && *status != "orphan" &&
      *status != "unknown")
    throw ApiError(400, "invalid_value", "status must be documented, shadow, zombie, orphan or unknown", "status");
  detect::SensitiveClass cls;
  if (sensitive && !detect::sensitive_class_from_name(*sensitive, cls))
    throw ApiError(400, "invalid_value", "unknown sensitive class '" + *sensitive + "'", "sensitive");
  Inventory& inv = cp.inventory();
  const auto all = inv.endpoints();
  Json list = Json::array(), orphans = Json::array();
  const int64_t now = realtime_now_ns();
  for (const auto& h : hosts_of(all)) {
    if (host && *host != h) continue;
    const auto versions = inv.spec_versions(h);
    std::vector<EndpointRecord> of_host;
    for (const auto& e : all)
      if (e.host == h) of_host.push_back(e);
    if (status && *status == "orphan") {
      const Json c = classify_endpoints(of_host, versions, now, window_s * 1000000000LL);
      for (auto o : c["orphan"]) {
        o["host"] = h;
        orphans.push_back(o);
      }
      continue;
    }
    for (const auto& e : of_host) {
      if (static_cast<int64_t>(list.size()) >= limit) break;
      if (tag && !e.tags.count(*tag)) continue;
      if (protocol && *protocol != detect::api_protocol_name(e.protocol)) continue;
      if (sensitive && !e.sensitive_request.count(*sensitive) && !e.sensitive_response.count(*sensitive)) continue;
      const std::string st = endpoint_status(e, versions);
      if (status && *status != st) continue;
      list.push_back(endpoint_summary(e, st));
    }
  }
  // Hosts with a spec but no traffic at all still have orphans.
  if (status && *status == "orphan") {
    for (const auto& s : inv.specs()) {
      if ((host && *host != s.host) || hosts_of(all).count(s.host)) continue;
      const Json c = classify_endpoints({}, inv.spec_versions(s.host), now, window_s * 1000000000LL);
      for (auto o : c["orphan"]) {
        o["host"] = s.host;
        if (std::find(orphans.begin(), orphans.end(), o) == orphans.end()) orphans.push_back(o);
      }
    }
  }
  Json out = {{"endpoints", list}, {"observations", inv.observations()}};
  if (status && *status == "orphan") out["orphans"] = orphans;
  return json_response(200, out);
}

HttpResponse show_endpoint(ControlPlane& cp, const HttpRequest& req, const std::string& id_text) {
  QueryParams q(req, {});
  int64_t id = 0;
  try {
    size_t used = 0;
    id = std::stoll(id_text, &used);
    if (used != id_text.size()) id = 0;
  } catch (const std::exception&) {
    id = 0;
  }
  if (id <= 0) throw ApiError(400, "invalid_value", "endpoint id must be a positive integer", "id");
  auto e = cp.inventory().endpoint(id);
  if (!e) throw ApiError(404, "not_found", "no endpoint with id " + id_text, "id");
  Json j = endpoint_json(*e, true);
  j.erase("latency_buckets");
  j.erase("auth_missing_reported");
  j["spec_status"] = endpoint_status(*e, cp.inventory().spec_versions(e->host));
  // The merged shapes of the JSON bodies, as JSON schemas (what the export uses).
  std::vector<const ParamRecord*> req_body, resp_body;
  for (const auto& [k, p] : e->params) {
    if (p.response && p.zone == "resp_body") resp_body.push_back(&p);
    if (!p.response && (p.zone == "body_json" || p.zone == "body_form" || p.zone == "body_multipart"))
      req_body.push_back(&p);
  }
  j["request_schema"] = req_body.empty() ? Json(nullptr) : schema_from_params(req_body);
  j["response_schema"] = resp_body.empty() ? Json(nullptr) : schema_from_params(resp_body);
  j["first_seen"] = rfc3339_ms(e->first_seen_ns);
  j["last_seen"] = rfc3339_ms(e->last_seen_ns);
  return json_response(200, {{"endpoint", j}});
}

HttpResponse sensitive(ControlPlane& cp, const HttpRequest& req) {
  QueryParams q(req, {"host", "class"});
  const auto host = q.string("host"), cls = q.string("class");
  detect::SensitiveClass c;
  if (cls && !detect::sensitive_class_from_name(*cls, c))
    throw ApiError(400, "invalid_value", "unknown sensitive class '" + *cls + "'", "class");
  Json findings = Json::array();
  for (const auto& e : cp.inventory().endpoints()) {
    if (host && *host != e.host) continue;
    auto add = [&](const std::map<std::string, uint64_t>& seen, bool response) {
      for (const auto& [name, calls] : seen) {
        if (cls && *cls != name) continue;
        detect::SensitiveClass sc;
        detect::sensitive_class_from_name(name, sc);
        Json params = Json::array();
        for (const auto& [k, p] : e.params)
          if (p.response == response && (p.sensitive & detect::sensitive_bit(sc))) params.push_back(p.zone + ":" + p.name);
        findings.push_back({{"endpoint", {{"id", e.id}, {"host", e.host}, {"method", e.method},
                                          {"path", e.path_template}, {"operation", e.operation}}},
                            {"class", name},
                            {"category", detect::sensitive_category(sc)},
                            {"in", response ? "response" : "request"},
                            {"calls", calls},
                            {"params", params}});
      }
    };
    add(e.sensitive_request, false);
    add(e.sensitive_response, true);
  }
  return json_response(200, {{"findings", findings}});
}

HttpResponse changes(ControlPlane& cp, const HttpRequest& req) {
  QueryParams q(req, {"after_id", "limit"});
  const int64_t after = q.integer("after_id", 0, INT64_MAX).value_or(0);
  const int limit = static_cast<int>(q.integer("limit", 1, 1000).value_or(100));
  Json list = Json::array();
  int64_t last = after;
  for (const auto& c : cp.inventory().changes(after, limit)) {
    list.push_back({{"id", c.id}, {"at", rfc3339_ms(c.at_ns)}, {"endpoint_id", c.endpoint_id}, {"kind", c.kind},
                    {"detail", c.detail}, {"severity", severity_name(c.severity)}});
    last = std::max(last, c.id);
  }
  return json_response(200, {{"changes", list}, {"last_id", last}});
}

HttpResponse openapi(ControlPlane& cp, const HttpRequest& req) {
  QueryParams q(req, {"host"});
  const auto eps = cp.inventory().endpoints();
  const auto hosts = hosts_of(eps);
  std::string host = q.string("host").value_or("");
  if (host.empty()) {
    if (hosts.size() != 1) throw ApiError(400, "missing_field", "the inventory has several hosts: give 'host'", "host");
    host = *hosts.begin();
  }
  if (!hosts.count(host)) throw ApiError(404, "not_found", "no endpoint learned for host '" + host + "'", "host");
  return json_response(200, export_openapi(eps, host));
}

HttpResponse specs_list(ControlPlane& cp, const HttpRequest& req) {
  QueryParams q(req, {});
  Json list = Json::array();
  for (const auto& s : cp.inventory().specs())
    list.push_back({{"id", s.id}, {"host", s.host}, {"title", s.title}, {"version", s.version},
                    {"imported_at", rfc3339_ms(s.imported_ns)}});
  return json_response(200, {{"specs", list}});
}

HttpResponse specs_import(ControlPlane& cp, const HttpRequest& req) {
  QueryParams q(req, {});
  const Json body = parse_body(req, {"spec", "host"});
  const std::string text = body_string(body, "spec", true);
  const std::string host = spec_host(body_string(body, "host", false), text, cp.inventory().endpoints());
  try {
    const SpecRow s = cp.inventory().import_spec(host, text);
    return json_response(201, {{"spec", {{"id", s.id}, {"host", s.host}, {"title", s.title}, {"version", s.version},
                                         {"operations", cp.inventory().spec_versions(host).back().size()},
                                         {"imported_at", rfc3339_ms(s.imported_ns)}}}});
  } catch (const SpecError& e) {
    throw ApiError(422, "invalid_spec", e.what(), "spec");
  }
}

HttpResponse diff(ControlPlane& cp, const HttpRequest& req) {
  QueryParams q(req, {});
  const Json body = parse_body(req, {"spec", "host", "window_s"});
  const std::string text = body_string(body, "spec", true);
  int64_t window_s = kDefaultOrphanWindowS;
  if (body.contains("window_s")) {
    if (!body["window_s"].is_number_integer() || body["window_s"].get<int64_t>() <= 0)
      throw ApiError(400, "invalid_value", "window_s must be a positive integer", "window_s");
    window_s = body["window_s"].get<int64_t>();
  }
  const auto eps = cp.inventory().endpoints();
  const std::string host = spec_host(body_string(body, "host", false), text, eps);
  std::vector<SpecOperation> ops;
  try {
    ops = spec_operations(resolve_refs(load_spec_text(text)));
  } catch (const SpecError& e) {
    throw ApiError(422, "invalid_spec", e.what(), "spec");
  }
  std::vector<EndpointRecord> of_host;
  for (const auto& e : eps)
    if (e.host == host) of_host.push_back(e);
  Json r = classify_endpoints(of_host, {ops}, realtime_now_ns(), window_s * 1000000000LL);
  r["host"] = host;
  r["changed"] = !r["shadow"].empty() || !r["zombie"].empty() || !r["orphan"].empty() || !r["drift"].empty();
  return json_response(200, r);
}

Json flow_json(const std::string& id, const std::string& name, const std::vector<std::string>& steps,
               const std::string& source, Json support, Json confidence) {
  return {{"id", id}, {"name", name.empty() ? Json(nullptr) : Json(name)}, {"steps", steps}, {"source", source},
          {"support", support}, {"confidence", confidence}};
}

Json all_flows(ControlPlane& cp, uint64_t min_support, double min_confidence) {
  Json out = Json::array();
  std::set<std::string> named_ids;
  for (const auto& f : cp.inventory().saved_flows()) {
    const auto steps = Json::parse(f.steps).get<std::vector<std::string>>();
    named_ids.insert(flow_id(steps));
    out.push_back(flow_json(flow_id(steps), f.name, steps, f.source, nullptr, nullptr));
  }
  FlowMiningOptions o;
  o.min_support = min_support;
  o.min_confidence = min_confidence;
  for (const auto& m : mine_flows(cp.inventory().transitions(), o)) {
    if (named_ids.count(m.id)) {
      for (auto& f : out)
        if (f["id"] == m.id) f["support"] = m.support, f["confidence"] = m.confidence;
      continue;
    }
    out.push_back(flow_json(m.id, "", m.steps, "mined", m.support, m.confidence));
  }
  return out;
}

// A mined id is looked up under the default thresholds first (what
// `business-flows list` shows), then under permissive ones.
std::optional<Json> find_flow(ControlPlane& cp, const std::string& id_or_name) {
  for (const auto& [support, conf] : {std::pair<uint64_t, double>{3, 0.3}, {1, 0.0}})
    for (const auto& f : all_flows(cp, support, conf))
      if (f["id"] == id_or_name || f["name"] == id_or_name) return f;
  return std::nullopt;
}

HttpResponse flows_list(ControlPlane& cp, const HttpRequest& req) {
  QueryParams q(req, {"min_support", "min_confidence_pct"});
  const uint64_t support = static_cast<uint64_t>(q.integer("min_support", 1, INT64_MAX).value_or(3));
  const double conf = static_cast<double>(q.integer("min_confidence_pct", 0, 100).value_or(30)) / 100.0;
  return json_response(200, {{"flows", all_flows(cp, support, conf)}});
}

HttpResponse flows_show(ControlPlane& cp, const HttpRequest& req, const std::string& id) {
  QueryParams q(req, {});
  if (auto f = find_flow(cp, id)) return json_response(200, {{"flow", *f}});
  throw ApiError(404, "not_found", "no flow with id or name '" + id + "'", "id");
}

HttpResponse flows_promote(ControlPlane& cp, const HttpRequest& req) {
  QueryParams q(req, {});
  const Json body = parse_body(req, {"id", "name", "steps"});
  const std::string name = body_string(body, "name", true);
  if (name.empty() || name.size() > 128) throw ApiError(400, "invalid_value", "name must be 1..128 bytes", "name");
  std::vector<std::string> steps;
  std::string source = "promoted";
  if (body.contains("steps")) {
    if (body.contains("id")) throw ApiError(400, "invalid_value", "give 'id' or 'steps', not both", "steps");
    if (!body["steps"].is_array() || body["steps"].size() < 2)
      throw ApiError(400, "wrong_type", "'steps' must be an array of at least two endpoint keys", "steps");
    for (const auto& s : body["steps"]) {
      if (!s.is_string()) throw ApiError(400, "wrong_type", "'steps' must hold strings", "steps");
      steps.push_back(s.get<std::string>());
    }
    source = "declared";
  } else {
    const std::string id = body_string(body, "id", true);
    if (auto f = find_flow(cp, id); f && (*f)["id"] == id) steps = (*f)["steps"].get<std::vector<std::string>>();
    if (steps.empty()) throw ApiError(404, "not_found", "no mined flow with id '" + id + "'", "id");
  }
  const FlowRow row = cp.inventory().save_flow(name, steps, source);
  return json_response(201, {{"flow", flow_json(flow_id(steps), row.name, steps, row.source, nullptr, nullptr)}});
}

uint64_t fnv(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
  return h;
}

// Raw HTTP exchanges through the same parser, builder and wire codec as a
// worker, then into the inventory: recorded traffic drives the inventory
// without a dataplane.
HttpResponse test_observations(ControlPlane& cp, const HttpRequest& req) {
  QueryParams q(req, {});
  if (!cp.options().test_hooks)
    throw ApiError(404, "not_found", "test hooks are disabled (weir-control --test-hooks)");
  const Json body = parse_body(req, {"exchanges"});
  if (!body.contains("exchanges") || !body["exchanges"].is_array())
    throw ApiError(400, "missing_field", "'exchanges' must be an array", "exchanges");
  parse::ParserWorkspace workspace;
  std::vector<uint8_t> wire(detect::max_encoded_observation_size());
  auto obs = std::make_unique<detect::ApiObservation>();
  auto decoded = std::make_unique<detect::ApiObservation>();
  size_t ingested = 0, index = 0;
  for (const auto& x : body["exchanges"]) {
    const std::string field = "exchanges[" + std::to_string(index++) + "]";
    if (!x.is_object() || !x.contains("request") || !x["request"].is_string())
      throw ApiError(400, "wrong_type", field + " must be an object with a 'request' string", field);
    detect::ObservationContext ctx;
    ctx.ts_ns = static_cast<uint64_t>(x.value("ts_ns", realtime_now_ns()));
    ctx.client_key = fnv(x.value("client", std::string("198.18.0.10")));
    ctx.port_in = static_cast<uint16_t>(x.value("port_in", 0));
    ctx.port_out = static_cast<uint16_t>(x.value("port_out", 1));
    const std::string protocol = x.value("protocol", std::string());
    const std::string operation = x.value("operation", std::string());
    if (!protocol.empty()) {
      if (!detect::api_protocol_from_name(protocol, ctx.protocol))
        throw ApiError(400, "invalid_value", "unknown protocol '" + protocol + "'", field + ".protocol");
      ctx.protocol_known = true;
    }
    ctx.operation = operation;
    if (!detect::observe_http_exchange(x["request"].get<std::string>(), x.value("response", std::string()),
                                       static_cast<uint32_t>(x.value("latency_us", 0)), ctx, workspace, *obs))
      throw ApiError(400, "invalid_value", field + ".request does not parse as one complete HTTP/1 request",
                     field + ".request");
    const size_t n = detect::encode(*obs, wire);
    if (n == 0 || detect::decode({wire.data(), n}, *decoded) != detect::DecodeStatus::Ok)
      throw ApiError(500, "internal", "observation codec round trip failed");
    cp.inventory().ingest(*decoded);
    ++ingested;
  }
  cp.inventory().flush();
  return json_response(202, {{"ingested", ingested}});
}

}  // namespace

bool is_inventory_path(const std::string& p) {
  return p == "/v1/inventory" || p.rfind("/v1/inventory/", 0) == 0 || p == "/v1/business-flows" ||
         p.rfind("/v1/business-flows/", 0) == 0 || p == "/v1/test/observations";
}

HttpResponse route_inventory(ControlPlane& cp, const HttpRequest& req) {
  const std::string& p = req.path;
  std::map<std::string, std::function<HttpResponse()>> m;
  if (p == "/v1/inventory") {
    m["GET"] = [&] { return list_endpoints(cp, req); };
  } else if (p.rfind("/v1/inventory/endpoints/", 0) == 0 && p.size() > 24 && p.find('/', 24) == std::string::npos) {
    m["GET"] = [&] { return show_endpoint(cp, req, p.substr(24)); };
  } else if (p == "/v1/inventory/sensitive") {
    m["GET"] = [&] { return sensitive(cp, req); };
  } else if (p == "/v1/inventory/changes") {
    m["GET"] = [&] { return changes(cp, req); };
  } else if (p == "/v1/inventory/openapi") {
    m["GET"] = [&] { return openapi(cp, req); };
  } else if (p == "/v1/inventory/specs") {
    m["GET"] = [&] { return specs_list(cp, req); };
    m["POST"] = [&] { return specs_import(cp, req); };
  } else if (p == "/v1/inventory/diff") {
    m["POST"] = [&] { return diff(cp, req); };
  } else if (p == "/v1/business-flows") {
    m["GET"] = [&] { return flows_list(cp, req); };
  } else if (p == "/v1/business-flows/promote") {
    m["POST"] = [&] { return flows_promote(cp, req); };
  } else if (p.rfind("/v1/business-flows/", 0) == 0 && p.size() > 19 && p.find('/', 19) == std::string::npos) {
    m["GET"] = [&] { return flows_show(cp, req, p.substr(19)); };
  } else if (p == "/v1/test/observations") {
    m["POST"] = [&] { return test_observations(cp, req); };
  } else {
    throw ApiError(404, "not_found", "no such endpoint: " + p);
  }
  auto it = m.find(req.method);
  if (it == m.end()) {
    std::string allow;
    for (const auto& [k, fn] : m) allow += (allow.empty() ? "" : ", ") + k;
    HttpResponse r = error_response(
        ApiError(405, "method_not_allowed", req.method + " is not allowed on " + p + " (allowed: " + allow + ")"));
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  return it->second();
}

}  // namespace weir::ctl
