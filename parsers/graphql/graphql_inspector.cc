// The envelope is read with simdjson On Demand (error codes only). A request
// is read completely before its document is parsed: operationName may come
// after the query in the object. Variables are flattened by the worker's
// JsonFlattener into a side list and copied with "$" in front of each path,
// so that "$id" in an argument and the variable "$id" read alike in alerts.
#define SIMDJSON_EXCEPTIONS 0
#include "parsers/graphql/graphql_inspector.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "parsers/graphql/graphql_document.h"

namespace weir::parse {
namespace od = simdjson::ondemand;

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding into the arena, followed by
// JsonFlattener::kPadding zero bytes so the result can be parsed as JSON.
std::string_view form_decode_padded(std::string_view s, Arena& arena) {
  auto* out = static_cast<char*>(arena.allocate(s.size() + JsonFlattener::kPadding, 64));
  if (out == nullptr) return {};
  size_t o = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out[o++] = ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 &&
               hex_digit(s[i + 2]) >= 0) {
      out[o++] = static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
      i += 2;
    } else {
      out[o++] = s[i];
    }
  }
  std::memset(out + o, 0, JsonFlattener::kPadding);
  return {out, o};
}

struct RequestParts {
  std::string_view query;
  bool has_query = false;
  std::string_view operation_name;
  std::string_view variables;
  bool variables_need_copy = false;  ///< a JSON string holding the variables
  std::string_view persisted_hash;
  bool bad = false;
  uint8_t seen = 0;  ///< query / operationName / variables members already read
};

}  // namespace

bool is_graphql_content_type(std::string_view content_type) {
  return iequals(trim(content_type.substr(0, content_type.find(';'))), "application/graphql");
}

bool is_graphql_path(std::string_view path) {
  path = path.substr(0, path.find('?'));
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return iequals(last, "graphql") || iequals(last, "gql");
}

struct GraphqlInspector::Impl {
  explicit Impl(const ParseLimits& l) : limits(l), parser(l.max_body_inspect) {
    ready = parser.allocate(l.max_body_inspect, 64) == simdjson::SUCCESS;
  }

  ParseLimits limits;
  od::parser parser;
  bool ready = false;
  GraphqlScratch scratch;

  // State of one inspect_*() call.
  const GraphqlPolicy* policy = nullptr;
  JsonFlattener* json = nullptr;
  Arena* arena = nullptr;
  FieldList* fields = nullptr;
  FindingList* findings = nullptr;
  GraphqlOperationList ops;
  FieldList var_fields;
  bool introspection = false;
  GraphqlStatus status = GraphqlStatus::Ok;
  uint32_t requests = 0;

  void begin(const GraphqlPolicy& p, JsonFlattener* j, Arena& a, FieldList& f, FindingList& fi) {
    policy = &p;
    json = j;
    arena = &a;
    fields = &f;
    findings = &fi;
    ops = GraphqlOperationList(a, GraphqlResult::kMaxOperations);
    var_fields = FieldList();
    introspection = false;
    status = GraphqlStatus::Ok;
    requests = 0;
  }

  GraphqlStatus finish(GraphqlResult& r, bool batched) {
    if (batched && requests > policy->max_batch) {
      char buf[64];
      const int n = std::snprintf(buf, sizeof(buf), "batch %u > %u", requests, policy->max_batch);
      const std::string_view d = arena->copy({buf, std::min(static_cast<size_t>(n > 0 ? n : 0), sizeof(buf) - 1)});
      add_finding_once(*findings, "graphql.max_batch", d.empty() ? "batch too large" : d,
                       FindingSeverity::Fatal);
    }
    r.status = status;
    r.requests = requests;
    r.batched = batched;
    r.introspection = introspection;
    r.operations = ops.view();
    r.operations_truncated = ops.overflowed();
    return status;
  }

  void worsen(GraphqlStatus s) {
    if (s == GraphqlStatus::Malformed || (s == GraphqlStatus::Capped && status == GraphqlStatus::Ok))
      status = s;
  }

  void bad_envelope(std::string_view body, const char* why) {
    add_finding_once(*findings, "graphql.bad_envelope", why, FindingSeverity::Anomaly);
    fields->add(Zone::BodyRaw, {}, body);
    worsen(GraphqlStatus::Malformed);
  }

  simdjson::error_code read_extensions(od::value v, RequestParts& parts);
  simdjson::error_code read_request(od::value v, RequestParts& parts);
  void process(const RequestParts& parts, uint16_t index);
  void flatten_variables(std::string_view text, bool needs_copy);
};

