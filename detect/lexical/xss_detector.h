#pragma once
// Lexical XSS confirmation: decides by HTML/JS structure whether a value
// would run script if reflected into a page: a tag with an event handler,
// a script-capable tag (script, iframe, object, embed, base ...), a
// javascript:/vbscript:/data:text/html URL in a URL attribute or as the
// whole value, CSS expressions, a break out of a quoted attribute into an
// event handler, or a break out of a JS string into a call. Markdown, plain
// rich text (<p>, <a href="https://">, <img src alt>), comparisons like
// "a < b" and prose mentioning "onclick" are not XSS.

#include <string_view>

namespace weir::detect {

struct XssVerdict {
  bool injection = false;
  const char* reason = "";
};

XssVerdict analyze_xss(std::string_view value);

inline bool is_xss(std::string_view value) { return analyze_xss(value).injection; }

}  // namespace weir::detect
