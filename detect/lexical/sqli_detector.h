#pragma once
// Lexical SQL injection confirmation: decides by token structure whether a
// value, placed into a query as a string literal or as a bare number, would
// change the query's structure. Our own fingerprints (libinjection's idea,
// not its tables): a string-breaking quote followed by boolean logic, UNION
// SELECT, a stacked query or comment termination; in bare context a number
// followed by the same. Prose, names like O'Brien and SQL quoted in a
// ticket ("select * from t") are not injections.

#include <string_view>

namespace weir::detect {

struct SqliVerdict {
  bool injection = false;
  const char* reason = "";  ///< short static text: "string break + boolean", ...
};

SqliVerdict analyze_sqli(std::string_view value);

/// The same decision without the first-token shortcuts that skip reading
/// most benign values in full: the reference the tests compare against.
SqliVerdict analyze_sqli_exhaustive(std::string_view value);

inline bool is_sqli(std::string_view value) { return analyze_sqli(value).injection; }

}  // namespace weir::detect
