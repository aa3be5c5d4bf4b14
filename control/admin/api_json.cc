// Admin API JSON helpers (see api_json.h).
#include "control/admin/api_json.h"

#include <ctime>

namespace weir::ctl {

namespace {
std::string dump(const Json& j) {
  // Alert excerpts are raw bytes: never fail on invalid UTF-8, replace it.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string allowed_list(const std::vector<std::string>& allowed) {
  std::string s;
  for (const auto& a : allowed) s += (s.empty() ? "" : ", ") + a;
  return s.empty() ? "none" : s;
}
}  // namespace

HttpResponse json_response(int status, const Json& body) { return {status, dump(body), {}}; }

HttpResponse error_response(const ApiError& e) {
  Json err = {{"code", e.code()}, {"message", e.what()}};
  if (!e.field().empty()) err["field"] = e.field();
  if (e.extra.is_object())
    for (auto it = e.extra.begin(); it != e.extra.end(); ++it) err[it.key()] = it.value();
  return json_response(e.status(), Json{{"error", err}});
}

JsonBody::JsonBody(const std::string& body, std::initializer_list<const char*> allowed) {
  json_ = Json::parse(body, nullptr, false);
  if (json_.is_discarded()) {
    // Re-parse with exceptions only to get the position for the message.
    try {
      const Json again = Json::parse(body);
      (void)again;
    } catch (const Json::parse_error& e) {
      throw ApiError(400, "bad_json", std::string("body is not valid JSON: ") + e.what());
    }
    throw ApiError(400, "bad_json", "body is not valid JSON");
  }
  if (!json_.is_object()) throw ApiError(400, "bad_json", "body must be a JSON object");
  const std::vector<std::string> names(allowed.begin(), allowed.end());
  for (auto it = json_.begin(); it != json_.end(); ++it) {
    bool known = false;
    for (const auto& n : names) known = known || n == it.key();
    if (!known)
      throw ApiError(400, "unknown_field",
                     "unknown field '" + it.key() + "' (expected one of: " + allowed_list(names) + ")", it.key());
  }
}

std::optional<std::string> JsonBody::string(const char* name, bool required, size_t max_len) const {
  auto it = json_.find(name);
  if (it == json_.end() || it->is_null()) {
    if (required) throw ApiError(400, "missing_field", std::string("missing field '") + name + "'", name);
    return std::nullopt;
  }
  if (!it->is_string())
    throw ApiError(400, "wrong_type", std::string("field '") + name + "' must be a string", name);
  std::string v = it->get<std::string>();
  if (v.size() > max_len)
    throw ApiError(400, "invalid_value",
                   std::string("field '") + name + "' is longer than " + std::to_string(max_len) + " bytes", name);
  return v;
}

std::optional<int64_t> JsonBody::integer(const char* name, bool required, int64_t min, int64_t max) const {
  auto it = json_.find(name);
  if (it == json_.end() || it->is_null()) {
    if (required) throw ApiError(400, "missing_field", std::string("missing field '") + name + "'", name);
    return std::nullopt;
  }
  if (!it->is_number_integer())
    throw ApiError(400, "wrong_type", std::string("field '") + name + "' must be an integer", name);
  const bool is_unsigned = it->is_number_unsigned();
  const uint64_t u = is_unsigned ? it->get<uint64_t>() : 0;
  const int64_t v = is_unsigned ? (u > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(u))
                                : it->get<int64_t>();
  if (v < min || v > max)
    throw ApiError(400, "invalid_value",
                   std::string("field '") + name + "' must be between " + std::to_string(min) + " and " +
                       std::to_string(max),
                   name);
  return v;
}

QueryParams::QueryParams(const HttpRequest& req, std::initializer_list<const char*> allowed) : req_(req) {
  if (!req.query_ok) throw ApiError(400, "invalid_value", "bad %-escape in the query string");
  const std::vector<std::string> names(allowed.begin(), allowed.end());
  for (size_t i = 0; i < req.query.size(); ++i) {
    const std::string& key = req.query[i].first;
    bool known = false;
    for (const auto& n : names) known = known || n == key;
    if (!known)
      throw ApiError(400, "unknown_field",
                     "unknown query parameter '" + key + "' (expected one of: " + allowed_list(names) + ")", key);
    for (size_t j = 0; j < i; ++j)
      if (req.query[j].first == key)
        throw ApiError(400, "invalid_value", "query parameter '" + key + "' given twice", key);
  }
}

std::optional<std::string> QueryParams::string(const char* name) const {
  for (const auto& [k, v] : req_.query)
    if (k == name) return v;
  return std::nullopt;
}

std::optional<int64_t> QueryParams::integer(const char* name, int64_t min, int64_t max) const {
  auto s = string(name);
  if (!s) return std::nullopt;
  int64_t v = 0;
  size_t used = 0;
  try {
    v = std::stoll(*s, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (s->empty() || used != s->size())
    throw ApiError(400, "wrong_type", std::string("query parameter '") + name + "' must be an integer", name);
  if (v < min || v > max)
    throw ApiError(400, "invalid_value",
                   std::string("query parameter '") + name + "' must be between " + std::to_string(min) +
                       " and " + std::to_string(max),
                   name);
  return v;
}

std::string rfc3339_ms(int64_t ns) {
  const time_t secs = static_cast<time_t>(ns / 1000000000);
  const int ms = static_cast<int>((ns / 1000000) % 1000);
  tm t{};
  gmtime_r(&secs, &t);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", t.tm_year + 1900, t.tm_mon + 1,
                t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, ms < 0 ? 0 : ms);
  return buf;
}

const char* severity_name(int severity) {
  static const char* const kNames[] = {"info", "low", "medium", "high", "critical"};
  return severity >= 0 && severity <= 4 ? kNames[severity] : "info";
}

int severity_from_name(const std::string& name) {
  for (int i = 0; i <= 4; ++i)
    if (name == severity_name(i)) return i;
  return -1;
}

const char* kind_name(int kind) {
  switch (kind) {
    case 1: return "alert";
    case 2: return "api_call";
    case 3: return "flow";
    case 4: return "test";
    default: return "unknown";
  }
}

std::string proto_name(int proto) {
  switch (proto) {
    case 6: return "tcp";
    case 17: return "udp";
    case 1: return "icmp";
    case 58: return "icmpv6";
    default: return std::to_string(proto);
  }
}

std::string event_id_hex(uint64_t id) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(id));
  return buf;
}

