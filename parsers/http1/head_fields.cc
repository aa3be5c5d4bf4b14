// Header names are lower-cased once here so every rule can name them one way.
#include "parsers/http1/head_fields.h"

#include <charconv>

#include "parsers/form/urlencoded_splitter.h"

namespace weir::parse {
namespace {

std::string_view lower_name(std::string_view name, Arena& arena) {
  bool has_upper = false;
  for (char c : name) has_upper |= (c >= 'A' && c <= 'Z');
  if (!has_upper) return name;
  auto* p = static_cast<char*>(arena.allocate(name.size(), 1));
  if (p == nullptr) return name;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    p[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  return {p, name.size()};
}

std::string_view number_name(uint32_t n, Arena& arena) {
  char buf[12];
  auto r = std::to_chars(buf, buf + sizeof(buf), n);
  return arena.copy({buf, static_cast<size_t>(r.ptr - buf)});
}

bool add_headers(const ParsedHead& head, Zone zone, Arena& arena, FieldList& out) {
  for (const auto& h : head.headers) {
    if (!out.add(zone, lower_name(h.name, arena), h.value)) return false;
  }
  return true;
}

}  // namespace

TargetParts split_target(std::string_view target) {
  const size_t scheme = target.find("://");
  if (scheme != std::string_view::npos && target.substr(0, scheme).find_first_of("/?") ==
                                              std::string_view::npos) {
    std::string_view rest = target.substr(scheme + 3);
    const size_t path_start = rest.find_first_of("/?#");
    target = path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
  }
  target = target.substr(0, target.find('#'));
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

bool add_request_head_fields(const ParsedHead& head, Arena& arena, FieldList& out) {
  if (!out.add(Zone::Method, {}, head.method)) return false;
  const TargetParts parts = split_target(head.target);
  if (!out.add(Zone::Path, {}, parts.path)) return false;
  uint32_t index = 0;
  std::string_view rest = parts.path;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (segment.empty()) continue;
    if (!out.add(Zone::PathSegment, number_name(index++, arena), segment)) return false;
  }
  if (!split_urlencoded(parts.query, Zone::QueryArg, out)) return false;
  if (!add_headers(head, Zone::Header, arena, out)) return false;
  for (const auto& h : head.headers) {
    if (equals_ignore_case(h.name, "cookie") && !split_cookie_header(h.value, out)) return false;
  }
  return true;
}

bool add_response_head_fields(const ParsedHead& head, Arena& arena, FieldList& out) {
  if (!out.add(Zone::Status, {}, head.status)) return false;
  return add_headers(head, Zone::RespHeader, arena, out);
}

}  // namespace weir::parse
