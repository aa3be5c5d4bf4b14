// Host comparison without lower-casing a copy: the table's hosts are stored
// lower-case, the request's is folded byte by byte while comparing.
#include "parsers/api_policy_table.h"

namespace weir::parse {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool equal_folded(std::string_view request, std::string_view lower_text) {
  if (request.size() != lower_text.size()) return false;
  for (size_t i = 0; i < request.size(); ++i)
    if (lower(request[i]) != lower_text[i]) return false;
  return true;
}

// "api.test:8080" -> "api.test"; "[2001:2::1]:80" -> "[2001:2::1]".
std::string_view strip_port(std::string_view host) {
  const size_t colon = host.rfind(':');
  if (colon == std::string_view::npos) return host;
  const size_t bracket = host.rfind(']');
  if (bracket != std::string_view::npos && bracket > colon) return host;
  if (host.front() != '[' && host.find(':') != colon) return host;  // bare IPv6, no port
  return host.substr(0, colon);
}

bool host_matches(std::string_view host, std::string_view pattern) {
  if (pattern.size() > 1 && pattern[0] == '*' && pattern[1] == '.') {
    const std::string_view suffix = pattern.substr(1);  // ".example.com"
    return host.size() > suffix.size() && equal_folded(host.substr(host.size() - suffix.size()), suffix);
  }
  return equal_folded(host, pattern);
}

}  // namespace

const ApiPolicy* ApiPolicyTable::match(std::string_view host, std::string_view target) const {
  if (entries.empty()) return nullptr;
  host = strip_port(host);
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);  // FQDN form
  for (const ApiPolicy& e : entries) {
    if (!host_matches(host, e.host)) continue;
    if (target.substr(0, e.path_prefix.size()) != e.path_prefix) continue;
    return &e;
  }
  return nullptr;
}

}  // namespace weir::parse