simdjson::error_code GraphqlInspector::Impl::read_extensions(od::value v, RequestParts& parts) {
  od::object ext;
  if (auto e = v.get_object().get(ext)) return e;
  for (auto fr : ext) {
    od::field f;
    if (auto e = std::move(fr).get(f)) return e;
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return e;
    if (key != "persistedQuery") continue;
    od::object pq;
    if (f.value().get_object().get(pq)) continue;
    for (auto pr : pq) {
      od::field pf;
      if (auto e = std::move(pr).get(pf)) return e;
      std::string_view pkey;
      if (auto e = pf.unescaped_key().get(pkey)) return e;
      if (pkey == "sha256Hash") {
        std::string_view h;
        if (!pf.value().get_string().get(h)) parts.persisted_hash = h;
      }
    }
  }
  return simdjson::SUCCESS;
}

simdjson::error_code GraphqlInspector::Impl::read_request(od::value v, RequestParts& parts) {
  od::object obj;
  if (v.get_object().get(obj)) {
    parts.bad = true;
    return simdjson::SUCCESS;
  }
  for (auto fr : obj) {
    od::field f;
    if (auto e = std::move(fr).get(f)) return e;
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return e;
    od::value val = f.value();
    od::json_type t;
    if (auto e = val.type().get(t)) return e;
    if (t == od::json_type::null) continue;
    // A repeated member is read differently by different JSON libraries
    // (first or last wins): the request is ambiguous. The last one is
    // inspected, as JSON.parse, Python and Go keep it.
    const uint8_t bit = key == "query" ? 1 : key == "operationName" ? 2 : key == "variables" ? 4 : 0;
    if ((parts.seen & bit) != 0) {
      add_finding_once(*findings, "graphql.duplicate_key", "query, operationName or variables repeated",
                       FindingSeverity::Anomaly);
      if (bit == 4) flatten_variables(parts.variables, parts.variables_need_copy);
    }
    parts.seen |= bit;
    if (key == "query") {
      if (t != od::json_type::string) {
        parts.bad = true;
        continue;
      }
      if (auto e = val.get_string().get(parts.query)) return e;
      parts.has_query = true;
    } else if (key == "operationName") {
      if (t == od::json_type::string) {
        if (auto e = val.get_string().get(parts.operation_name)) return e;
      }
    } else if (key == "variables") {
      if (t == od::json_type::object) {
        od::object o;
        if (auto e = val.get_object().get(o)) return e;
        if (auto e = o.raw_json().get(parts.variables)) return e;
      } else if (t == od::json_type::array) {
        od::array a;
        if (auto e = val.get_array().get(a)) return e;
        if (auto e = a.raw_json().get(parts.variables)) return e;
      } else if (t == od::json_type::string) {
        if (auto e = val.get_string().get(parts.variables)) return e;
        parts.variables_need_copy = true;
      }
    } else if (key == "extensions" && t == od::json_type::object) {
      if (auto e = read_extensions(val, parts)) return e;
    }
  }
  return simdjson::SUCCESS;
}

void GraphqlInspector::Impl::flatten_variables(std::string_view text, bool needs_copy) {
  if (json == nullptr || text.empty()) return;
  if (needs_copy) {
    auto* p = static_cast<char*>(arena->allocate(text.size() + JsonFlattener::kPadding, 64));
    if (p == nullptr) {
      fields->add(Zone::GraphqlVar, {}, text);
      return;
    }
    std::memcpy(p, text.data(), text.size());
    std::memset(p + text.size(), 0, JsonFlattener::kPadding);
    text = {p, text.size()};
  }
  // The side list takes what is left of `fields`, once per call.
  if (var_fields.capacity() == 0) {
    var_fields = FieldList(*arena, fields->capacity() - fields->size());
  }
  var_fields.truncate(0);
  // Variables the flattener could not fully walk are kept raw with a json.*
  // finding; the request then is not fully inspected either.
  const JsonStatus js = json->flatten(text, Zone::GraphqlVar, *arena, var_fields, *findings);
  if (js == JsonStatus::Malformed) worsen(GraphqlStatus::Malformed);
  if (js == JsonStatus::Capped) worsen(GraphqlStatus::Capped);
  for (const Field& f : var_fields.view()) {
    std::string_view name = f.name;
    if (!name.empty()) {
      if (auto* p = static_cast<char*>(arena->allocate(name.size() + 1, 1))) {
        p[0] = '$';
        std::memcpy(p + 1, name.data(), name.size());
        name = {p, name.size() + 1};
      }
    }
    // Values may live in the flattener's string buffer, which its next
    // document (the next batch element) overwrites: copied.
    const std::string_view value = f.value.empty() ? f.value : arena->copy(f.value);
    if (!fields->add(f.zone, name, value)) {
      add_finding_once(*findings, "graphql.field_cap", "more variables than max_fields",
                       FindingSeverity::Anomaly);
      worsen(GraphqlStatus::Capped);
      return;
    }
  }
}

