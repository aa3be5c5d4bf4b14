#pragma once
// Fields of an HTTP/1 head: method, path, path segments, query args, headers
// (names lower-cased) and cookies for a request; status and response headers
// for a response. Values are views into the head; lower-cased names and
// segment numbers are made in the arena.

#include <string_view>

#include "parsers/arena.h"
#include "parsers/field_list.h"
#include "parsers/http1/head_scan.h"

namespace weir::parse {

struct TargetParts {
  std::string_view path;   ///< "/a/b" (absolute-form: the part after the authority)
  std::string_view query;  ///< after '?', without the fragment
};

TargetParts split_target(std::string_view target);

/// `name` with A-Z lower-cased: `name` itself when it has no capital, else
/// a copy in the arena (`name` itself when the arena is full).
std::string_view lower_header_name(std::string_view name, Arena& arena);

/// Returns false when `out` filled up (the caller reports the field cap).
bool add_request_head_fields(const ParsedHead& head, Arena& arena, FieldList& out);
bool add_response_head_fields(const ParsedHead& head, Arena& arena, FieldList& out);

}  // namespace weir::parse
