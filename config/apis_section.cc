// The `apis:` section: parser policies per API. Each entry names a host
// (exact, or "*.suffix") and optionally a path prefix, and overrides some
// GraphQL / XML limits; the rest is the global `parsers:` policy, copied
// into the entry here so the per-request lookup returns one finished policy.

#include <algorithm>

#include "config/config_sections.h"

namespace weir::config {
namespace {

bool valid_host(const std::string& h) {
  const std::string_view name = h.rfind("*.", 0) == 0 ? std::string_view(h).substr(2) : std::string_view(h);
  if (name.empty() || name.front() == '.' || name.back() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == ':' ||
           c == '[' || c == ']';
  });
}

}  // namespace

void read_apis(const YamlReader& section, ParsersConfig& out) {
  out.apis.entries.clear();
  for (const YamlReader& entry : section.items()) {
    entry.expect_map({"host", "path_prefix", "graphql", "xml"});
    parse::ApiPolicy api;
    const YamlReader host = entry.required("host");
    api.host = host.as_string();
    std::transform(api.host.begin(), api.host.end(), api.host.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    if (!valid_host(api.host)) host.fail("expected a host name or *.suffix, got '" + api.host + "'");
    if (auto p = entry.child("path_prefix")) {
      api.path_prefix = p->as_string();
      if (api.path_prefix.front() != '/') p->fail("expected a path starting with '/'");
    }
    api.graphql = out.graphql;
    api.xml = out.xml;
    if (auto g = entry.child("graphql")) read_graphql_policy(*g, api.graphql);
    if (auto x = entry.child("xml")) read_xml_policy(*x, api.xml);
    out.apis.entries.push_back(std::move(api));
  }
  if (out.apis.entries.size() > 256) section.fail("at most 256 APIs (each request scans the list)");
}

}  // namespace weir::config
