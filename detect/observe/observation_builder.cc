// Observation building; see observation_builder.h.
#include "detect/observe/observation_builder.h"

#include <array>

#include "detect/observe/json_shape_walker.h"
#include "detect/sensitive/custom_detector_set.h"
#include "detect/sensitive/redaction.h"
#include "detect/sensitive/sensitive_scanner.h"
#include "detect/sensitive/value_checks.h"

namespace weir::detect {

namespace {

using parse::Field;
using parse::Zone;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool istarts(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool icontains(std::string_view s, std::string_view needle) {
  for (size_t i = 0; i + needle.size() <= s.size(); ++i)
    if (iequals(s.substr(i, needle.size()), needle)) return true;
  return false;
}

uint64_t fnv1a(uint64_t h, std::string_view s) {
  for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
  return h;
}
constexpr uint64_t kFnvBasis = 0xcbf29ce484222325ULL;

// Headers every client sends: not API parameters.
constexpr std::string_view kCommonHeaders[] = {
    "host", "user-agent", "accept", "accept-encoding", "accept-language", "accept-charset", "connection",
    "content-length", "content-type", "content-encoding", "transfer-encoding", "cache-control", "pragma",
    "cookie", "authorization", "origin", "referer", "te", "upgrade", "keep-alive", "dnt", "expect",
    "if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "range", "via",
    "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-real-ip", "forwarded",
    "proxy-connection", "priority", "upgrade-insecure-requests", "date", "server", "vary", "etag",
    "last-modified", "expires", "age", "set-cookie", "location", "content-security-policy",
    "strict-transport-security", "x-content-type-options", "x-frame-options", "access-control-allow-origin",
    "soapaction", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "grpc-status", "grpc-message",
};

bool common_header(std::string_view name) {
  if (istarts(name, "sec-")) return true;
  for (auto h : kCommonHeaders)
    if (iequals(name, h)) return true;
  return false;
}

constexpr std::string_view kApiKeyHeaders[] = {"x-api-key", "api-key", "apikey", "x-apikey", "x-auth-token",
                                               "x-api-token", "x-access-token", "x-functions-key"};
constexpr std::string_view kApiKeyQuery[] = {"api_key", "apikey", "api-key", "key", "access_token", "token",
                                             "auth", "auth_token"};

bool session_cookie(std::string_view name) {
  return icontains(name, "session") || iequals(name, "sid") || iequals(name, "connect.sid") ||
         iequals(name, "jsessionid") || iequals(name, "phpsessid") || icontains(name, "auth") ||
         icontains(name, "token");
}

// "items[3].id" -> "items[].id", into a fixed buffer.
std::string_view normalise_name(std::string_view name, std::array<char, 64>& buf) {
  size_t n = 0;
  for (size_t i = 0; i < name.size() && n < buf.size(); ++i) {
    const char c = name[i];
    if (c == '[') {
      size_t j = i + 1;
      while (j < name.size() && name[j] >= '0' && name[j] <= '9') ++j;
      if (j < name.size() && name[j] == ']' && j > i + 1) {
        buf[n++] = '[';
        if (n < buf.size()) buf[n++] = ']';
        i = j;
        continue;
      }
    }
    buf[n++] = c;
  }
  return {buf.data(), n};
}

ValueType wider(ValueType a, ValueType b) {
  if (a == b) return a;
  if (a == ValueType::Null) return b;
  if (b == ValueType::Null) return a;
  if ((a == ValueType::Integer && b == ValueType::Number) || (a == ValueType::Number && b == ValueType::Integer))
    return ValueType::Number;
  return ValueType::String;
}

void add_param(ApiObservation& o, Zone zone, ParamSide side, std::string_view raw_name, ValueShape shape,
               size_t length, SensitiveMask sensitive) {
  std::array<char, 64> buf;
  const std::string_view name = normalise_name(raw_name, buf);
  for (uint16_t i = 0; i < o.param_count; ++i) {
    ParamShape& p = o.params[i];
    if (p.zone == static_cast<uint8_t>(zone) && p.side == side && p.name.view() == name) {
      p.type = wider(p.type, shape.type);
      if (p.format != shape.format) p.format = ValueFormat::None;
      if (length > p.length) p.length = static_cast<uint32_t>(length);
      p.sensitive |= sensitive;
      return;
    }
  }
  if (o.param_count == ApiObservation::kMaxParams) {
    o.params_truncated = true;
    return;
  }
  ParamShape& p = o.params[o.param_count++];
  p.name.assign(name);
  p.zone = static_cast<uint8_t>(zone);
  p.side = side;
  p.type = shape.type;
  p.format = shape.format;
  p.length = static_cast<uint32_t>(length > UINT32_MAX ? UINT32_MAX : length);
  p.sensitive = sensitive;
}

SensitiveMask classify(std::string_view key, std::string_view value, const ObservationContext& ctx,
                       ApiObservation& o) {
  SensitiveMask m = classify_field(key, value);
  if (ctx.custom && ctx.custom_scratch) {
    const uint32_t custom = ctx.custom->match_mask(key, value, *ctx.custom_scratch);
    if (custom) {
      o.custom_detectors |= custom;
      m |= sensitive_bit(SensitiveClass::Custom);
    }
  }
  return m;
}

bool is_param_zone(Zone z) {
  switch (z) {
    case Zone::QueryArg:
    case Zone::Header:
    case Zone::Cookie:
    case Zone::BodyJson:
    case Zone::BodyForm:
    case Zone::BodyMultipart:
    case Zone::BodyFile:
    case Zone::BodyXml:
    case Zone::GraphqlArg:
    case Zone::GraphqlVar:
    case Zone::GrpcField:
      return true;
    default:
      return false;
  }
}

void note_auth(const Field& f, ApiObservation& o, uint64_t& identity) {
  if (f.zone == Zone::Header) {
    if (iequals(f.name, "authorization")) {
      std::string_view v = f.value;
      if (istarts(v, "bearer ")) {
        v.remove_prefix(7);
        o.auth |= auth_bit(looks_like_jwt(v) ? AuthScheme::BearerJwt : AuthScheme::Bearer);
      } else if (istarts(v, "basic ")) {
        o.auth |= auth_bit(AuthScheme::Basic);
      } else if (istarts(v, "digest ")) {
        o.auth |= auth_bit(AuthScheme::Digest);
      } else {
        o.auth |= auth_bit(AuthScheme::OtherAuthorization);
      }
      identity = fnv1a(identity, f.value);
      return;
    }
    for (auto h : kApiKeyHeaders) {
      if (iequals(f.name, h)) {
        o.auth |= auth_bit(AuthScheme::ApiKeyHeader);
        identity = fnv1a(identity, f.value);
        return;
      }
    }
  } else if (f.zone == Zone::QueryArg) {
    for (auto q : kApiKeyQuery) {
      if (iequals(f.name, q)) {
        o.auth |= auth_bit(AuthScheme::ApiKeyQuery);
        identity = fnv1a(identity, f.value);
        return;
      }
    }
  } else if (f.zone == Zone::Cookie && session_cookie(f.name)) {
    o.auth |= auth_bit(AuthScheme::CookieSession);
    identity = fnv1a(identity, f.value);
  }
}

std::string_view strip_quotes(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
  return v;
}

std::string_view graphql_operation_type(std::string_view query) {
  size_t i = 0;
  while (i < query.size() && (query[i] == ' ' || query[i] == '\n' || query[i] == '\t' || query[i] == '\r')) ++i;
  query.remove_prefix(i);
  if (query.substr(0, 8) == "mutation") return "mutation";
  if (query.substr(0, 12) == "subscription") return "subscription";
  if (query.substr(0, 5) == "query" || query.substr(0, 1) == "{") return "query";
  return "";
}

struct ResponseWalk {
  ApiObservation* o;
  const ObservationContext* ctx;
};

bool on_response_leaf(const JsonLeaf& leaf, void* p) {
  auto* w = static_cast<ResponseWalk*>(p);
  ValueShape shape{leaf.type, ValueFormat::None};
  if (leaf.type == ValueType::String) shape.format = infer_format(leaf.text);
  const SensitiveMask m = classify(leaf.path, leaf.text, *w->ctx, *w->o);
  w->o->response_sensitive |= m;
  add_param(*w->o, Zone::RespBody, ParamSide::Response, leaf.path, shape, leaf.text.size(), m);
  return true;
}

}  // namespace

const char* api_protocol_name(ApiProtocol p) {
  switch (p) {
    case ApiProtocol::Rest: return "rest";
    case ApiProtocol::Graphql: return "graphql";
    case ApiProtocol::Grpc: return "grpc";
    case ApiProtocol::Soap: return "soap";
    case ApiProtocol::WebSocket: return "websocket";
    case ApiProtocol::Count: break;
  }
  return "rest";
}

bool api_protocol_from_name(std::string_view name, ApiProtocol& out) {
  for (uint8_t i = 0; i < static_cast<uint8_t>(ApiProtocol::Count); ++i)
    if (name == api_protocol_name(static_cast<ApiProtocol>(i))) return out = static_cast<ApiProtocol>(i), true;
  return false;
}

const char* auth_scheme_name(AuthScheme s) {
  constexpr const char* kNames[] = {"bearer", "bearer_jwt", "basic", "digest", "api_key_header",
                                    "api_key_query", "cookie_session", "mtls", "other"};
  static_assert(sizeof kNames / sizeof kNames[0] == static_cast<size_t>(AuthScheme::Count));
  const auto i = static_cast<size_t>(s);
  return i < static_cast<size_t>(AuthScheme::Count) ? kNames[i] : "other";
}

bool auth_scheme_from_name(std::string_view name, AuthScheme& out) {
  for (uint8_t i = 0; i < static_cast<uint8_t>(AuthScheme::Count); ++i)
    if (name == auth_scheme_name(static_cast<AuthScheme>(i))) return out = static_cast<AuthScheme>(i), true;
  return false;
}

uint64_t endpoint_sampling_key(std::string_view host, std::string_view method, std::string_view path) {
  uint64_t h = fnv1a(kFnvBasis, host);
  h = fnv1a(h, "\x1f");
  h = fnv1a(h, method);
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i + 1);
    if (j == std::string_view::npos) j = path.size();
    const std::string_view seg = path.substr(i, j - i);
    bool digit = false;
    for (char c : seg) digit |= (c >= '0' && c <= '9');
    // Long segments are ids or slugs too (tokens, hashes, e-mails).
    h = fnv1a(h, digit || seg.size() > 24 || seg.find('@') != std::string_view::npos ? "/{}" : seg);
    i = j;
  }
  return h;
}

