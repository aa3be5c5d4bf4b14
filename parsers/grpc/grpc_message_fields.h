#pragma once
// Fields of one complete gRPC (or gRPC-Web) message: undo the message
// compression named by grpc-encoding (gzip, deflate) through the worker's
// ContentDecoder, then decode the protobuf without a schema (grpc_field
// for requests, resp_body for responses, named by field-number path). A
// gRPC-Web trailer frame (flag 0x80) carries HTTP/1-style header lines and
// becomes header fields. Whatever cannot be decoded is one raw field.

#include <cstdint>
#include <string_view>

#include "parsers/field_list.h"
#include "parsers/parser_workspace.h"
#include "parsers/stream_chunk.h"

namespace google::protobuf {
class Descriptor;
}  // namespace google::protobuf

namespace weir::parse {

struct GrpcMessageInfo {
  uint8_t flags = 0;        ///< the prefix's flag byte
  uint32_t length = 0;      ///< message length from the prefix
  bool truncated = false;   ///< `message` is a prefix (longer than max_body_inspect)
  std::string_view encoding;  ///< grpc-encoding header value
  /// Message type from a descriptor set (ProtosetNames): names and types;
  /// nullptr: schemaless decoding.
  const google::protobuf::Descriptor* type = nullptr;
};

/// `message` must be followed by JsonFlattener::kPadding readable bytes.
void add_grpc_message_fields(std::string_view message, const GrpcMessageInfo& info, Direction dir,
                             ParserWorkspace& ws, uint32_t max_depth, FieldList& fields,
                             FindingList& findings);

/// "/pkg.Service/Method" -> {"pkg.Service", "Method"}; empty views when the
/// path is not of that form.
struct GrpcEndpoint {
  std::string_view service;
  std::string_view method;
};
GrpcEndpoint grpc_endpoint(std::string_view path);

}  // namespace weir::parse
