// Path normalisation for traversal detection. Resolves what a server
// resolves ("/a/./b//c/../d", "\", ";jsessionid=", "%2e%2e") but keeps "../"
// that climbs above the start of the value: that is the attack, and removing
// it (as a server's own normaliser would) would hide it.

#include <cstring>

#include "detect/transform/byte_run.h"
#include "detect/transform/transform.h"

namespace weir::detect {
namespace {

// Decodes the separators and dots servers decode inside paths. Output <= input.
size_t decode_path_bytes(std::string_view in, char* out) {
  size_t o = 0;
  for (size_t i = 0; i < in.size();) {
    size_t run = run_before_either(in.data() + i, in.size() - i, '%', '\\');
    std::memcpy(out + o, in.data() + i, run);
    o += run;
    i += run;
    if (i == in.size()) break;
    char c = in[i];
    if (c == '%' && i + 2 < in.size()) {
      char a = in[i + 1], b = static_cast<char>(in[i + 2] | 0x20);
      char d = 0;
      if (a == '2' && b == 'e') d = '.';
      else if (a == '2' && b == 'f') d = '/';
      else if (a == '5' && b == 'c') d = '/';
      if (d != 0) {
        out[o++] = d;
        i += 3;
        continue;
      }
    }
    out[o++] = c == '\\' ? '/' : c;
    ++i;
  }
  return o;
}

bool is_dotdot(const char* s, size_t n) { return n == 2 && s[0] == '.' && s[1] == '.'; }

}  // namespace

size_t path_normalize(std::string_view in, char* out) {
  // First pass into out, then resolve segments in place: the write position
  // never overtakes the read position.
  size_t len = decode_path_bytes(in, out);
  const char* s = out;
  bool absolute = len > 0 && s[0] == '/';
  size_t o = absolute ? 1 : 0;  // out[0..o) is the resolved prefix
  size_t base = o;              // popping never goes below this
  size_t i = 0;
  bool trailing_slash = false;
  while (i < len) {
    while (i < len && s[i] == '/') ++i;  // collapse "//"
    if (i >= len) break;
    size_t start = i;
    const void* slash = std::memchr(s + i, '/', len - i);
    i = slash == nullptr ? len : static_cast<size_t>(static_cast<const char*>(slash) - s);
    size_t seg_end = i;
    const void* semi = std::memchr(s + start, ';', seg_end - start);
    if (semi != nullptr) seg_end = static_cast<size_t>(static_cast<const char*>(semi) - s);
    size_t n = seg_end - start;
    trailing_slash = i < len;
    if (n == 0 || (n == 1 && s[start] == '.')) continue;
    if (is_dotdot(s + start, n)) {
      // Pop the last resolved segment unless it is itself a kept "..".
      if (o > base) {
        size_t last = o - 1;  // o-1 is the end of the last segment (no trailing '/')
        size_t seg_begin = last;
        while (seg_begin > base && out[seg_begin - 1] != '/') --seg_begin;
        if (!is_dotdot(out + seg_begin, o - seg_begin)) {
          o = seg_begin > base ? seg_begin - 1 : base;
          continue;
        }
      }
    }
    if (o > base) out[o++] = '/';
    std::memmove(out + o, s + start, n);
    o += n;
  }
  if (trailing_slash && o > base) out[o++] = '/';
  return o;
}

}  // namespace weir::detect
