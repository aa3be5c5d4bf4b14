// EndpointRecord JSON and tags; see endpoint_record.h.
#include "control/inventory/endpoint_record.h"

#include <algorithm>

namespace weir::ctl {

namespace {

using Json = nlohmann::json;

template <typename Map>
Json counts(const Map& m) {
  Json out = Json::object();
  for (const auto& [k, v] : m) out[k] = v;
  return out;
}

Json strings(const std::set<std::string>& s) {
  Json out = Json::array();
  for (const auto& v : s) out.push_back(v);
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string endpoint_key(std::string_view host, std::string_view method, std::string_view path_template,
                         std::string_view operation) {
  std::string k;
  k.append(host).append(" ").append(method).append(" ").append(path_template);
  if (!operation.empty()) k.append(" #").append(operation);
  return k;
}

std::string EndpointRecord::key() const { return endpoint_key(host, method, path_template, operation); }

Json endpoint_json(const EndpointRecord& e, bool full) {
  Json status = Json::object();
  for (const auto& [code, n] : e.status) status[std::to_string(code)] = n;
  Json sens = Json::array();
  std::set<std::string> classes;
  for (const auto& [c, n] : e.sensitive_request) classes.insert(c);
  for (const auto& [c, n] : e.sensitive_response) classes.insert(c);
  Json j = {
      {"id", e.id},
      {"host", e.host},
      {"method", e.method},
      {"path", e.path_template},
      {"operation", e.operation},
      {"operation_type", e.operation_type},
      {"protocol", detect::api_protocol_name(e.protocol)},
      {"calls", e.calls},
      {"first_seen_ns", e.first_seen_ns},
      {"last_seen_ns", e.last_seen_ns},
      {"status", status},
      {"auth", counts(e.auth)},
      {"sensitive", strings(classes)},
      {"sensitive_request", counts(e.sensitive_request)},
      {"sensitive_response", counts(e.sensitive_response)},
      {"custom_detectors", strings(e.custom_detectors)},
      {"request_content_types", strings(e.request_content_types)},
      {"response_content_types", strings(e.response_content_types)},
      {"ports", strings(e.ports)},
      {"tags", strings(e.tags)},
      {"latency_us", {{"p50", e.latency.quantile_us(0.5)},
                      {"p90", e.latency.quantile_us(0.9)},
                      {"p99", e.latency.quantile_us(0.99)}}},
  };
  if (!full) return j;
  Json params = Json::array();
  for (const auto& [k, p] : e.params) {
    Json ps = Json::array();
    for (unsigned i = 0; i < static_cast<unsigned>(detect::SensitiveClass::Count); ++i)
      if (p.sensitive & (1u << i)) ps.push_back(detect::sensitive_class_name(static_cast<detect::SensitiveClass>(i)));
    params.push_back({{"zone", p.zone},
                      {"name", p.name},
                      {"in", p.response ? "response" : "request"},
                      {"type", detect::value_type_name(p.type)},
                      {"format", p.format_mixed ? "" : detect::value_format_name(p.format)},
                      {"required", !p.response && p.seen == e.calls},
                      {"seen", p.seen},
                      {"max_length", p.max_length},
                      {"sensitive", ps},
                      {"first_seen_ns", p.first_seen_ns}});
  }
  j["params"] = params;
  j["sample_path"] = e.sample_path;
  j["latency_buckets"] = e.latency.to_json();
  j["auth_missing_reported"] = e.auth_missing_reported;
  return j;
}

EndpointRecord endpoint_from_json(const Json& j) {
  EndpointRecord e;
  e.id = j.at("id").get<int64_t>();
  e.host = j.at("host").get<std::string>();
  e.method = j.at("method").get<std::string>();
  e.path_template = j.at("path").get<std::string>();
  e.operation = j.value("operation", "");
  e.operation_type = j.value("operation_type", "");
  detect::api_protocol_from_name(j.value("protocol", "rest"), e.protocol);
  e.calls = j.at("calls").get<uint64_t>();
  e.first_seen_ns = j.at("first_seen_ns").get<int64_t>();
  e.last_seen_ns = j.at("last_seen_ns").get<int64_t>();
  e.sample_path = j.value("sample_path", "");
  for (const auto& [k, v] : j.at("status").items()) e.status[std::stoi(k)] = v.get<uint64_t>();
  for (const auto& [k, v] : j.at("auth").items()) e.auth[k] = v.get<uint64_t>();
  for (const auto& [k, v] : j.at("sensitive_request").items()) e.sensitive_request[k] = v.get<uint64_t>();
  for (const auto& [k, v] : j.at("sensitive_response").items()) e.sensitive_response[k] = v.get<uint64_t>();
  for (const auto& v : j.at("custom_detectors")) e.custom_detectors.insert(v.get<std::string>());
  for (const auto& v : j.at("request_content_types")) e.request_content_types.insert(v.get<std::string>());
  for (const auto& v : j.at("response_content_types")) e.response_content_types.insert(v.get<std::string>());
  for (const auto& v : j.at("ports")) e.ports.insert(v.get<std::string>());
  for (const auto& v : j.at("tags")) e.tags.insert(v.get<std::string>());
  e.latency.from_json(j.value("latency_buckets", Json::object()));
  e.auth_missing_reported = j.value("auth_missing_reported", false);
  for (const auto& p : j.value("params", Json::array())) {
    ParamRecord r;
    r.zone = p.at("zone").get<std::string>();
    r.name = p.at("name").get<std::string>();
    r.response = p.at("in").get<std::string>() == "response";
    detect::value_type_from_name(p.at("type").get<std::string>(), r.type);
    const std::string fmt = p.at("format").get<std::string>();
    detect::value_format_from_name(fmt, r.format);
    r.seen = p.at("seen").get<uint64_t>();
    r.max_length = p.at("max_length").get<uint32_t>();
    for (const auto& s : p.at("sensitive")) {
      detect::SensitiveClass c;
      if (detect::sensitive_class_from_name(s.get<std::string>(), c)) r.sensitive |= detect::sensitive_bit(c);
    }
    r.first_seen_ns = p.value("first_seen_ns", int64_t{0});
    e.params[(r.response ? "response:" : "request:") + r.zone + ":" + r.name] = r;
  }
  return e;
}

std::set<std::string> infer_tags(const EndpointRecord& e) {
  std::set<std::string> tags;
  const std::string path = lower(e.path_template + " " + e.operation);
  auto has = [&](std::initializer_list<const char*> words) {
    for (const char* w : words)
      if (path.find(w) != std::string::npos) return true;
    return false;
  };
  if (has({"login", "logout", "signin", "sign-in", "signup", "register", "token", "oauth", "auth", "session",
           "password", "mfa", "otp", "verify"}))
    tags.insert("auth");
  if (has({"pay", "checkout", "billing", "invoice", "card", "charge", "refund", "order", "cart", "coupon"}))
    tags.insert("payment");
  if (has({"account", "profile", "user", "email", "settings", "me"})) {
    if (e.method == "POST" || e.method == "PUT" || e.method == "PATCH" || e.method == "DELETE")
      tags.insert("account-change");
  }
  if (has({"admin", "internal", "debug", "actuator", "manage"})) tags.insert("admin");
  for (const auto& [c, n] : e.sensitive_response)
    if (c == "pan" || c == "iban") tags.insert("payment");
  for (const auto& [k, p] : e.params)
    if (!p.response && (p.sensitive & detect::sensitive_bit(detect::SensitiveClass::Password))) tags.insert("auth");
  if (!e.sensitive_request.empty() || !e.sensitive_response.empty()) tags.insert("sensitive");
  return tags;
}

}  // namespace weir::ctl