void GraphqlInspector::Impl::process(const RequestParts& parts, uint16_t index) {
  ++requests;
  flatten_variables(parts.variables, parts.variables_need_copy);
  if (parts.has_query) {
    GraphqlDocumentRequest req{parts.query, parts.operation_name, parts.persisted_hash, index};
    worsen(inspect_graphql_document(req, *policy, scratch, *arena, *fields, *findings, ops,
                                    introspection));
    return;
  }
  if (!parts.persisted_hash.empty()) {
    GraphqlOperation op;
    op.name = parts.operation_name;
    op.persisted_hash = parts.persisted_hash;
    op.persisted_only = true;
    op.selected = true;
    op.request_index = index;
    ops.push(op);
    return;
  }
  add_finding_once(*findings, "graphql.no_query", "request without query or persisted hash",
                   FindingSeverity::Notice);
}

GraphqlInspector::GraphqlInspector(const ParseLimits& limits) : impl_(new Impl(limits)) {}
GraphqlInspector::~GraphqlInspector() = default;

GraphqlStatus GraphqlInspector::inspect_json(std::string_view body, const GraphqlPolicy& policy,
                                             JsonFlattener& json, Arena& arena,
                                             FieldList& fields, FindingList& findings,
                                             GraphqlResult& result) {
  Impl& m = *impl_;
  m.begin(policy, &json, arena, fields, findings);
  if (!m.ready || body.size() > m.limits.max_body_inspect) {
    m.bad_envelope(body, "body larger than the GraphQL envelope parser capacity");
    return m.finish(result, false);
  }
  od::document doc;
  simdjson::error_code e =
      m.parser.iterate(body.data(), body.size(), body.size() + JsonFlattener::kPadding).get(doc);
  od::json_type t = od::json_type::null;
  if (!e) e = doc.type().get(t);
  bool batched = false;
  if (!e && t == od::json_type::object) {
    RequestParts parts;
    od::value root;
    e = doc.get_value().get(root);
    if (!e) e = m.read_request(root, parts);
    if (!e && parts.bad) {
      m.bad_envelope(body, "query is not a string");
      return m.finish(result, false);
    }
    if (!e) m.process(parts, 0);
  } else if (!e && t == od::json_type::array) {
    batched = true;
    od::array arr;
    e = doc.get_array().get(arr);
    uint16_t index = 0;
    if (!e) {
      for (auto er : arr) {
        od::value element;
        if ((e = std::move(er).get(element))) break;
        RequestParts parts;
        if ((e = m.read_request(element, parts))) break;
        if (parts.bad) {
          m.bad_envelope(body, "batch element is not a GraphQL request");
          return m.finish(result, true);
        }
        m.process(parts, index);
        if (index < UINT16_MAX) ++index;
      }
    }
  } else if (!e) {
    m.bad_envelope(body, "body is not a JSON object or array");
    return m.finish(result, false);
  }
  if (!e && doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    e = simdjson::TRAILING_CONTENT;
  }
  if (e) m.bad_envelope(body, simdjson::error_message(e));
  return m.finish(result, batched);
}

GraphqlStatus GraphqlInspector::inspect_document(std::string_view document,
                                                 std::string_view operation_name,
                                                 const GraphqlPolicy& policy, Arena& arena,
                                                 FieldList& fields, FindingList& findings,
                                                 GraphqlResult& result) {
  Impl& m = *impl_;
  m.begin(policy, nullptr, arena, fields, findings);
  RequestParts parts;
  parts.query = document;
  parts.has_query = true;
  parts.operation_name = operation_name;
  m.process(parts, 0);
  return m.finish(result, false);
}

GraphqlStatus GraphqlInspector::inspect_query_string(std::string_view query_string,
                                                     const GraphqlPolicy& policy,
                                                     JsonFlattener& json, Arena& arena,
                                                     FieldList& fields, FindingList& findings,
                                                     GraphqlResult& result) {
  Impl& m = *impl_;
  m.begin(policy, &json, arena, fields, findings);
  RequestParts parts;
  std::string_view extensions;
  while (!query_string.empty()) {
    const size_t amp = query_string.find('&');
    const std::string_view pair = query_string.substr(0, amp);
    query_string = amp == std::string_view::npos ? std::string_view{} : query_string.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = pair.substr(0, eq);
    const std::string_view value = pair.substr(eq + 1);
    if (key == "query") {
      parts.query = form_decode_padded(value, arena);
      parts.has_query = !parts.query.empty();
    } else if (key == "operationName") {
      parts.operation_name = form_decode_padded(value, arena);
    } else if (key == "variables") {
      parts.variables = form_decode_padded(value, arena);
    } else if (key == "extensions") {
      extensions = form_decode_padded(value, arena);
    }
  }
  if (!extensions.empty() && m.ready && extensions.size() <= m.limits.max_body_inspect) {
    od::document doc;
    od::value v;
    // Malformed extensions only lose the hash; the server would reject them.
    if (!m.parser.iterate(extensions.data(), extensions.size(),
                          extensions.size() + JsonFlattener::kPadding).get(doc) &&
        !doc.get_value().get(v)) {
      (void)m.read_extensions(v, parts);
    }
  }
  m.process(parts, 0);
  return m.finish(result, false);
}

}  // namespace weir::parse
