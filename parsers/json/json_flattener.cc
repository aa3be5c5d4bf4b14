// simdjson On Demand walk. Exceptions are compiled out of the simdjson API we
// use (every call returns an error code), so hostile JSON cannot throw.
#define SIMDJSON_EXCEPTIONS 0
#include "parsers/json/json_flattener.h"

#include <simdjson.h>

#include <charconv>
#include <cstring>

namespace weir::parse {
namespace od = simdjson::ondemand;
static_assert(JsonFlattener::kPadding >= simdjson::SIMDJSON_PADDING);

namespace {

// simdjson's own nesting limit stays far above ours: our cap emits the deep
// subtree raw, theirs would only say "malformed".
constexpr size_t kSimdjsonMaxDepth = 1024;

std::string_view trim_json_ws(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool looks_like_json(std::string_view s) {
  s = trim_json_ws(s);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  if (s.size() < 2) return false;
  return (s.front() == '{' && s.back() == '}') || (s.front() == '[' && s.back() == ']');
}

Zone raw_zone_for(Zone zone) { return zone == Zone::BodyJson ? Zone::BodyRaw : zone; }

}  // namespace

struct JsonFlattener::Impl {
  explicit Impl(const ParseLimits& l)
      : limits(l), outer(l.max_body_inspect), inner(l.max_body_inspect) {
    // Reserve at start-up so iterate() never grows a buffer on the hot path.
    ready = outer.allocate(l.max_body_inspect, kSimdjsonMaxDepth) == simdjson::SUCCESS &&
            inner.allocate(l.max_body_inspect, kSimdjsonMaxDepth) == simdjson::SUCCESS;
  }

  ParseLimits limits;
  od::parser outer;
  od::parser inner;
  bool ready = false;

  // State of one flatten() call.
  Arena* arena = nullptr;
  FieldList* fields = nullptr;
  FindingList* findings = nullptr;
  Zone zone = Zone::BodyJson;
  uint32_t leaves = 0;
  bool capped = false;
  bool depth_reported = false;

  std::string_view join(std::string_view a, char sep, std::string_view b) {
    const size_t n = a.size() + (sep != 0 ? 1 : 0) + b.size();
    auto* p = static_cast<char*>(arena->allocate(n, 1));
    if (p == nullptr) return {};
    std::memcpy(p, a.data(), a.size());
    size_t o = a.size();
    if (sep != 0) p[o++] = sep;
    std::memcpy(p + o, b.data(), b.size());
    return {p, n};
  }

  std::string_view key_path(std::string_view parent, std::string_view key) {
    return parent.empty() ? arena->copy(key) : join(parent, '.', key);
  }

  std::string_view index_path(std::string_view parent, size_t index) {
    char digits[24];
    digits[0] = '[';
    auto r = std::to_chars(digits + 1, digits + sizeof(digits) - 1, index);
    *r.ptr = ']';
    const std::string_view suffix(digits, static_cast<size_t>(r.ptr - digits) + 1);
    if (parent.empty()) return arena->copy(suffix);
    return join(parent, 0, suffix);
  }

  // Returns false once the field cap is reached (the walk then stops).
  bool emit(std::string_view path, std::string_view value, bool copy) {
    // One slot stays free for the raw fallback field of a capped document.
    if (leaves >= limits.max_json_fields || fields->size() + 1 >= fields->capacity()) {
      capped = true;
      return false;
    }
    ++leaves;
    fields->add(zone, path, copy ? arena->copy(value) : value);
    return true;
  }

  void report_depth() {
    if (!depth_reported) {
      depth_reported = true;
      findings->add("json.depth_cap", "nesting deeper than max_json_depth emitted raw",
                    FindingSeverity::Anomaly);
    }
  }

  simdjson::error_code walk(od::value v, std::string_view path, uint32_t depth, bool nested);
  simdjson::error_code walk_scalar(od::value& v, od::json_type t, std::string_view path,
                                   uint32_t depth, bool nested);
  void flatten_nested(std::string_view s, std::string_view path, uint32_t depth);
  simdjson::error_code walk_document(od::document& doc, bool nested, std::string_view path,
                                     uint32_t depth);
};

simdjson::error_code JsonFlattener::Impl::walk(od::value v, std::string_view path,
                                               uint32_t depth, bool nested) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::object) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) return e;
    if (depth >= limits.max_json_depth) {
      report_depth();
      std::string_view raw;
      if (auto e = obj.raw_json().get(raw)) return e;
      emit(path, raw, nested);
      return simdjson::SUCCESS;
    }
    for (auto field_result : obj) {
      od::field field;
      if (auto e = std::move(field_result).get(field)) return e;
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return e;
      if (auto e = walk(field.value(), key_path(path, key), depth + 1, nested)) return e;
      if (capped) return simdjson::SUCCESS;
    }
    return simdjson::SUCCESS;
  }
  if (t == od::json_type::array) {
    od::array arr;
    if (auto e = v.get_array().get(arr)) return e;
    if (depth >= limits.max_json_depth) {
      report_depth();
      std::string_view raw;
      if (auto e = arr.raw_json().get(raw)) return e;
      emit(path, raw, nested);
      return simdjson::SUCCESS;
    }
    size_t index = 0;
    for (auto element_result : arr) {
      od::value element;
      if (auto e = std::move(element_result).get(element)) return e;
      if (auto e = walk(element, index_path(path, index++), depth + 1, nested)) return e;
      if (capped) return simdjson::SUCCESS;
    }
    return simdjson::SUCCESS;
  }
  return walk_scalar(v, t, path, depth, nested);
}

