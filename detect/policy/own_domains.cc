// Own-domain matching for open-redirect findings; see own_domains.h.

#include "detect/policy/own_domains.h"

namespace weir::detect {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/// Letters, digits, '-' in dot-separated non-empty labels.
bool valid_host(std::string_view h) {
  if (h.empty() || h.size() > 253 || h.front() == '.' || h.back() == '.') return false;
  char prev = '.';
  for (char c : h) {
    if (!host_char(c) || (c == '.' && prev == '.')) return false;
    prev = c;
  }
  return true;
}

/// `text` starts with an authority that is an own host (":port" allowed)
/// and nothing else: it ends at '/', '?', '#' or the end. Returns false for
/// userinfo, backslashes, spaces or control bytes in the authority.
bool authority_is_home(const OwnDomains& d, std::string_view text) {
  size_t end = 0;
  while (end < text.size() && text[end] != '/' && text[end] != '?' && text[end] != '#') ++end;
  std::string_view auth = text.substr(0, end);
  const size_t colon = auth.find(':');
  if (colon != std::string_view::npos) {
    std::string_view port = auth.substr(colon + 1);
    if (port.empty() || port.size() > 5) return false;
    for (char c : port)
      if (c < '0' || c > '9') return false;
    auth = auth.substr(0, colon);
  }
  if (!auth.empty() && auth.back() == '.') auth.remove_suffix(1);  // "shop.example." is the same host
  return valid_host(auth) && d.contains(auth);
}

/// One target: "https://H...", "http://H...", "//H..." or a bare "H/..."
/// with a dot in H (frameworks read "evil.com/x" as a host, rule 101).
bool target_is_home(const OwnDomains& d, std::string_view v) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);  // browsers strip leading spaces
  if (istarts_with(v, "https://")) return authority_is_home(d, v.substr(8));
  if (istarts_with(v, "http://")) return authority_is_home(d, v.substr(7));
  if (v.starts_with("//")) return authority_is_home(d, v.substr(2));
  if (v.empty() || !host_char(v.front()) || v.front() == '.' || v.front() == '-') return false;
  size_t end = 0;
  while (end < v.size() && host_char(v[end])) ++end;
  if (end < v.size() && v[end] != '/' && v[end] != ':' && v[end] != '?' && v[end] != '#') return false;
  if (v.substr(0, end).find('.') == std::string_view::npos) return false;
  return authority_is_home(d, v);
}

/// A path holds the target after a redirect segment ("/out/https://H/x"):
/// every "//" in it starts an authority that must be an own host, every
/// "http:"/"https:" must be followed by "//", and escapes or backslashes
/// (which the server may decode into more URLs) keep the finding.
bool path_is_home(const OwnDomains& d, std::string_view path) {
  if (path.find_first_of("%\\") != std::string_view::npos) return false;
  size_t found = 0;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    if (path[i] == '/' && path[i + 1] == '/') {
      if (!authority_is_home(d, path.substr(i + 2))) return false;
      ++found;
      while (i + 1 < path.size() && path[i + 1] == '/') ++i;  // "///" is not two authorities
      continue;
    }
    if ((lower(path[i]) == 'h') && (istarts_with(path.substr(i), "http:") || istarts_with(path.substr(i), "https:"))) {
      const size_t colon = path.find(':', i);
      if (path.substr(colon + 1, 2) != "//") return false;
    }
  }
  return found > 0;
}

}  // namespace

bool OwnDomains::contains(std::string_view host) const {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  for (const std::string& e : exact)
    if (iequals(host, e)) return true;
  for (const std::string& s : suffixes)
    if (host.size() > s.size() && iequals(host.substr(host.size() - s.size()), s)) return true;
  return false;
}

bool add_own_domain(OwnDomains& d, std::string_view entry) {
  std::string e;
  for (char c : entry) e += lower(c);
  if (e.starts_with("*.")) {
    if (!valid_host(std::string_view(e).substr(2))) return false;
    d.suffixes.push_back(e.substr(1));
    return true;
  }
  if (!valid_host(e)) return false;
  d.exact.push_back(std::move(e));
  return true;
}

bool redirect_stays_home(const OwnDomains& d, parse::Zone zone, std::string_view value) {
  if (d.empty()) return false;
  if (zone == parse::Zone::Path) return path_is_home(d, value);
  return target_is_home(d, value);
}

}  // namespace weir::detect
