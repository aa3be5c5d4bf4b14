// A truncated message is never decoded as protobuf: a prefix would only ever
// be "malformed"; it is inspected raw, as HTTP bodies past the limit are.
#include "parsers/grpc/grpc_message_fields.h"

#include "parsers/encoding/content_coding.h"
#include "parsers/grpc/grpc_framer.h"
#include "parsers/grpc/protobuf_fields.h"
#include "parsers/grpc/protoset_names.h"
#include "parsers/http1/head_scan.h"

namespace weir::parse {
namespace {

void add_web_trailers(std::string_view text, Direction dir, FieldList& fields) {
  const Zone zone = dir == Direction::Request ? Zone::Header : Zone::RespHeader;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (!fields.add(zone, trim_ows(line.substr(0, colon)), trim_ows(line.substr(colon + 1)))) return;
  }
}

}  // namespace

GrpcEndpoint grpc_endpoint(std::string_view path) {
  if (path.size() < 4 || path[0] != '/') return {};
  const size_t slash = path.find('/', 1);
  if (slash == std::string_view::npos || slash == 1 || slash + 1 == path.size()) return {};
  const std::string_view method = path.substr(slash + 1);
  if (method.find_first_of("/?") != std::string_view::npos) return {};
  return {path.substr(1, slash - 1), method};
}

void add_grpc_message_fields(std::string_view message, const GrpcMessageInfo& info, Direction dir,
                             ParserWorkspace& ws, uint32_t max_depth, FieldList& fields,
                             FindingList& findings) {
  const Zone raw_zone = dir == Direction::Request ? Zone::BodyRaw : Zone::RespBody;
  const Zone zone = dir == Direction::Request ? Zone::GrpcField : Zone::RespBody;
  if ((info.flags & GrpcFramer::kWebTrailerFlag) != 0) {
    add_web_trailers(message, dir, fields);
    return;
  }
  if (info.truncated) {
    findings.add("grpc.message_truncated", "message longer than max_body_inspect; prefix inspected",
                 FindingSeverity::Notice);
    fields.add(raw_zone, {}, message);
    return;
  }
  std::string_view bytes = message;
  if ((info.flags & GrpcFramer::kCompressedFlag) != 0) {
    CodingList codings;
    append_codings(info.encoding, false, codings);
    if (codings.empty() || codings.has_unknown()) {
      findings.add("grpc.unsupported_encoding",
                   "compressed message without a grpc-encoding we decode; inspected as sent",
                   FindingSeverity::Notice);
      fields.add(raw_zone, {}, message);
      return;
    }
    const DecodedBody decoded = ws.decoder().decode(codings, message, false, findings);
    if (decoded.status != DecodeStatus::Complete) {
      findings.add("grpc.bad_compression", "compressed message not decodable; inspected as sent",
                   FindingSeverity::Anomaly);
      fields.add(raw_zone, {}, message);
      if (!decoded.bytes.empty()) fields.add(raw_zone, {}, decoded.bytes);
      return;
    }
    bytes = decoded.bytes;
  }
  const ProtobufStatus status =
      info.type != nullptr
          ? add_named_protobuf_fields(bytes, info.type, zone, max_depth, ws.arena(), fields)
          : add_protobuf_fields(bytes, zone, max_depth, ws.arena(), fields);
  switch (status) {
    case ProtobufStatus::Ok: return;
    case ProtobufStatus::Malformed:
      findings.add("grpc.malformed_protobuf", "message is not protobuf; inspected raw",
                   FindingSeverity::Anomaly);
      fields.add(raw_zone, {}, bytes);
      return;
    case ProtobufStatus::Capped:
      findings.add("parse.field_cap", "more fields than max_fields", FindingSeverity::Anomaly);
      if (fields.size() > 0) fields.truncate(fields.size() - 1);
      fields.add(raw_zone, {}, bytes);
      return;
  }
}

}  // namespace weir::parse
