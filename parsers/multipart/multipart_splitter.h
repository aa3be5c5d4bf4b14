#pragma once
// Multipart bodies (RFC 2046 5.1, RFC 7578): multipart/form-data and
// multipart/mixed split into body_multipart fields named by the part's
// Content-Disposition name (its filename as "<name>.filename"; JSON parts
// flattened to "<name>.<json path>"; nested multipart parts as
// "<outer>.<inner>"). What makes servers and WAFs disagree on where the
// parts are is reported as multipart.* findings, and bytes outside the parts
// (preamble, epilogue, a body without any delimiter) are still inspected as
// body_raw: no byte escapes inspection.

#include <string_view>

#include "parsers/field_list.h"
#include "parsers/parser_workspace.h"

namespace weir::parse {

/// Splits `body` whose Content-Type value is `content_type` (which holds the
/// boundary parameter). `body` must be followed by JsonFlattener::kPadding
/// readable bytes (JSON parts are flattened in place). `truncated`: `body`
/// is a prefix, so a missing final boundary is expected. Names and decoded
/// parameter values are built in ws.arena().
void split_multipart(std::string_view body, std::string_view content_type, bool truncated,
                     ParserWorkspace& ws, FieldList& fields, FindingList& findings);

}  // namespace weir::parse
