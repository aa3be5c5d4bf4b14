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

/// The text inside binary bytes, joined with '\n', built in `arena`: every
/// run of text (printable ASCII, TAB, LF, VT, FF, CR, whole UTF-8
/// sequences) that holds at least kMinTextRun ASCII bytes, as `strings`
/// finds them, and every MessagePack string or bin (its length header right
/// before it) of at least kMinFramedText bytes. What a binary protocol
/// carries as strings survives, its short ones too. The chance runs of
/// compressed data, where text rules found matches, mostly do not: of 16 KB
/// random WebSocket connections, 10.4% tripped a rule scanned whole, 0.63%
/// (of 6,000) with runs of 10 text bytes (UTF-8 sequences counted), 0.07%
/// with runs of 12 ASCII bytes, 0.12% with the framed strings too (a chance
/// header that gives a short random run's exact length).
/// Returns `bytes` itself when the arena is full: no byte escapes
/// inspection.
std::string_view text_runs(std::string_view bytes, Arena& arena);

inline constexpr size_t kMinTextRun = 12;
inline constexpr size_t kMinFramedText = 6;

}  // namespace weir::parse
