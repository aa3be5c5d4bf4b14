// Spec grammar notes: a number may not be directly followed by a NameStart
// or '.', so "1.2.3" and "0x1" are errors rather than two tokens; a plain
// string may not span lines; a block string ends at the first unescaped """.
#include "parsers/graphql/graphql_lexer.h"

namespace weir::parse {
namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_continue(char c) { return is_name_start(c) || is_digit(c); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

GraphqlLexer::GraphqlLexer(std::string_view doc) : doc_(doc) {
  if (doc_.size() >= 3 && static_cast<uint8_t>(doc_[0]) == 0xEF &&
      static_cast<uint8_t>(doc_[1]) == 0xBB && static_cast<uint8_t>(doc_[2]) == 0xBF) {
    pos_ = 3;
  }
  text_ = doc_.substr(pos_, 0);
}

GqlToken GraphqlLexer::fail(size_t start, const char* why) {
  error_ = why;
  text_ = doc_.substr(start, 0);
  pos_ = doc_.size();
  return kind_ = GqlToken::Error;
}

GqlToken GraphqlLexer::next() {
  if (kind_ == GqlToken::Error) return kind_;
  // Ignored tokens.
  while (pos_ < doc_.size()) {
    const char c = doc_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
      ++pos_;
    } else if (c == '#') {
      while (pos_ < doc_.size() && doc_[pos_] != '\n' && doc_[pos_] != '\r') ++pos_;
    } else if (static_cast<uint8_t>(c) == 0xEF && pos_ + 2 < doc_.size() &&
               static_cast<uint8_t>(doc_[pos_ + 1]) == 0xBB &&
               static_cast<uint8_t>(doc_[pos_ + 2]) == 0xBF) {
      pos_ += 3;  // the spec lists the BOM as ignorable anywhere
    } else {
      break;
    }
  }
  const size_t start = pos_;
  if (pos_ >= doc_.size()) {
    text_ = doc_.substr(doc_.size(), 0);
    return kind_ = GqlToken::End;
  }
  const char c = doc_[pos_];
  auto punct = [&](GqlToken k, size_t n) {
    pos_ += n;
    text_ = doc_.substr(start, n);
    return kind_ = k;
  };
  switch (c) {
    case '!': return punct(GqlToken::Bang, 1);
    case '$': return punct(GqlToken::Dollar, 1);
    case '&': return punct(GqlToken::Amp, 1);
    case '(': return punct(GqlToken::ParenL, 1);
    case ')': return punct(GqlToken::ParenR, 1);
    case ':': return punct(GqlToken::Colon, 1);
    case '=': return punct(GqlToken::Equals, 1);
    case '@': return punct(GqlToken::At, 1);
    case '[': return punct(GqlToken::BracketL, 1);
    case ']': return punct(GqlToken::BracketR, 1);
    case '{': return punct(GqlToken::BraceL, 1);
    case '|': return punct(GqlToken::Pipe, 1);
    case '}': return punct(GqlToken::BraceR, 1);
    case '.':
      if (doc_.substr(pos_, 3) == "...") return punct(GqlToken::Spread, 3);
      return fail(start, "lone '.'");
    case '"':
      if (doc_.substr(pos_, 3) == "\"\"\"") return lex_block_string(start);
      return lex_string(start);
    default: break;
  }
  if (c == '-' || is_digit(c)) return lex_number(start);
  if (is_name_start(c)) {
    while (pos_ < doc_.size() && is_name_continue(doc_[pos_])) ++pos_;
    text_ = doc_.substr(start, pos_ - start);
    return kind_ = GqlToken::Name;
  }
  return fail(start, "unexpected character");
}

GqlToken GraphqlLexer::lex_number(size_t start) {
  size_t p = pos_;
  if (doc_[p] == '-') ++p;
  if (p >= doc_.size() || !is_digit(doc_[p])) return fail(start, "malformed number");
  if (doc_[p] == '0') {
    ++p;
    if (p < doc_.size() && is_digit(doc_[p])) return fail(start, "leading zero");
  } else {
    while (p < doc_.size() && is_digit(doc_[p])) ++p;
  }
  bool is_float = false;
  if (p < doc_.size() && doc_[p] == '.') {
    ++p;
    if (p >= doc_.size() || !is_digit(doc_[p])) return fail(start, "malformed fraction");
    while (p < doc_.size() && is_digit(doc_[p])) ++p;
    is_float = true;
  }
  if (p < doc_.size() && (doc_[p] == 'e' || doc_[p] == 'E')) {
    ++p;
    if (p < doc_.size() && (doc_[p] == '+' || doc_[p] == '-')) ++p;
    if (p >= doc_.size() || !is_digit(doc_[p])) return fail(start, "malformed exponent");
    while (p < doc_.size() && is_digit(doc_[p])) ++p;
    is_float = true;
  }
  if (p < doc_.size() && (doc_[p] == '.' || is_name_start(doc_[p]))) {
    return fail(start, "number followed by a name or '.'");
  }
  pos_ = p;
  text_ = doc_.substr(start, p - start);
  return kind_ = is_float ? GqlToken::Float : GqlToken::Int;
}

GqlToken GraphqlLexer::lex_string(size_t start) {
  size_t p = pos_ + 1;
  while (p < doc_.size()) {
    const char c = doc_[p];
    if (c == '"') {
      pos_ = p + 1;
      text_ = doc_.substr(start, pos_ - start);
      return kind_ = GqlToken::String;
    }
    if (c == '\n' || c == '\r') return fail(start, "line break in string");
    if (c == '\\') {
      if (p + 1 >= doc_.size()) break;
      const char e = doc_[p + 1];
      if (e == 'u') {
        // \uXXXX or \u{X...}; the value decoder checks the digits again.
        p += 2;
        if (p < doc_.size() && doc_[p] == '{') {
          while (p < doc_.size() && doc_[p] != '}' && doc_[p] != '"') ++p;
          if (p >= doc_.size() || doc_[p] != '}') return fail(start, "bad unicode escape");
          ++p;
        } else {
          for (int i = 0; i < 4; ++i, ++p) {
            if (p >= doc_.size() || !is_hex(doc_[p]))
              return fail(start, "bad unicode escape");
          }
        }
        continue;
      }
      if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) return fail(start, "bad escape");
      p += 2;
      continue;
    }
    ++p;
  }
  return fail(start, "unterminated string");
}

GqlToken GraphqlLexer::lex_block_string(size_t start) {
  size_t p = pos_ + 3;
  while (p < doc_.size()) {
    if (doc_[p] == '\\' && doc_.substr(p, 4) == "\\\"\"\"") {
      p += 4;
      continue;
    }
    if (doc_.substr(p, 3) == "\"\"\"") {
      pos_ = p + 3;
      text_ = doc_.substr(start, pos_ - start);
      return kind_ = GqlToken::BlockString;
    }
    ++p;
  }
  return fail(start, "unterminated block string");
}

}  // namespace weir::parse
