// Coding names are tokens; parameters (";q=..." never appears in these
// headers, but a ';' would still end the token) are ignored.
#include "parsers/encoding/content_coding.h"

namespace weir::parse {
namespace {

bool same_token(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

ContentCoding content_coding_from_name(std::string_view name) {
  if (same_token(name, "gzip") || same_token(name, "x-gzip")) return ContentCoding::Gzip;
  if (same_token(name, "deflate")) return ContentCoding::Deflate;
  if (same_token(name, "br")) return ContentCoding::Brotli;
  if (same_token(name, "identity")) return ContentCoding::Identity;
  return ContentCoding::Unknown;
}

const char* content_coding_name(ContentCoding c) {
  switch (c) {
    case ContentCoding::Identity: return "identity";
    case ContentCoding::Gzip: return "gzip";
    case ContentCoding::Deflate: return "deflate";
    case ContentCoding::Brotli: return "br";
    case ContentCoding::Unknown: return "unknown";
  }
  return "unknown";
}

void append_codings(std::string_view header_value, bool skip_chunked, CodingList& out) {
  while (!header_value.empty()) {
    const size_t comma = header_value.find(',');
    std::string_view item = header_value.substr(0, comma);
    header_value = comma == std::string_view::npos ? std::string_view{}
                                                   : header_value.substr(comma + 1);
    item = trim(item.substr(0, item.find(';')));
    if (item.empty()) continue;
    if (skip_chunked && same_token(item, "chunked")) continue;
    const ContentCoding c = content_coding_from_name(item);
    if (c == ContentCoding::Identity) continue;
    if (c == ContentCoding::Unknown && out.unknown_name.empty()) out.unknown_name = item;
    if (out.count == CodingList::kMaxCodings) {
      out.too_many = true;
      continue;
    }
    out.codings[out.count++] = c;
  }
}

}  // namespace weir::parse
