#pragma once
// Binary file content: an uploaded image, PDF, archive or other non-text
// file. Its bytes are compressed or encoded data, and text signatures find
// chance matches in them (1 in 3 random 60 KB uploads tripped a short shell
// pattern before this). Such content is emitted as Zone::BodyFile, which
// only rules naming body_file read (webshells hidden in images). Text files
// (CSV, SVG, scripts, XML) stay in their text zones and are fully inspected.

#include <string_view>

namespace weir::parse {

/// True when `bytes` is not text: a NUL in its first kBinarySniffBytes (as
/// git and file(1) decide), or more than 1 in 16 of those bytes are C0
/// controls other than TAB, LF, VT, FF, CR and ESC, or DEL.
bool looks_binary(std::string_view bytes);

/// True when the media type (no parameters, any case) names text the server
/// parses: text/*, multipart/*, JSON, XML, form, GraphQL, JavaScript, YAML,
/// and every +json/+xml type. A body declared as one of these is never
/// treated as a file, whatever its bytes.
bool is_text_media_type(std::string_view media_type);

inline constexpr size_t kBinarySniffBytes = 8192;

}  // namespace weir::parse