Json alert_json(const AlertRecord& a) {
  return Json{{"id", a.id},
              {"event_id", event_id_hex(a.event_id)},
              {"ts", rfc3339_ms(a.ts_ns)},
              {"received_at", rfc3339_ms(a.received_ns)},
              {"kind", kind_name(a.kind)},
              {"worker", a.worker},
              {"severity", severity_name(a.severity)},
              {"rule_id", a.rule_id},
              {"class", a.class_name},
              {"zone", a.zone},
              {"flow",
               {{"proto", proto_name(a.proto)},
                {"client", a.client},
                {"client_port", a.client_port},
                {"server", a.server},
                {"server_port", a.server_port}}},
              {"text", a.text}};
}

Json audit_json(const AuditRecord& r) {
  return Json{{"id", r.id},         {"at", rfc3339_ms(r.at_ns)}, {"uid", r.uid},
              {"user", r.user},     {"action", r.action},        {"target", r.target},
              {"detail", r.detail}, {"diff", r.diff}};
}

Json block_json(const BlockRecord& b) {
  return Json{{"cidr", b.cidr},
              {"ttl_s", b.ttl_s},
              {"created_at", rfc3339_ms(b.created_ns)},
              {"expires_at", b.expires_ns > 0 ? Json(rfc3339_ms(b.expires_ns)) : Json(nullptr)},
              {"reason", b.reason},
              {"by", b.by}};
}

}  // namespace weir::ctl
