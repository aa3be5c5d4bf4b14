#pragma once
// gRPC-Web over HTTP/1 (and any complete gRPC body): the body of an
// application/grpc* message split into its length-prefixed messages, each
// decoded by add_grpc_message_fields. application/grpc-web-text bodies are
// base64 (padding allowed between messages) and decoded first.

#include <string_view>

#include "parsers/field_list.h"
#include "parsers/parser_workspace.h"
#include "parsers/stream_chunk.h"

namespace weir::parse {

/// Nesting levels of protobuf decoded when no per-parser limit applies.
inline constexpr uint32_t kDefaultProtobufDepth = 16;

/// application/grpc, application/grpc+proto, application/grpc-web[+proto],
/// application/grpc-web-text[+proto].
bool is_grpc_content_type(std::string_view content_type);

/// `body` must be followed by JsonFlattener::kPadding readable bytes;
/// `grpc_encoding` is the grpc-encoding header value (may be empty);
/// `truncated`: `body` is a prefix of the body. `path`: the request's
/// target ("/pkg.Service/Method"): with a descriptor set in `ws` (config
/// parsers.grpc.protosets) the method's messages get declared field names.
void add_grpc_body_fields(std::string_view body, std::string_view content_type,
                          std::string_view grpc_encoding, Direction dir, bool truncated,
                          ParserWorkspace& ws, uint32_t max_depth, FieldList& fields,
                          FindingList& findings, std::string_view path = {});

}  // namespace weir::parse
