#pragma once
// Our own pass over a complete HTTP/1 head (start line through the empty
// line). llhttp decides what is a valid message; this pass splits the head
// into lines for field extraction and reports what llhttp 8.1 accepts but a
// server behind us may read differently: obs-fold, space before the colon,
// bare LF, duplicate Host, an absolute-form target that disagrees with Host,
// over-long lines, too many headers.

#include <cstdint>
#include <span>
#include <string_view>

#include "parsers/arena.h"
#include "parsers/field_list.h"
#include "parsers/parse_limits.h"
#include "parsers/stream_chunk.h"
#include "parsers/transaction.h"

namespace weir::parse {

struct HeaderLine {
  std::string_view name;   ///< as sent (case preserved)
  std::string_view value;  ///< OWS trimmed; an obs-folded value spans its continuation lines
};

struct ParsedHead {
  std::string_view method;   ///< request
  std::string_view target;   ///< request, raw
  std::string_view version;  ///< "HTTP/1.1"
  std::string_view status;   ///< response, "200"
  std::string_view host;     ///< first Host header value (request)
  std::span<const HeaderLine> headers;
};

/// Splits `head` (which must end with its empty line) into `out`; lines are
/// stored in `arena`. Anomalies go to `findings`. Returns false when the head
/// has no start line or the arena is full.
bool scan_head(std::string_view head, Direction dir, const ParseLimits& limits, Arena& arena,
               ParsedHead& out, FindingList& findings);

/// The first header whose name equals `name` case-insensitively, or nullptr.
const HeaderLine* find_header(const ParsedHead& head, std::string_view name);

bool equals_ignore_case(std::string_view a, std::string_view b);

inline bool starts_with_ignore_case(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equals_ignore_case(s.substr(0, prefix.size()), prefix);
}

inline bool ends_with_ignore_case(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && equals_ignore_case(s.substr(s.size() - suffix.size()), suffix);
}

/// Removes leading/trailing SP and HTAB. Inline: two calls per header line.
inline std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// What an Upgrade header value asks for: the first protocol of the list
/// decides, as the HTTP/1 parser reads it (WebSocket, H2c, else Other). The
/// h2c and WebSocket hand-off records use it too, so all three agree.
UpgradeKind upgrade_kind_of_value(std::string_view upgrade);

}  // namespace weir::parse
