#pragma once
// Content codings named by Content-Encoding and Transfer-Encoding headers
// (RFC 9110 8.4, RFC 9112 7): parsing the comma-separated lists into the
// order in which the sender applied them, so the decoder can undo them
// last-first.

#include <array>
#include <cstdint>
#include <string_view>

namespace weir::parse {

enum class ContentCoding : uint8_t { Identity, Gzip, Deflate, Brotli, Unknown };

/// "gzip"/"x-gzip", "deflate", "br", "identity" (case-insensitive); anything
/// else is Unknown.
ContentCoding content_coding_from_name(std::string_view name);
const char* content_coding_name(ContentCoding c);

/// The codings a body went through, in the order they were applied.
struct CodingList {
  static constexpr uint32_t kMaxCodings = 4;
  std::array<ContentCoding, kMaxCodings> codings{};
  uint32_t count = 0;
  /// More codings than kMaxCodings were listed (the extra ones are dropped).
  bool too_many = false;
  /// The first Unknown coding's name as sent (a view into the header).
  std::string_view unknown_name;

  bool empty() const { return count == 0; }
  bool has_unknown() const { return !unknown_name.empty(); }
};

/// Appends the codings of one header value ("gzip, br"); identity and empty
/// list members are skipped; `skip_chunked` drops "chunked" (Transfer-Encoding,
/// whose framing the HTTP/1 parser already removed).
void append_codings(std::string_view header_value, bool skip_chunked, CodingList& out);

}  // namespace weir::parse
