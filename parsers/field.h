#pragma once
// The field model: every parser reduces a message to Field{zone, name, value}
// entries so that detection is written once for all protocols (DESIGN.md,
// "The field model"). Names and values are views: into the reassembled stream,
// or into the per-message arena when a decoder produced them.

#include <cstdint>
#include <string_view>

namespace weir::parse {

enum class Zone : uint8_t {
  Method,
  Path,
  PathSegment,
  QueryArg,
  QueryArgName,
  Header,
  Cookie,
  BodyJson,
  BodyForm,
  BodyMultipart,
  BodyXml,
  GraphqlArg,
  GraphqlVar,
  GrpcField,
  WsMessage,
  BodyRaw,
  RespHeader,
  RespBody,
  Status,
  Stream,  ///< reassembled bytes of a protocol without an L7 parser (stream signatures)
  BodyFile,  ///< binary file content (parsers/binary_content.h); not part of rules' `any`
  Count
};

/// Stable name used in rules, alerts and the corpus output ("query_arg").
const char* zone_name(Zone z);
/// Parses a rule's zone name; returns false when unknown.
bool zone_from_name(std::string_view name, Zone& out);

struct Field {
  Zone zone;
  std::string_view name;   ///< header name (lower-cased), JSON path, arg name ...
  std::string_view value;  ///< raw value as sent (decoding is the transforms' job)
};

}  // namespace weir::parse
