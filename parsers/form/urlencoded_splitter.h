#pragma once
// Splitting of application/x-www-form-urlencoded text (query strings and form
// bodies) and of Cookie header values into fields. Values stay raw: percent
// and plus decoding are transforms (detect), applied per rule.

#include <string_view>

#include "parsers/field_list.h"

namespace weir::parse {

/// "a=1&b=&c" -> (a,1) (b,"") (c,""); empty pieces are skipped. Returns false
/// when `out` filled up before the end (the caller reports the cap).
bool split_urlencoded(std::string_view text, Zone zone, FieldList& out);

/// RFC 6265 cookie-string: pairs separated by ';', optional whitespace
/// trimmed around names and values; a quoted value keeps its quotes.
bool split_cookie_header(std::string_view value, FieldList& out);

}  // namespace weir::parse
