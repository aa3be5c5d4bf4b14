// A truncated JSON document is never parsed: it would only ever be
// "malformed", and its prefix is inspected raw instead.
#include "parsers/http1/body_fields.h"

#include "parsers/form/urlencoded_splitter.h"

namespace weir::parse {
namespace {

std::string_view media_type(std::string_view content_type) {
  return trim_ows(content_type.substr(0, content_type.find(';')));
}

bool ends_with_ignore_case(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         equals_ignore_case(s.substr(s.size() - suffix.size()), suffix);
}

}  // namespace

BodyKind body_kind_for(std::string_view content_type) {
  const std::string_view type = media_type(content_type);
  if (equals_ignore_case(type, "application/json") || equals_ignore_case(type, "text/json") ||
      (type.substr(0, 12).size() == 12 && equals_ignore_case(type.substr(0, 12), "application/") &&
       ends_with_ignore_case(type, "+json"))) {
    return BodyKind::Json;
  }
  if (equals_ignore_case(type, "application/x-www-form-urlencoded")) return BodyKind::Form;
  return BodyKind::Raw;
}

void add_body_fields(std::string_view body, const ParsedHead& head, Direction dir,
                     bool truncated, ParserWorkspace& ws, FieldList& fields,
                     FindingList& findings) {
  if (body.empty()) return;
  if (truncated) {
    findings.add("http1.body_truncated", "body longer than max_body_inspect; prefix inspected",
                 FindingSeverity::Notice);
  }
  const Zone raw_zone = dir == Direction::Request ? Zone::BodyRaw : Zone::RespBody;
  // A coding other than chunked (Content-Encoding: gzip, Transfer-Encoding:
  // gzip, chunked) leaves bytes no field parser can read.
  const HeaderLine* encoding = find_header(head, "content-encoding");
  const HeaderLine* transfer = find_header(head, "transfer-encoding");
  if ((encoding != nullptr && !equals_ignore_case(encoding->value, "identity")) ||
      (transfer != nullptr && !equals_ignore_case(transfer->value, "chunked"))) {
    findings.add("http1.body_encoded", "content-encoded body inspected as sent",
                 FindingSeverity::Notice);
    fields.add(raw_zone, {}, body);
    return;
  }
  const HeaderLine* type = find_header(head, "content-type");
  const BodyKind kind = (dir == Direction::Request && type != nullptr && !truncated)
                            ? body_kind_for(type->value)
                            : BodyKind::Raw;
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
    case BodyKind::Raw:
      fields.add(raw_zone, {}, body);
      return;
  }
}

}  // namespace weir::parse
