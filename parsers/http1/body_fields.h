#pragma once
// Body fields of an HTTP message: content codings (Content-Encoding and
// Transfer-Encoding other than chunked) are undone first, then the
// Content-Type decides the body parser (JSON, form-urlencoded, multipart,
// GraphQL for application/graphql or JSON posted to a .../graphql path,
// XML/SOAP/XML-RPC); anything else, or a body we cannot decode, is one raw
// field.

#include <string_view>

#include "parsers/field_list.h"
#include "parsers/http1/head_scan.h"
#include "parsers/parser_workspace.h"
#include "parsers/stream_chunk.h"

namespace weir::parse {

enum class BodyKind : uint8_t { Raw, Json, Form, Multipart };

/// From a Content-Type value: "application/json", "application/*+json",
/// "text/json" -> Json; "application/x-www-form-urlencoded" -> Form;
/// "multipart/form-data", "multipart/mixed" -> Multipart.
BodyKind body_kind_for(std::string_view content_type);

/// Adds the fields of `body` (followed by JsonFlattener::kPadding readable
/// bytes). `truncated`: the body went past the inspection limit and `body`
/// is its prefix.
void add_body_fields(std::string_view body, const ParsedHead& head, Direction dir,
                     bool truncated, ParserWorkspace& ws, FieldList& fields,
                     FindingList& findings);

/// The decoded (or as-sent) body of `content_type` to fields: the dispatch
/// step of add_body_fields, for protocols that frame bodies themselves
/// (HTTP/2). `body` must be followed by JsonFlattener::kPadding readable bytes.
void add_typed_body_fields(std::string_view body, std::string_view content_type, Direction dir,
                           bool truncated, ParserWorkspace& ws, FieldList& fields,
                           FindingList& findings);

}  // namespace weir::parse
