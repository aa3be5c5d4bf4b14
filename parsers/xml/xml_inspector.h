#pragma once
// XmlInspector: an XML request body to body_xml fields with expat, streamed
// in small pieces. Element text is named by the element's path of local
// names ("/Envelope/Body/getUser/id": namespace prefixes and URIs are always
// stripped), attributes by "<path>/@<local name>"; xmlns declarations are
// not fields. XML-RPC parameters are numbered ("/methodCall/params/param[0]
// /value/string") and struct members named by key (".../struct/id/value").
// Entities: external ones are never loaded (no external entity handler,
// parameter entity parsing NEVER) and references in element
// content are not expanded at all — the field keeps "&name;" — while expat's
// billion-laughs protection bounds expansion inside attribute values.
// DOCTYPE and ENTITY declarations are findings (xml.doctype,
// xml.entity_declaration, xml.external_entity). SOAP 1.1/1.2 envelopes and
// XML-RPC calls are recognized and their operation reported (XmlResult).
// One per worker; expat's memory comes from the inspector's own arena.

#include <cstdint>
#include <memory>
#include <string_view>

#include "parsers/arena.h"
#include "parsers/field_list.h"
#include "parsers/parse_limits.h"
#include "parsers/xml/xml_policy.h"

namespace weir::parse {

class XmlInspector {
 public:
  /// Hard nesting limit of the path stack, whatever the policy says.
  static constexpr uint32_t kMaxDepth = 256;
  /// Longest element path kept (bytes); a longer path is a cap.
  static constexpr size_t kMaxPath = 4096;

  explicit XmlInspector(const ParseLimits& limits);
  ~XmlInspector();
  XmlInspector(const XmlInspector&) = delete;
  XmlInspector& operator=(const XmlInspector&) = delete;

  /// Fields go to `fields` (names and values copied into `arena`), findings
  /// to `findings`. On Malformed/Capped the whole body follows the fields
  /// emitted so far as one body_raw field. A SOAPAction (1.1) or action
  /// parameter (1.2) that names another operation than the Body's first
  /// element is "soap.action_mismatch".
  XmlStatus inspect(std::string_view body, const XmlRequestInfo& info, const XmlPolicy& policy,
                    Arena& arena, FieldList& fields, FindingList& findings, XmlResult& result);

  /// Bytes of the expat arena used by the last inspect() (tests, sizing).
  size_t expat_bytes_used() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace weir::parse