void observe_request(const parse::Transaction& req, const ObservationContext& ctx, ApiObservation& o) {
  o.param_count = 0;
  o.params_truncated = false;
  o.auth = ctx.mtls ? auth_bit(AuthScheme::Mtls) : 0;
  o.request_sensitive = o.response_sensitive = 0;
  o.custom_detectors = 0;
  o.status = 0;
  o.latency_us = 0;
  o.response_content_type.assign({});
  o.ts_ns = ctx.ts_ns;
  o.port_in = ctx.port_in;
  o.port_out = ctx.port_out;
  o.method.assign(req.method);

  std::string_view host = req.host;
  if (!host.empty() && host.front() != '[') host = host.substr(0, host.find(':'));
  else if (!host.empty()) host = host.substr(0, host.find(']') + 1);
  std::array<char, 128> hbuf;
  size_t hn = 0;
  for (char c : host)
    if (hn < hbuf.size()) hbuf[hn++] = lower(c);
  o.host.assign({hbuf.data(), hn});

  std::string_view path = req.target;
  path = path.substr(0, path.find('?'));
  if (istarts(path, "http://") || istarts(path, "https://")) {
    const size_t slash = path.find('/', path.find("//") + 2);
    path = slash == std::string_view::npos ? std::string_view("/") : path.substr(slash);
  }
  std::array<char, 256> pbuf;
  o.path.assign({pbuf.data(), redact_into(path, pbuf)});
  o.endpoint_key = endpoint_sampling_key(o.host.view(), o.method.view(), path);

  ApiProtocol protocol = ctx.protocol_known ? ctx.protocol : ApiProtocol::Rest;
  if (!ctx.protocol_known && req.protocol == parse::Protocol::WebSocket) protocol = ApiProtocol::WebSocket;
  if (!ctx.protocol_known && req.protocol == parse::Protocol::Grpc) protocol = ApiProtocol::Grpc;
  if (!ctx.protocol_known && req.protocol == parse::Protocol::Graphql) protocol = ApiProtocol::Graphql;
  std::string_view operation = ctx.operation, operation_type = ctx.operation_type;
  std::string_view content_type, soap_action, graphql_query, graphql_name;
  std::string_view graphql_operation;  ///< "<type> <name>" from the GraphQL parser
  uint64_t identity = kFnvBasis;

  for (const Field& f : req.fields) {
    if (f.zone == Zone::Header && iequals(f.name, "content-type")) content_type = f.value;
    if (f.zone == Zone::Header && iequals(f.name, "soapaction")) soap_action = strip_quotes(f.value);
    if (f.zone == Zone::BodyJson && f.name == "query") graphql_query = f.value;
    if (f.zone == Zone::BodyJson && f.name == "operationName") graphql_name = f.value;
    if (f.zone == Zone::GraphqlArg && f.name == "@operation") graphql_operation = f.value;
    if (f.zone == Zone::QueryArg && f.name == "query") graphql_query = graphql_query.empty() ? f.value : graphql_query;
    note_auth(f, o, identity);
    const bool credential = f.zone == Zone::Header && (iequals(f.name, "authorization") || iequals(f.name, "cookie"));
    if (f.zone == Zone::Path || f.zone == Zone::Method || f.zone == Zone::Status || credential) continue;
    if (f.zone == Zone::Header && common_header(f.name)) continue;
    // Auth cookies and API keys are credentials, not sensitive payload.
    const bool auth_value = f.zone == Zone::Cookie && session_cookie(f.name);
    // Binary file bytes hold digit runs by chance, not card numbers.
    const SensitiveMask m = auth_value || f.zone == Zone::BodyFile ? 0 : classify(f.name, f.value, ctx, o);
    o.request_sensitive |= m;
    if (is_param_zone(f.zone)) add_param(o, f.zone, ParamSide::Request, f.name, infer_shape(f.value), f.value.size(), m);
  }
  o.request_content_type.assign(content_type.substr(0, content_type.find(';')));
  if (!ctx.protocol_known && protocol == ApiProtocol::Rest) {
    if (istarts(content_type, "application/grpc")) protocol = ApiProtocol::Grpc;
    else if (!soap_action.empty() || istarts(content_type, "application/soap+xml")) protocol = ApiProtocol::Soap;
    else if (istarts(content_type, "application/graphql") || !graphql_query.empty()) {
      const bool gql_path = path.size() >= 8 && iequals(path.substr(path.size() - 8), "/graphql");
      if (gql_path || istarts(content_type, "application/graphql")) protocol = ApiProtocol::Graphql;
    }
  }
  if (!ctx.protocol_known && !graphql_operation.empty()) {
    protocol = ApiProtocol::Graphql;
    const size_t sp = graphql_operation.find(' ');
    if (operation_type.empty()) operation_type = graphql_operation.substr(0, sp);
    if (operation.empty() && sp != std::string_view::npos) operation = graphql_operation.substr(sp + 1);
  }
  if (operation.empty()) {
    if (protocol == ApiProtocol::Soap) operation = soap_action;
    if (protocol == ApiProtocol::Grpc && path.size() > 1) operation = path.substr(1);
    if (protocol == ApiProtocol::Graphql) operation = graphql_name;
  }
  if (operation_type.empty() && protocol == ApiProtocol::Graphql) operation_type = graphql_operation_type(graphql_query);
  o.protocol = protocol;
  std::array<char, 128> obuf;
  o.operation.assign({obuf.data(), redact_into(operation, obuf)});
  o.operation_type.assign(operation_type);
  o.session_key = identity != kFnvBasis ? identity : ctx.client_key;
}

