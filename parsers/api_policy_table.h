#pragma once
// ApiPolicyTable: parser policies per API (config `apis:`), chosen per
// request by Host and path. Built at configuration time (allocates); a
// lookup is a linear scan of the few entries, first match wins, comparing
// views only: no allocation, no lock, any number of workers may share it.

#include <string>
#include <string_view>
#include <vector>

#include "parsers/graphql/graphql_policy.h"
#include "parsers/xml/xml_policy.h"

namespace weir::parse {

struct ApiPolicy {
  /// Lower-case; "*.example.com" matches any name ending in ".example.com".
  std::string host;
  std::string path_prefix;  ///< empty: every path
  GraphqlPolicy graphql;    ///< the global `parsers:` values with this API's overrides
  XmlPolicy xml;
};

class ApiPolicyTable {
 public:
  std::vector<ApiPolicy> entries;  ///< config order

  /// The first entry whose host matches `host` (case-insensitive, any
  /// ":port" ignored) and whose path_prefix starts `target`; nullptr if none.
  const ApiPolicy* match(std::string_view host, std::string_view target) const;
};

}  // namespace weir::parse
