// HTML tokenizer: see html_lexer.h.

#include "detect/lexical/html_lexer.h"

namespace weir::detect {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

}  // namespace

bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool ascii_istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii_iequals(s.substr(0, prefix.size()), prefix);
}

bool HtmlLexer::next_tag(std::string_view& name, bool& closing) {
  // Skip what is left of the current tag so its attributes are not re-read.
  while (in_tag_) {
    HtmlAttribute a;
    if (!next_attribute(a)) break;
  }
  in_tag_ = false;
  const size_t n = text_.size();
  while (pos_ < n) {
    size_t lt = text_.find('<', pos_);
    if (lt == std::string_view::npos || lt + 1 >= n) {
      pos_ = n;
      return false;
    }
    size_t i = lt + 1;
    // NUL bytes after '<' ("<\0img"): dropped by some decoders and
    // sanitizers before the markup reaches a browser.
    while (i + 1 < n && text_[i] == '\0') ++i;
    closing = text_[i] == '/';
    if (closing) ++i;
    if (i >= n || !is_alpha(text_[i])) {
      pos_ = lt + 1;
      continue;
    }
    size_t start = i;
    while (i < n && !is_space(text_[i]) && text_[i] != '/' && text_[i] != '>' && text_[i] != '<') ++i;
    name = text_.substr(start, i - start);
    pos_ = i;
    in_tag_ = !closing;
    closed_ = false;
    return true;
  }
  return false;
}

bool HtmlLexer::next_attribute(HtmlAttribute& out) {
  if (!in_tag_) return false;
  const size_t n = text_.size();
  while (pos_ < n && (is_space(text_[pos_]) || text_[pos_] == '/' || text_[pos_] == '"' ||
                      text_[pos_] == '\''))
    ++pos_;
  if (pos_ >= n || text_[pos_] == '>') {
    closed_ = pos_ < n;
    if (pos_ < n) ++pos_;
    in_tag_ = false;
    return false;
  }
  size_t start = pos_;
  // The first character may be '=' (browsers take it into the name).
  ++pos_;
  while (pos_ < n && !is_space(text_[pos_]) && text_[pos_] != '/' && text_[pos_] != '>' &&
         text_[pos_] != '=')
    ++pos_;
  out.name = text_.substr(start, pos_ - start);
  out.value = {};
  out.has_value = false;
  size_t i = pos_;
  while (i < n && is_space(text_[i])) ++i;
  if (i < n && text_[i] == '=') {
    ++i;
    while (i < n && is_space(text_[i])) ++i;
    out.has_value = true;
    if (i < n && (text_[i] == '"' || text_[i] == '\'')) {
      char q = text_[i++];
      size_t end = text_.find(q, i);
      if (end == std::string_view::npos) end = n;
      out.value = text_.substr(i, end - i);
      pos_ = end < n ? end + 1 : n;
    } else {
      size_t vs = i;
      while (i < n && !is_space(text_[i]) && text_[i] != '>') ++i;
      out.value = text_.substr(vs, i - vs);
      pos_ = i;
    }
  }
  return true;
}

}  // namespace weir::detect
