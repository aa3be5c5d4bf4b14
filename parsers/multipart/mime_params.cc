// Whitespace here includes CR and LF: a folded part header keeps its line
// break inside the value, and folding is reported by the caller.
#include "parsers/multipart/mime_params.h"

namespace weir::parse {
namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ws(s.back())) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool mime_name_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

MimeParamReader::MimeParamReader(std::string_view header_value) {
  const size_t semi = header_value.find(';');
  value_ = trim(header_value.substr(0, semi));
  rest_ = semi == std::string_view::npos ? std::string_view{} : header_value.substr(semi + 1);
}

bool MimeParamReader::next(MimeParam& out) {
  for (;;) {
    while (!rest_.empty() && (is_ws(rest_.front()) || rest_.front() == ';')) rest_.remove_prefix(1);
    if (rest_.empty()) return false;
    out = MimeParam{};
    size_t i = 0;
    while (i < rest_.size() && rest_[i] != '=' && rest_[i] != ';') ++i;
    std::string_view name = trim(rest_.substr(0, i));
    if (i == rest_.size() || rest_[i] == ';') {
      // A bare token without '=': no value, skip it.
      rest_.remove_prefix(i);
      if (name.empty()) continue;
      out.name = name;
      return true;
    }
    rest_.remove_prefix(i + 1);
    if (!name.empty() && name.back() == '*') {
      out.extended = true;
      name.remove_suffix(1);
    }
    out.name = name;
    while (!rest_.empty() && is_ws(rest_.front())) rest_.remove_prefix(1);
    if (!rest_.empty() && rest_.front() == '"') {
      out.quoted = true;
      size_t j = 1;
      while (j < rest_.size() && rest_[j] != '"') j += rest_[j] == '\\' ? 2 : 1;
      if (j >= rest_.size()) {
        out.unterminated = true;
        out.value = rest_.substr(1);
        rest_ = {};
        return true;
      }
      out.value = rest_.substr(1, j - 1);
      rest_.remove_prefix(j + 1);
      const size_t semi = rest_.find(';');
      if (!trim(rest_.substr(0, semi)).empty()) out.text_after_quote = true;
      rest_ = semi == std::string_view::npos ? std::string_view{} : rest_.substr(semi);
      return true;
    }
    const size_t semi = rest_.find(';');
    out.value = trim(rest_.substr(0, semi));
    rest_ = semi == std::string_view::npos ? std::string_view{} : rest_.substr(semi);
    return true;
  }
}

std::string_view unescape_quoted(std::string_view v, Arena& arena) {
  if (v.find('\\') == std::string_view::npos) return v;
  auto* p = static_cast<char*>(arena.allocate(v.size(), 1));
  if (p == nullptr) return {};
  size_t n = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) ++i;
    p[n++] = v[i];
  }
  return {p, n};
}

bool decode_ext_value(std::string_view v, Arena& arena, std::string_view& out) {
  const size_t q1 = v.find('\'');
  if (q1 == std::string_view::npos) return false;
  const size_t q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return false;
  const std::string_view text = v.substr(q2 + 1);
  auto* p = static_cast<char*>(arena.allocate(text.size() + 1, 1));
  if (p == nullptr) return false;
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      p[n++] = static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      p[n++] = text[i];
    }
  }
  out = {p, n};
  return true;
}

}  // namespace weir::parse
