#pragma once
// XmlPolicy: limits for XML bodies (config: parsers.xml, one policy for
// every API so far), and
// XmlResult: what the body was (plain XML, SOAP 1.1/1.2, XML-RPC) and its
// operation, for the dataplane's endpoint and the inventory.

#include <cstdint>
#include <string_view>

namespace weir::parse {

struct XmlPolicy {
  /// Element nesting; deeper documents are reported and emitted raw.
  uint32_t max_depth = 64;
  /// Attributes on one element.
  uint32_t max_attributes = 64;
  /// expat billion-laughs protection: bytes produced by entity expansion per
  /// input byte, checked once `amplification_threshold` bytes were produced.
  float max_amplification = 10.0f;
  uint64_t amplification_threshold = 64 * 1024;
};

enum class XmlKind : uint8_t { Plain, Soap11, Soap12, XmlRpc };

const char* xml_kind_name(XmlKind k);

enum class XmlStatus : uint8_t {
  Ok,         ///< every element and attribute emitted
  Malformed,  ///< not well-formed: fields up to the error, then the raw body
  Capped,     ///< a limit stopped the parse: fields so far, then the raw body
};

struct XmlResult {
  XmlStatus status = XmlStatus::Ok;
  XmlKind kind = XmlKind::Plain;
  std::string_view root;          ///< local name of the root element
  /// SOAP: local name of the first child of Body; XML-RPC: methodName.
  std::string_view operation;
  std::string_view operation_ns;  ///< SOAP: namespace URI of the operation element
  /// SOAP 1.1: the SOAPAction header; SOAP 1.2: the action parameter of the
  /// Content-Type (unquoted). Empty when absent.
  std::string_view soap_action;
  /// SOAP: the WS-Addressing <Action> of the Header (WCF and most SOAP 1.2
  /// stacks send it), empty when absent. When the transport carries no
  /// action, this one is checked against the operation instead.
  std::string_view wsa_action;
  bool doctype = false;           ///< a DOCTYPE was present
};

/// What the HTTP head says about the XML body.
struct XmlRequestInfo {
  std::string_view content_type;  ///< Content-Type header value
  std::string_view soap_action;   ///< SOAPAction header value (raw, maybe quoted)
};

}  // namespace weir::parse
