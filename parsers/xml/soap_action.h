#pragma once
// SOAP endpoint helpers: the action a SOAP request claims (SOAPAction header
// for 1.1, the action parameter of application/soap+xml for 1.2) and whether
// it agrees with the operation element in the Body. A mismatch is the
// SOAPAction spoofing pattern: a gateway routes or authorizes by the header
// while the service dispatches on the body.

#include <string_view>

namespace weir::parse {

/// "text/xml", "application/xml", "application/*+xml" (soap+xml, ...).
bool is_xml_content_type(std::string_view content_type);

/// The SOAPAction header value without surrounding whitespace and quotes.
std::string_view soap_action_from_header(std::string_view header_value);

/// The action parameter of a Content-Type ("...; action=\"urn:x\""),
/// unquoted; empty when absent.
std::string_view soap_action_from_content_type(std::string_view content_type);

/// True when the action's last segment (after the last '/', '#' or ':')
/// names the operation: equal ignoring case, or one a prefix of the other
/// ("GetUser" vs element "GetUserRequest"). An empty action claims nothing
/// and always agrees.
bool soap_action_matches(std::string_view action, std::string_view operation);

}  // namespace weir::parse
