#include "parsers/binary_content.h"

#include <algorithm>
#include <initializer_list>

#include "parsers/http1/head_scan.h"

namespace weir::parse {
namespace {

bool has_prefix_ic(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && equals_ignore_case(s.substr(0, p.size()), p);
}

bool has_suffix_ic(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && equals_ignore_case(s.substr(s.size() - p.size()), p);
}

}  // namespace

bool looks_binary(std::string_view bytes) {
  const std::string_view sample = bytes.substr(0, std::min(bytes.size(), kBinarySniffBytes));
  size_t controls = 0;
  for (const char ch : sample) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) return true;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' && c != 0x1b) || c == 0x7f)
      ++controls;
  }
  return controls * 16 > sample.size();
}

bool is_text_media_type(std::string_view media) {
  if (has_prefix_ic(media, "text/") || has_prefix_ic(media, "multipart/")) return true;
  if (has_suffix_ic(media, "+json") || has_suffix_ic(media, "+xml") || has_suffix_ic(media, "+yaml")) return true;
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
