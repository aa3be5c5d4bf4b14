#pragma once
// OwnDomains: the operator's own host names (`policy.own_domains`,
// detect/RULES.md). A redirect whose target is one of them is not an open
// redirect, so findings of class open_redirect are dropped when the value
// they fired on leads home. Only unambiguous forms count as home: an
// absolute or protocol-relative URL (`https://shop.example/x`,
// `//shop.example`) or a bare host (`shop.example/x`) whose authority is a
// plain host name with an optional port. Anything a browser and a server
// could read differently — backslashes, userinfo (`@`), control bytes,
// three slashes, `https:host`, %-escapes left in a path — keeps the finding
// (fail closed). Matching allocates nothing: it runs on the packet path.

#include <string>
#include <string_view>
#include <vector>

#include "parsers/field.h"

namespace weir::detect {

struct OwnDomains {
  std::vector<std::string> exact;     ///< "shop.example" (lower case)
  std::vector<std::string> suffixes;  ///< "*.example.com" stored as ".example.com"

  bool empty() const { return exact.empty() && suffixes.empty(); }
  /// `host` compared case-insensitively, one trailing dot ignored.
  /// "*.example.com" matches a.example.com and a.b.example.com, not
  /// example.com itself (list it too).
  bool contains(std::string_view host) const;
};

/// Checks one `policy.own_domains` entry; on success appends it. Returns
/// false (nothing appended) when it is not a host name or "*." + host name.
bool add_own_domain(OwnDomains& d, std::string_view entry);

/// True when the redirect target in `value` (a field of `zone`, as the
/// rule's transforms left it) is one of the own domains. For the path zone
/// every URL inside the path must lead home.
bool redirect_stays_home(const OwnDomains& d, parse::Zone zone, std::string_view value);

}  // namespace weir::detect