void observe_response(const parse::Transaction& resp, uint32_t latency_us, const ObservationContext& ctx,
                      ApiObservation& o) {
  o.latency_us = latency_us;
  o.status = resp.status;
  std::string_view content_type, body;
  for (const Field& f : resp.fields) {
    if (f.zone == Zone::Status && o.status == 0) {
      unsigned s = 0;
      for (char c : f.value) s = (c >= '0' && c <= '9') ? s * 10 + static_cast<unsigned>(c - '0') : s;
      o.status = static_cast<uint16_t>(s > 999 ? 0 : s);
    }
    if (f.zone == Zone::RespHeader && iequals(f.name, "content-type")) content_type = f.value;
    if (f.zone == Zone::RespBody) body = f.value;
  }
  const std::string_view media = content_type.substr(0, content_type.find(';'));
  o.response_content_type.assign(media);
  if (body.empty()) return;
  const bool json = icontains(media, "json");
  if (json) {
    ResponseWalk w{&o, &ctx};
    if (walk_json(body, &on_response_leaf, &w) == JsonWalkStatus::Ok) return;
  }
  // Not JSON (or broken JSON): content detectors over the whole body.
  std::array<SensitiveMatch, 16> matches;
  const size_t n = find_sensitive(body, matches);
  for (size_t i = 0; i < n && i < matches.size(); ++i) o.response_sensitive |= sensitive_bit(matches[i].cls);
}

void build_observation(const parse::Transaction& request, const parse::Transaction* response,
                       uint32_t latency_us, const ObservationContext& ctx, ApiObservation& out) {
  observe_request(request, ctx, out);
  if (response) observe_response(*response, latency_us, ctx, out);
}

}  // namespace weir::detect
