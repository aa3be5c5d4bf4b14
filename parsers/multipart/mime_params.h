#pragma once
// MIME header parameters (RFC 2045 5.1, RFC 2183, RFC 2231 / RFC 5987):
// "form-data; name=\"a\"; filename*=UTF-8''%e2%82%ac.txt". Used for the
// Content-Type of a multipart body (its boundary) and the Content-Type and
// Content-Disposition of each part. The reader reports what parsers are
// known to disagree on (unterminated quotes, text after a closing quote)
// instead of guessing silently.

#include <string_view>

#include "parsers/arena.h"

namespace weir::parse {

struct MimeParam {
  std::string_view name;   ///< as sent, without a trailing '*'
  std::string_view value;  ///< unquoted; quoted-pairs still escaped (see unescape_quoted)
  bool quoted = false;
  bool extended = false;        ///< name*=charset'lang'pct-encoded (RFC 2231/5987)
  bool unterminated = false;    ///< an opening quote without its closing one
  bool text_after_quote = false;  ///< name="a"b: parsers read this differently
};

class MimeParamReader {
 public:
  /// `header_value` is the whole value; value() is its first item (the media
  /// type or disposition type), next() yields the parameters after it.
  explicit MimeParamReader(std::string_view header_value);
  std::string_view value() const { return value_; }
  bool next(MimeParam& out);

 private:
  std::string_view rest_;
  std::string_view value_;
};

/// Removes quoted-pair backslashes (RFC 9110 5.6.4); copies into `arena`
/// only when there is one. Empty view when the arena is full.
std::string_view unescape_quoted(std::string_view v, Arena& arena);

/// Decodes an RFC 5987 ext-value "UTF-8'en'%e2%82%ac" into `arena` (bytes
/// as sent, no transcoding). Returns false when `v` is not an ext-value.
bool decode_ext_value(std::string_view v, Arena& arena, std::string_view& out);

bool mime_name_equals(std::string_view a, std::string_view b);

}  // namespace weir::parse
