#pragma once
// Binary data inside requests: an uploaded image, PDF or archive, a media
// chunk in a WebSocket message, an image in a protobuf `bytes` field. Its
// bytes are compressed or encoded, and text signatures find chance matches
// in them (1 in 3 random 60 KB uploads tripped a short shell pattern). A
// file upload becomes Zone::BodyFile, read only by rules naming body_file
// (webshells hidden in images); binary protocol values give text rules
// their text_runs(). Text files (CSV, SVG, scripts, XML) and text values
// stay in their text zones and are fully inspected.

#include <string_view>

#include "parsers/arena.h"

namespace weir::parse {

/// True when `bytes` is not text: at least kMinBinaryBytes, and more than
/// 1 in 16 of its first kBinarySniffBytes are C0 controls other than TAB,
/// LF, VT, FF, CR and ESC, or DEL (random bytes: ~11%; prose: none). A NUL
/// alone does not make a file: "../../etc/passwd\0.png" or a NUL inside
/// markup is an evasion in a text value and stays text.
bool looks_binary(std::string_view bytes);

/// True when the media type (no parameters, any case) names text the server
/// parses: text/*, multipart/*, JSON, XML, form, GraphQL, JavaScript, YAML,
/// and every +json/+xml type. A body declared as one of these is never
/// treated as a file, whatever its bytes.
bool is_text_media_type(std::string_view media_type);

inline constexpr size_t kBinarySniffBytes = 8192;
inline constexpr size_t kMinBinaryBytes = 64;

/// The text inside binary bytes, as `strings` finds it: every run of at
/// least kMinTextRun text bytes (printable ASCII, TAB, LF, VT, FF, CR, whole
/// UTF-8 sequences), joined with '\n', built in `arena`. What a binary
/// protocol (MessagePack, CBOR in a WebSocket message) carries as strings
/// survives; the chance byte runs of compressed data, where text rules
/// found matches, mostly do not: random bytes hold about one such run per
/// 4,000 bytes, and 0.5% of 16 KB random WebSocket connections still
/// tripped a rule (10.4% scanned whole, 2% with runs of 8). Returns `bytes`
/// itself when the arena is full: no byte escapes inspection.
std::string_view text_runs(std::string_view bytes, Arena& arena);

inline constexpr size_t kMinTextRun = 10;

}  // namespace weir::parse
