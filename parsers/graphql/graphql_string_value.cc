// Unicode escapes: \uXXXX (with surrogate pairs combined) and \u{X...}. A
// lone surrogate or an out-of-range code point becomes U+FFFD, as the
// reference implementation would reject it; the replacement keeps the value
// inspectable instead of dropping it.
#include "parsers/graphql/graphql_string_value.h"

#include <cstdint>
#include <cstring>

namespace weir::parse {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

size_t put_utf8(char* out, uint32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

// Reads \uXXXX or \u{...} at s[i] == '\\'; returns the code point and moves
// i past it; -1 when malformed (the lexer already refused most of those).
int64_t read_unicode_escape(std::string_view s, size_t& i) {
  size_t p = i + 2;
  uint32_t cp = 0;
  if (p < s.size() && s[p] == '{') {
    ++p;
    size_t digits = 0;
    while (p < s.size() && s[p] != '}') {
      const int h = hex_value(s[p]);
      if (h < 0 || ++digits > 8) return -1;
      cp = (cp << 4) | static_cast<uint32_t>(h);
      ++p;
    }
    if (p >= s.size() || digits == 0) return -1;
    i = p + 1;
    return cp;
  }
  for (int k = 0; k < 4; ++k, ++p) {
    const int h = p < s.size() ? hex_value(s[p]) : -1;
    if (h < 0) return -1;
    cp = (cp << 4) | static_cast<uint32_t>(h);
  }
  i = p;
  return cp;
}

std::string_view decode_plain(std::string_view body, std::string_view token, Arena& arena) {
  if (body.find('\\') == std::string_view::npos) return body;
  // Every escape shrinks or keeps the length (\u{10FFFF} is 10 bytes -> 4).
  auto* out = static_cast<char*>(arena.allocate(body.size(), 1));
  if (out == nullptr) return token;
  size_t o = 0;
  for (size_t i = 0; i < body.size();) {
    if (body[i] != '\\' || i + 1 >= body.size()) {
      out[o++] = body[i++];
      continue;
    }
    const char e = body[i + 1];
    if (e == 'u') {
      int64_t cp = read_unicode_escape(body, i);
      if (cp < 0) {
        out[o++] = body[i++];
        continue;
      }
      if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < body.size() && body[i] == '\\' &&
          body[i + 1] == 'u') {
        size_t j = i;
        const int64_t lo = read_unicode_escape(body, j);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          i = j;
        }
      }
      o += put_utf8(out + o, static_cast<uint32_t>(cp));
      continue;
    }
    char d = e;
    switch (e) {
      case 'b': d = '\b'; break;
      case 'f': d = '\f'; break;
      case 'n': d = '\n'; break;
      case 'r': d = '\r'; break;
      case 't': d = '\t'; break;
      default: break;  // " \ / stand for themselves
    }
    out[o++] = d;
    i += 2;
  }
  return {out, o};
}

bool is_blank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

size_t indent_of(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

// Calls f(line) for each line of `raw` (terminators \n, \r\n, \r).
template <typename F>
void for_each_line(std::string_view raw, F&& f) {
  size_t start = 0;
  for (size_t i = 0; i <= raw.size(); ++i) {
    if (i == raw.size() || raw[i] == '\n' || raw[i] == '\r') {
      f(raw.substr(start, i - start));
      if (i < raw.size() && raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
}

std::string_view decode_block(std::string_view raw, std::string_view token, Arena& arena) {
  // Spec BlockStringValue(): common indent over all lines but the first,
  // then leading and trailing blank lines removed; lines joined with \n.
  size_t common = SIZE_MAX;
  size_t lines = 0, first_kept = SIZE_MAX, last_kept = 0;
  for_each_line(raw, [&](std::string_view line) {
    const size_t idx = lines++;
    if (idx > 0) {
      const size_t ind = indent_of(line);
      if (ind < line.size() && ind < common) common = ind;
    }
  });
  if (common == SIZE_MAX) common = 0;
  size_t idx = 0;
  for_each_line(raw, [&](std::string_view line) {
    std::string_view l = idx > 0 ? line.substr(std::min(common, line.size())) : line;
    if (!is_blank(l)) {
      if (first_kept == SIZE_MAX) first_kept = idx;
      last_kept = idx;
    }
    ++idx;
  });
  if (first_kept == SIZE_MAX) return token.substr(3, 0);
  auto* out = static_cast<char*>(arena.allocate(raw.size(), 1));
  if (out == nullptr) return token;
  size_t o = 0;
  idx = 0;
  for_each_line(raw, [&](std::string_view line) {
    if (idx >= first_kept && idx <= last_kept) {
      std::string_view l = idx > 0 ? line.substr(std::min(common, line.size())) : line;
      if (idx > first_kept) out[o++] = '\n';
      // \""" stands for """.
      for (size_t i = 0; i < l.size(); ++i) {
        if (l[i] == '\\' && l.substr(i, 4) == "\\\"\"\"") {
          std::memcpy(out + o, "\"\"\"", 3);
          o += 3;
          i += 3;
        } else {
          out[o++] = l[i];
        }
      }
    }
    ++idx;
  });
  return {out, o};
}

}  // namespace

std::string_view graphql_string_value(std::string_view token, GqlToken kind, Arena& arena) {
  if (kind == GqlToken::BlockString && token.size() >= 6) {
    return decode_block(token.substr(3, token.size() - 6), token, arena);
  }
  if (kind == GqlToken::String && token.size() >= 2) {
    return decode_plain(token.substr(1, token.size() - 2), token, arena);
  }
  return token;
}

}  // namespace weir::parse
