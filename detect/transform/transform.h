#pragma once
// Value transforms applied before signature scanning (detect/RULES.md lists
// their exact semantics). Every transform is a pure, non-expanding function
// of its input: out must have room for in.size() bytes and the returned
// length never exceeds it. They run on untrusted bytes and never fail except
// base64_decode, which reports "not applicable" for values that are not
// clean base64.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detect/transform/transform_arena.h"

namespace weir::detect {

enum class TransformId : uint8_t {
  UrlDecode,
  UrlDecodeOnce,
  HtmlEntityDecode,
  JsDecode,
  CssDecode,
  Base64Decode,
  Lowercase,
  CompressWhitespace,
  RemoveWhitespace,
  RemoveNulls,
  SqlCommentStrip,
  HtmlCommentStrip,
  PathNormalize,
  Utf8Normalize,
  Count
};

const char* transform_name(TransformId id);
bool transform_from_name(std::string_view name, TransformId& out);

/// Returned by a transform that does not apply to the value (base64 only).
inline constexpr size_t kNotApplicable = static_cast<size_t>(-1);

size_t url_decode(std::string_view in, char* out);        // repeated, <= 3 passes
size_t url_decode_once(std::string_view in, char* out);
size_t html_entity_decode(std::string_view in, char* out);
size_t js_decode(std::string_view in, char* out);
size_t css_decode(std::string_view in, char* out);
size_t base64_decode(std::string_view in, char* out);     // or kNotApplicable
size_t lowercase(std::string_view in, char* out);
size_t compress_whitespace(std::string_view in, char* out);
size_t remove_whitespace(std::string_view in, char* out);
size_t remove_nulls(std::string_view in, char* out);
size_t sql_comment_strip(std::string_view in, char* out);
size_t html_comment_strip(std::string_view in, char* out);
size_t path_normalize(std::string_view in, char* out);
size_t utf8_normalize(std::string_view in, char* out);

/// Cheap pre-check: false when the transform would certainly return its input
/// unchanged, so the caller can reuse the input view without copying.
bool transform_may_change(TransformId id, std::string_view in);

/// One pass over a value: a bit per byte class the transforms care about
/// (percent, plus, ampersand, backslash, upper case, whitespace, NUL, high
/// bit, slash, dash, hash, '<', ';', '.'). Lets a chain decide for every step
/// whether it can change the value without re-reading it.
uint32_t byte_classes(std::string_view in);
/// Byte-at-a-time reference of byte_classes() (tests compare them).
uint32_t byte_classes_scalar(std::string_view in);
/// The two vector forms byte_classes() picks from on first use: 16 bytes a
/// step (SSSE3, within x86-64-v2) and 32 (AVX2, when the CPU has it).
uint32_t byte_classes_sse(std::string_view in);
bool byte_classes_avx2_available();
uint32_t byte_classes_avx2(std::string_view in);  ///< only when available
bool transform_may_change(TransformId id, uint32_t classes);

/// The plain alphabet: ASCII letters, digits, space and `+,-./:=@_`. Values
/// made only of these (ids, tokens, JWTs, hosts, dates, most JSON strings)
/// are scanned only by the patterns that can match there (engine.h).
constexpr bool plain_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '@' && c <= 'Z') || (c >= '+' && c <= ':') || c == ' ' ||
         c == '=' || c == '_';
}
/// byte_classes() of a value found no byte outside the plain alphabet.
bool only_plain_bytes(uint32_t classes);
/// The byte classes a transform reacts to (all bits for base64_decode).
uint32_t transform_change_mask(TransformId id);

enum class TransformStatus : uint8_t { Ok, NotApplicable, ArenaFull };

struct TransformOutput {
  TransformStatus status;
  std::string_view value;  ///< in the arena, or the input itself when unchanged
};

/// Runs one transform, writing into the arena only when the value changes.
/// An output equal to the input is returned as the input view itself.
TransformOutput run_transform(TransformId id, std::string_view in, TransformArena& arena);
/// Same, with the input's byte_classes(); updates `classes` to the output's.
TransformOutput run_transform(TransformId id, std::string_view in, uint32_t& classes,
                              TransformArena& arena);

/// Encodes a code point as UTF-8 into out (room for 4); returns bytes written.
size_t encode_utf8(uint32_t cp, char* out);

}  // namespace weir::detect