simdjson::error_code JsonFlattener::Impl::walk_scalar(od::value& v, od::json_type t,
                                                      std::string_view path, uint32_t depth,
                                                      bool nested) {
  if (t == od::json_type::string) {
    std::string_view s;
    if (auto e = v.get_string().get(s)) return e;
    if (!emit(path, s, nested)) return simdjson::SUCCESS;
    if (!nested && looks_like_json(s)) flatten_nested(s, path, depth);
    return simdjson::SUCCESS;
  }
  // Numbers, booleans and null keep their source text; get_*() validates it.
  const std::string_view raw = trim_json_ws(v.raw_json_token());
  simdjson::error_code e = simdjson::SUCCESS;
  if (t == od::json_type::number) {
    od::number n;
    e = v.get_number().get(n);
  } else if (t == od::json_type::boolean) {
    bool b;
    e = v.get_bool().get(b);
  } else {
    bool is_null = false;
    e = v.is_null().get(is_null);
    if (!e && !is_null) e = simdjson::N_ATOM_ERROR;
  }
  if (e) return e;
  emit(path, raw, nested);
  return simdjson::SUCCESS;
}

// A string holding a JSON document (an API wrapping JSON in JSON): its leaves
// are flattened under the string's own path, one level only. A string that
// merely looks like JSON but is not is left as the plain string it is.
void JsonFlattener::Impl::flatten_nested(std::string_view s, std::string_view path,
                                         uint32_t depth) {
  if (s.size() > limits.max_body_inspect) return;
  auto* copy = static_cast<char*>(arena->allocate(s.size() + kPadding, 64));
  if (copy == nullptr) return;
  std::memcpy(copy, s.data(), s.size());
  std::memset(copy + s.size(), 0, kPadding);
  od::document doc;
  if (inner.iterate(copy, s.size(), s.size() + kPadding).get(doc)) return;
  (void)walk_document(doc, true, path, depth);
}

simdjson::error_code JsonFlattener::Impl::walk_document(od::document& doc, bool nested,
                                                        std::string_view path, uint32_t depth) {
  bool scalar = false;
  if (auto e = doc.is_scalar().get(scalar)) return e;
  if (scalar) {
    od::json_type t;
    if (auto e = doc.type().get(t)) return e;
    std::string_view value;
    if (auto e = doc.raw_json_token().get(value)) return e;
    value = trim_json_ws(value);
    simdjson::error_code e = simdjson::SUCCESS;
    if (t == od::json_type::string) {
      e = doc.get_string().get(value);
    } else if (t == od::json_type::number) {
      od::number n;
      e = doc.get_number().get(n);
    } else if (t == od::json_type::boolean) {
      bool b;
      e = doc.get_bool().get(b);
    } else {
      bool is_null = false;
      e = doc.is_null().get(is_null);
      if (!e && !is_null) e = simdjson::N_ATOM_ERROR;
    }
    if (e) return e;
    emit(path, value, nested);
  } else {
    od::value root;
    if (auto e = doc.get_value().get(root)) return e;
    if (auto e = walk(root, path, depth, nested)) return e;
  }
    // At the end of a fully walked document the iterator is out of bounds;
  // anything else is trailing content.
  if (!capped && doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return simdjson::TRAILING_CONTENT;
  }
  return simdjson::SUCCESS;
}

JsonFlattener::JsonFlattener(const ParseLimits& limits) : impl_(new Impl(limits)) {}
JsonFlattener::~JsonFlattener() = default;

JsonStatus JsonFlattener::flatten(std::string_view doc, Zone zone, Arena& arena,
                                  FieldList& fields, FindingList& findings) {
  Impl& m = *impl_;
  m.arena = &arena;
  m.fields = &fields;
  m.findings = &findings;
  m.zone = zone;
  m.leaves = 0;
  m.capped = false;
  m.depth_reported = false;

  auto whole_raw = [&] { fields.add(raw_zone_for(zone), {}, doc); };
  if (!m.ready || doc.size() > m.limits.max_body_inspect) {
    findings.add("json.too_large", "document larger than the JSON parser capacity",
                 FindingSeverity::Notice);
    whole_raw();
    return JsonStatus::Malformed;
  }
  od::document d;
  simdjson::error_code e = m.outer.iterate(doc.data(), doc.size(), doc.size() + kPadding).get(d);
  if (!e) e = m.walk_document(d, false, {}, 0);
  if (e) {
    findings.add("json.malformed", simdjson::error_message(e), FindingSeverity::Anomaly);
    whole_raw();
    return JsonStatus::Malformed;
  }
  if (m.capped) {
    findings.add("json.field_cap", "more leaves than max_json_fields; document emitted raw",
                 FindingSeverity::Anomaly);
    whole_raw();
    return JsonStatus::Capped;
  }
  return m.depth_reported ? JsonStatus::Capped : JsonStatus::Ok;
}

}  // namespace weir::parse
