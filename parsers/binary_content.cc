#include "parsers/binary_content.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>

#include "parsers/http1/head_scan.h"

namespace weir::parse {
namespace {

// Length of the text byte or UTF-8 sequence at `i`, 0 when it is not text.
size_t text_unit(std::string_view b, size_t i) {
  const auto c = static_cast<unsigned char>(b[i]);
  if ((c >= 0x20 && c < 0x7f) || (c >= '\t' && c <= '\r')) return 1;  // TAB LF VT FF CR: SQL whitespace too
  size_t n = 0;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) n = 3;
  else if (c >= 0xf0 && c <= 0xf4) n = 4;
  if (n == 0 || i + n > b.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(b[i + k]) & 0xc0) != 0x80) return 0;
  }
  return n;
}

// The length a MessagePack header right before `i` gives the string or bin
// that starts at `i` (fixstr, str8, str16, bin8, bin16), 0 when there is no
// such header. A fixstr header (0xa0-0xbf) is never text, so it ends the
// run before the string. A str8/bin8 length byte of 9-13 or 32+ is text:
// such a string starts a longer run and counts by its ASCII bytes.
size_t framed_length(std::string_view b, size_t i) {
  auto at = [&](size_t back) { return static_cast<unsigned char>(b[i - back]); };
  if (i >= 1 && at(1) >= 0xa0 && at(1) <= 0xbf) return at(1) & 0x1f;
  if (i >= 2 && (at(2) == 0xd9 || at(2) == 0xc4)) return at(1);
  if (i >= 3 && (at(3) == 0xda || at(3) == 0xc5)) return static_cast<size_t>(at(2)) << 8 | at(1);
  return 0;
}

}  // namespace

std::string_view text_runs(std::string_view bytes, Arena& arena) {
  auto* out = static_cast<char*>(arena.allocate(bytes.size() + 1, 1));
  if (out == nullptr) return bytes;
  size_t len = 0;
  size_t i = 0;
  while (i < bytes.size()) {
    size_t end = i;
    size_t ascii = 0;
    for (size_t u; end < bytes.size() && (u = text_unit(bytes, end)) != 0;) {
      ascii += u == 1;
      end += u;
    }
    // A MessagePack string is the whole run: the next header is no text.
    const bool framed = end - i >= kMinFramedText && framed_length(bytes, i) == end - i;
    if (framed || ascii >= kMinTextRun) {
      if (len > 0) out[len++] = '\n';
      std::memcpy(out + len, bytes.data() + i, end - i);
      len += end - i;
    }
    i = end == i ? i + 1 : end;
  }
  return {out, len};
}

bool looks_binary(std::string_view bytes) {
  const std::string_view sample = bytes.substr(0, std::min(bytes.size(), kBinarySniffBytes));
  if (sample.size() < kMinBinaryBytes) return false;
  size_t controls = 0;
  for (const char ch : sample) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' && c != 0x1b) || c == 0x7f)
      ++controls;
  }
  return controls * 16 > sample.size();
}

bool is_text_media_type(std::string_view media) {
  if (starts_with_ignore_case(media, "text/") || starts_with_ignore_case(media, "multipart/")) return true;
  if (ends_with_ignore_case(media, "+json") || ends_with_ignore_case(media, "+xml") || ends_with_ignore_case(media, "+yaml")) return true;
  // Whole names only: "vnd.openxmlformats-..." (a .docx, a zip) is a file.
  for (const std::string_view t :
       {"application/json", "application/xml", "application/x-www-form-urlencoded", "application/graphql",
        "application/javascript", "application/x-javascript", "application/ecmascript", "application/yaml",
        "application/x-yaml", "application/x-ndjson", "application/ndjson", "application/json-seq",
        "application/xml-dtd", "application/csv", "application/sql"}) {
    if (equals_ignore_case(media, t)) return true;
  }
  return false;
}

}  // namespace weir::parse
