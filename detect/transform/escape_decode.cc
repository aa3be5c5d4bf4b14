// JavaScript and CSS backslash escapes. The two languages disagree on what
// "\41" means (octal 33 in JS, hex 0x41 in CSS), hence two transforms.

#include "detect/transform/transform.h"

namespace weir::detect {
namespace {

int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads exactly n hex digits at s; -1 when any is missing.
int64_t read_hex(const char* s, size_t avail, size_t n) {
  if (avail < n) return -1;
  int64_t v = 0;
  for (size_t k = 0; k < n; ++k) {
    int d = hex_value(static_cast<unsigned char>(s[k]));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

}  // namespace

size_t js_decode(std::string_view in, char* out) {
  const char* s = in.data();
  size_t len = in.size();
  size_t o = 0;
  size_t i = 0;
  while (i < len) {
    if (s[i] != '\\' || i + 1 == len) {
      out[o++] = s[i++];
      continue;
    }
    char e = s[i + 1];
    const char* rest = s + i + 2;
    size_t avail = len - i - 2;
    if (e == 'x') {
      int64_t v = read_hex(rest, avail, 2);
      if (v >= 0) {  // 4 bytes in, at most 2 out
        o += encode_utf8(static_cast<uint32_t>(v), out + o);
        i += 4;
        continue;
      }
    } else if (e == 'u' && avail > 0 && rest[0] == '{') {
      size_t k = 1;
      int64_t v = 0;
      while (k < avail && k < 9 && hex_value(static_cast<unsigned char>(rest[k])) >= 0) {
        v = v * 16 + hex_value(static_cast<unsigned char>(rest[k]));
        ++k;
      }
      if (k > 1 && k < avail && rest[k] == '}') {  // >= 5 bytes in, <= 4 out
        o += encode_utf8(v > 0x10FFFF ? '?' : static_cast<uint32_t>(v), out + o);
        i += 2 + k + 1;
        continue;
      }
    } else if (e == 'u') {
      int64_t v = read_hex(rest, avail, 4);
      if (v >= 0) {  // 6 bytes in, at most 3 out
        o += encode_utf8(static_cast<uint32_t>(v), out + o);
        i += 6;
        continue;
      }
    } else if (e >= '0' && e <= '7') {
      uint32_t v = 0;
      size_t k = 0;
      while (k < 3 && i + 1 + k < len && s[i + 1 + k] >= '0' && s[i + 1 + k] <= '7' &&
             v * 8 + static_cast<uint32_t>(s[i + 1 + k] - '0') <= 0377) {
        v = v * 8 + static_cast<uint32_t>(s[i + 1 + k] - '0');
        ++k;
      }
      // "\0" is 2 bytes in; values >= 0x80 need "\2xx" (4 bytes) for 2 out.
      o += encode_utf8(v, out + o);
      i += 1 + k;
      continue;
    }
    switch (e) {
      case 'n': out[o++] = '\n'; break;
      case 't': out[o++] = '\t'; break;
      case 'r': out[o++] = '\r'; break;
      case 'b': out[o++] = '\b'; break;
      case 'f': out[o++] = '\f'; break;
      case 'v': out[o++] = '\v'; break;
      default: out[o++] = e; break;  // "\'" -> "'", "\\" -> "\", "\a" -> "a"
    }
    i += 2;
  }
  return o;
}

size_t css_decode(std::string_view in, char* out) {
  const char* s = in.data();
  size_t len = in.size();
  size_t o = 0;
  size_t i = 0;
  while (i < len) {
    if (s[i] != '\\' || i + 1 == len) {
      out[o++] = s[i++];
      continue;
    }
    size_t k = 0;
    uint32_t v = 0;
    while (k < 6 && i + 1 + k < len && hex_value(static_cast<unsigned char>(s[i + 1 + k])) >= 0) {
      v = v * 16 + static_cast<uint32_t>(hex_value(static_cast<unsigned char>(s[i + 1 + k])));
      ++k;
    }
    if (k > 0) {
      // "\H" is 2 bytes in; a 2-byte result needs >= 0x80 ("\80", 3 in).
      o += encode_utf8(v == 0 || v > 0x10FFFF ? '?' : v, out + o);
      i += 1 + k;
      if (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
      continue;
    }
    char e = s[i + 1];
    if (e != '\n') out[o++] = e;  // an escaped newline is a line continuation
    i += 2;
  }
  return o;
}

}  // namespace weir::detect
