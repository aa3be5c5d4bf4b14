// A truncated JSON document is never parsed: it would only ever be
// "malformed", and its prefix is inspected raw instead. A truncated
// multipart body is still split: the parts before the cut are complete.
#include "parsers/http1/body_fields.h"

#include <cstring>

#include "parsers/binary_content.h"
#include "parsers/encoding/content_coding.h"
#include "parsers/form/urlencoded_splitter.h"
#include "parsers/graphql/graphql_inspector.h"
#include "parsers/grpc/grpc_body_fields.h"
#include "parsers/multipart/multipart_splitter.h"
#include "parsers/xml/soap_action.h"
#include "parsers/xml/xml_inspector.h"

namespace weir::parse {
namespace {

std::string_view media_type(std::string_view content_type) {
  return trim_ows(content_type.substr(0, content_type.find(';')));
}

// Every Content-Encoding line, then every Transfer-Encoding line (the
// transfer codings were applied last, so they are undone first).
CodingList codings_of(const ParsedHead& head) {
  CodingList list;
  for (const HeaderLine& h : head.headers) {
    if (equals_ignore_case(h.name, "content-encoding")) append_codings(h.value, false, list);
  }
  for (const HeaderLine& h : head.headers) {
    if (equals_ignore_case(h.name, "transfer-encoding")) append_codings(h.value, true, list);
  }
  return list;
}

}  // namespace

BodyKind body_kind_for(std::string_view content_type) {
  const std::string_view type = media_type(content_type);
  if (equals_ignore_case(type, "application/json") || equals_ignore_case(type, "text/json") ||
      (starts_with_ignore_case(type, "application/") && ends_with_ignore_case(type, "+json"))) {
    return BodyKind::Json;
  }
  if (equals_ignore_case(type, "application/x-www-form-urlencoded")) return BodyKind::Form;
  if (equals_ignore_case(type, "multipart/form-data") || equals_ignore_case(type, "multipart/mixed")) {
    return BodyKind::Multipart;
  }
  return BodyKind::Raw;
}

namespace {

/// GraphQL (application/graphql, or JSON posted to a .../graphql path) and
/// XML/SOAP/XML-RPC request bodies go to their own inspectors; false when
/// the body is none of those. A truncated body is not parsed (its prefix is
/// inspected raw by the caller).
/// The operation the server will run, as a graphql_arg field "@operation"
/// = "<type> <name>": the endpoint for discovery, and seen by rules too.
void add_graphql_operation(const GraphqlResult& result, Arena& arena, FieldList& fields) {
  const GraphqlOperation* op = result.selected();
  if (op == nullptr) return;
  const std::string_view type = graphql_operation_type_name(op->type);
  const size_t n = type.size() + (op->name.empty() ? 0 : 1 + op->name.size());
  auto* out = static_cast<char*>(arena.allocate(n, 1));
  if (out == nullptr) return;  // arena full: the operation is only missing from discovery
  std::memcpy(out, type.data(), type.size());
  if (!op->name.empty()) {
    out[type.size()] = ' ';
    std::memcpy(out + type.size() + 1, op->name.data(), op->name.size());
  }
  fields.add(Zone::GraphqlArg, "@operation", {out, n});
}

// The API's own policy (config `apis:`) when the request names one.
const GraphqlPolicy& graphql_policy_of(const ParsedHead* head, ParserWorkspace& ws) {
  return head != nullptr ? ws.graphql_policy_for(head->host, head->target) : ws.graphql_policy();
}

bool add_api_body_fields(std::string_view body, std::string_view content_type, const ParsedHead* head,
                         ParserWorkspace& ws, FieldList& fields, FindingList& findings) {
  if (is_graphql_content_type(content_type)) {
    GraphqlResult result;
    ws.graphql().inspect_document(body, {}, graphql_policy_of(head, ws), ws.arena(), fields, findings, result);
    add_graphql_operation(result, ws.arena(), fields);
    return true;
  }
  if (head != nullptr && body_kind_for(content_type) == BodyKind::Json && is_graphql_path(head->target)) {
    GraphqlResult result;
    ws.graphql().inspect_json(body, graphql_policy_of(head, ws), ws.json(), ws.arena(), fields, findings, result);
    add_graphql_operation(result, ws.arena(), fields);
    return true;
  }
  if (is_xml_content_type(content_type)) {
    const HeaderLine* action = head != nullptr ? find_header(*head, "soapaction") : nullptr;
    XmlRequestInfo info{content_type, action != nullptr ? action->value : std::string_view{}};
    XmlResult result;
    ws.xml().inspect(body, info,
                     head != nullptr ? ws.xml_policy_for(head->host, head->target) : ws.xml_policy(),
                     ws.arena(), fields, findings, result);
    return true;
  }
  return false;
}

void add_dispatched_body_fields(std::string_view body, std::string_view content_type, const ParsedHead* head,
                                Direction dir, bool truncated, ParserWorkspace& ws, FieldList& fields,
                                FindingList& findings) {
  if (body.empty()) return;
  if (dir == Direction::Request && !truncated &&
      add_api_body_fields(body, content_type, head, ws, fields, findings))
    return;
  add_typed_body_fields(body, content_type, dir, truncated, ws, fields, findings);
}

}  // namespace

void add_typed_body_fields(std::string_view body, std::string_view content_type, Direction dir,
                           bool truncated, ParserWorkspace& ws, FieldList& fields,
                           FindingList& findings) {
  if (body.empty()) return;
  const Zone raw_zone = dir == Direction::Request ? Zone::BodyRaw : Zone::RespBody;
  BodyKind kind = dir == Direction::Request ? body_kind_for(content_type) : BodyKind::Raw;
  if (truncated && kind != BodyKind::Multipart) kind = BodyKind::Raw;
  switch (kind) {
    case BodyKind::Json:
      ws.json().flatten(body, Zone::BodyJson, ws.arena(), fields, findings);
      return;
    case BodyKind::Form:
      if (!split_urlencoded(body, Zone::BodyForm, fields)) {
        // The last slot goes to the whole body so no byte escapes inspection.
        findings.add("parse.field_cap", "more fields than max_fields", FindingSeverity::Anomaly);
        if (fields.size() > 0) fields.truncate(fields.size() - 1);
        fields.add(Zone::BodyRaw, {}, body);
      }
      return;
    case BodyKind::Multipart:
      split_multipart(body, content_type, truncated, ws, fields, findings);
      return;
    case BodyKind::Raw:
      // A request body that is a file (PUT of an image, an octet-stream
      // upload): binary bytes under a type no server parses as text.
      if (dir == Direction::Request && !is_text_media_type(media_type(content_type)) && looks_binary(body)) {
        fields.add(Zone::BodyFile, {}, body);
        return;
      }
      fields.add(raw_zone, {}, body);
      return;
  }
}

void add_body_fields(std::string_view body, const ParsedHead& head, Direction dir,
                     bool truncated, ParserWorkspace& ws, FieldList& fields,
                     FindingList& findings) {
  if (body.empty()) return;
  if (truncated) {
    findings.add("http1.body_truncated", "body longer than max_body_inspect; prefix inspected",
                 FindingSeverity::Notice);
  }
  const HeaderLine* type = find_header(head, "content-type");
  const std::string_view content_type = type != nullptr ? type->value : std::string_view{};
  if (is_grpc_content_type(content_type)) {
    // gRPC-Web over HTTP/1: messages carry their own compression flag and
    // grpc-encoding, the body itself is not content-coded.
    const HeaderLine* enc = find_header(head, "grpc-encoding");
    add_grpc_body_fields(body, content_type, enc != nullptr ? enc->value : std::string_view{}, dir,
                         truncated, ws, kDefaultProtobufDepth, fields, findings, head.target);
    return;
  }
  const CodingList codings = codings_of(head);
  if (codings.empty() && !codings.too_many) {
    add_dispatched_body_fields(body, content_type, &head, dir, truncated, ws, fields, findings);
    return;
  }
  const DecodedBody decoded = ws.decoder().decode(codings, body, truncated, findings);
  switch (decoded.status) {
    case DecodeStatus::Complete:
    case DecodeStatus::Prefix:
      add_dispatched_body_fields(decoded.bytes, content_type, &head, dir,
                                 decoded.status == DecodeStatus::Prefix, ws, fields, findings);
      return;
    case DecodeStatus::Failed:
    case DecodeStatus::Bomb: {
      // Inspect what the sender sent, and whatever decoded before the
      // failure, both raw: no byte escapes inspection.
      const Zone raw_zone = dir == Direction::Request ? Zone::BodyRaw : Zone::RespBody;
      findings.add("http1.body_encoded", "body not decodable; inspected as sent",
                   FindingSeverity::Notice);
      fields.add(raw_zone, {}, body);
      if (!decoded.bytes.empty() && decoded.bytes.data() != body.data()) {
        fields.add(raw_zone, {}, decoded.bytes);
      }
      return;
    }
  }
}

}  // namespace weir::parse
