// Splits at the first '=' of each piece so "a=b=c" keeps "b=c" as the value,
// as every server-side form decoder does.
#include "parsers/form/urlencoded_splitter.h"

namespace weir::parse {
namespace {

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

template <typename Emit>
bool split_pairs(std::string_view text, char separator, Emit&& emit) {
  while (!text.empty()) {
    const size_t cut = text.find(separator);
    std::string_view piece = text.substr(0, cut);
    text = cut == std::string_view::npos ? std::string_view{} : text.substr(cut + 1);
    if (!emit(piece)) return false;
  }
  return true;
}

}  // namespace

bool split_urlencoded(std::string_view text, Zone zone, FieldList& out) {
  return split_pairs(text, '&', [&](std::string_view piece) {
    if (piece.empty()) return true;
    const size_t eq = piece.find('=');
    if (eq == std::string_view::npos) return out.add(zone, piece, {});
    return out.add(zone, piece.substr(0, eq), piece.substr(eq + 1));
  });
}

bool split_cookie_header(std::string_view value, FieldList& out) {
  return split_pairs(value, ';', [&](std::string_view piece) {
    piece = trim_ows(piece);
    if (piece.empty()) return true;
    const size_t eq = piece.find('=');
    if (eq == std::string_view::npos) return out.add(Zone::Cookie, {}, piece);
    return out.add(Zone::Cookie, trim_ows(piece.substr(0, eq)), trim_ows(piece.substr(eq + 1)));
  });
}

}  // namespace weir::parse
