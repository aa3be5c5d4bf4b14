// Percent decoding as servers do it: %XX, IIS-style %uXXXX and '+' as space.
// Double encoding (%2527) is undone by repeating the pass, capped so a value
// cannot make us loop.

#include <cstring>

#include "detect/transform/byte_run.h"
#include "detect/transform/transform.h"

namespace weir::detect {
namespace {

constexpr int kMaxPasses = 3;

int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes in -> out (out may alias in: the write index never passes the read
// index). Returns the length; `changed` tells whether anything was decoded.
size_t decode_pass(const char* in, size_t len, char* out, bool& changed) {
  size_t o = 0;
  changed = false;
  size_t i = 0;
  while (i < len) {
    size_t run = run_before_either(in + i, len - i, '%', '+');
    if (run > 0) {
      if (out + o != in + i) std::memmove(out + o, in + i, run);
      o += run;
      i += run;
      if (i == len) break;
    }
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == '+') {
      out[o++] = ' ';
      changed = true;
      ++i;
      continue;
    }
    // c == '%'
    if (i + 5 < len && (in[i + 1] == 'u' || in[i + 1] == 'U')) {
      int h[4];
      bool ok = true;
      for (int k = 0; k < 4; ++k) {
        h[k] = hex_value(static_cast<unsigned char>(in[i + 2 + k]));
        ok = ok && h[k] >= 0;
      }
      if (ok) {
        uint32_t cp = static_cast<uint32_t>((h[0] << 12) | (h[1] << 8) | (h[2] << 4) | h[3]);
        char tmp[4];
        size_t n = encode_utf8(cp, tmp);
        std::memcpy(out + o, tmp, n);
        o += n;
        i += 6;
        changed = true;
        continue;
      }
    }
    if (i + 2 < len) {
      int hi = hex_value(static_cast<unsigned char>(in[i + 1]));
      int lo = hex_value(static_cast<unsigned char>(in[i + 2]));
      if (hi >= 0 && lo >= 0) {
        out[o++] = static_cast<char>((hi << 4) | lo);
        i += 3;
        changed = true;
        continue;
      }
    }
    out[o++] = static_cast<char>(c);
    ++i;
  }
  return o;
}

}  // namespace

size_t url_decode_once(std::string_view in, char* out) {
  bool changed = false;
  return decode_pass(in.data(), in.size(), out, changed);
}

size_t url_decode(std::string_view in, char* out) {
  bool changed = false;
  size_t n = decode_pass(in.data(), in.size(), out, changed);
  for (int pass = 1; pass < kMaxPasses && changed; ++pass) {
    if (std::memchr(out, '%', n) == nullptr) break;
    n = decode_pass(out, n, out, changed);
  }
  return n;
}

}  // namespace weir::detect
