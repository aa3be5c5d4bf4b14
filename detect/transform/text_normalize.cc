// Case and whitespace folding, NUL removal: the cheap transforms that make
// "UnIoN\t\tSeLeCt" and "sel%00ect" look like what the server will execute.

#include "detect/transform/transform.h"
#include "detect/transform/byte_run.h"

#include <emmintrin.h>

namespace weir::detect {
namespace {

// Length of the whitespace unit at s[i] (ASCII space/controls or UTF-8 NBSP),
// 0 when s[i] does not start one.
size_t space_at(const char* s, size_t len, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c == 0xC2 && i + 1 < len && static_cast<unsigned char>(s[i + 1]) == 0xA0) return 2;
  return 0;
}

}  // namespace

size_t lowercase(std::string_view in, char* out) {
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    out[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
  }
  return in.size();
}

// Prose and markup have single spaces between words: 16 bytes with no
// control whitespace, no 0xC2 (a NBSP's lead byte) and no space followed by
// whitespace come out as they went in, and are copied as one block. A byte
// that may start a fold drops to the unit loop for one unit (a whole run of
// whitespace, or one byte). Same output as the byte loop
// (tests/unit/detect/transform_test.cc keeps it as the reference).
size_t compress_whitespace(std::string_view in, char* out) {
  const char* s = in.data();
  const size_t n = in.size();
  size_t o = 0, i = 0;
  const __m128i space = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), four = _mm_set1_epi8(4),
                c2 = _mm_set1_epi8(static_cast<char>(0xC2));
  // Bytes that start a whitespace unit or may (' ', \t..\r, 0xC2), and
  // the control ones and 0xC2 alone, which always need the unit loop.
  auto starts = [&](__m128i v, __m128i& always) {
    __m128i d = _mm_sub_epi8(v, tab);
    __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(d, four), d);  // \t..\r
    always = _mm_or_si128(ctl, _mm_cmpeq_epi8(v, c2));
    return _mm_or_si128(always, _mm_cmpeq_epi8(v, space));
  };
  auto folds = [&](__m128i v, size_t at) {
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + at + 1));
    __m128i always, always_next;
    starts(v, always);
    const __m128i fold = _mm_or_si128(always, _mm_and_si128(_mm_cmpeq_epi8(v, space), starts(next, always_next)));
    return static_cast<unsigned>(_mm_movemask_epi8(fold));
  };
  while (i < n) {
    copy_unmarked_blocks(s, n, 1, out, i, o, folds);  // s[i + 16] decides whether a space at i + 15 folds
    if (i >= n) break;
    size_t w = space_at(s, n, i);
    if (w == 0) {
      out[o++] = s[i++];
      continue;
    }
    out[o++] = ' ';
    for (i += w; i < n && (w = space_at(s, n, i)) > 0;) i += w;
  }
  return o;
}

size_t remove_whitespace(std::string_view in, char* out) {
  size_t o = 0;
  for (size_t i = 0; i < in.size();) {
    size_t w = space_at(in.data(), in.size(), i);
    if (w > 0) {
      i += w;
      continue;
    }
    out[o++] = in[i++];
  }
  return o;
}

size_t remove_nulls(std::string_view in, char* out) {
  size_t o = 0;
  for (char c : in)
    if (c != '\0') out[o++] = c;
  return o;
}

}  // namespace weir::detect
