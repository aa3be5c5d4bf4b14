#pragma once
// Validation of one decoded HTTP/2 header list (RFC 9113 8.2 and 8.3):
// pseudo-headers (missing, duplicated, unknown, after a regular header, in
// trailers), connection-specific headers, upper-case names, CR/LF/NUL in
// values, :authority disagreeing with Host. A list that fails these is
// malformed: servers reject it, proxies that downgrade to HTTP/1 may not, so
// the findings are Fatal (the sink decides). The split into pseudo-headers
// and regular headers is what the request model is built from.

#include <cstdint>
#include <span>
#include <string_view>

#include "parsers/field_list.h"
#include "parsers/http1/head_scan.h"

namespace weir::parse {

enum class HeaderBlockKind : uint8_t { Request, Response, Trailers };

struct Http2Head {
  std::string_view method;
  std::string_view scheme;
  std::string_view authority;
  std::string_view path;
  std::string_view status;
  std::string_view protocol;  ///< extended CONNECT (RFC 8441)
  std::span<const HeaderLine> regular;
};

/// Splits `lines` (one header block, in order) into pseudo-headers and the
/// regular headers, which are copied in order to `regular_storage` (room for
/// lines.size()). In a request, a non-empty :authority is also the regular
/// header `host` (first), unless a Host header with the same value is there.
/// Malformations go to `findings` when it is not null; the byte-level checks
/// (header names and values) run only then. Returns whether they ran.
bool classify_header_block(std::span<const HeaderLine> lines, HeaderBlockKind kind,
                           HeaderLine* regular_storage, Http2Head& out, FindingList* findings);

/// The request model's view of an HTTP/2 head (the HTTP/1 field code reads it).
ParsedHead to_parsed_head(const Http2Head& head);

}  // namespace weir::parse
