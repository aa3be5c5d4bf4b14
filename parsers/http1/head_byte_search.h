#pragma once
// Inline SSE2 searches in an HTTP/1 head: the LF (and the first ':') of a
// line for scan_head(), the blank line that ends the head for
// find_head_end(). Head lines are short (~30-70 bytes): memchr's call and
// setup cost as much as its search, twice per header line.
//
// No search reads outside [text.data(), text.data() + text.size()): the
// line searches read the last partial 16 bytes with one load that ends at
// the end of the text, with the bits before `from` dropped; the blank-line
// search goes byte by byte over its last 17 bytes; text under 16 bytes goes
// byte by byte.

#include <emmintrin.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace weir::parse {
namespace head_search_detail {

// Bit i set when p[i] is `a` or `b`.
inline uint32_t match16(const char* p, __m128i a, __m128i b) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return static_cast<uint32_t>(
      _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, a), _mm_cmpeq_epi8(v, b))));
}

// First position >= from holding `a` or `b`, or text.size().
inline size_t find_either(std::string_view text, size_t from, char a, char b) {
  const size_t n = text.size();
  const char* s = text.data();
  const __m128i va = _mm_set1_epi8(a);
  const __m128i vb = _mm_set1_epi8(b);
  for (; from + 16 <= n; from += 16) {
    const uint32_t m = match16(s + from, va, vb);
    if (m != 0) return from + static_cast<size_t>(__builtin_ctz(m));
  }
  if (from >= n) return n;
  if (n >= 16) {
    // The 16 bytes ending at n; the first 16 - (n - from) were searched already.
    const uint32_t m = match16(s + n - 16, va, vb) >> (16 - (n - from));
    return m != 0 ? from + static_cast<size_t>(__builtin_ctz(m)) : n;
  }
  for (; from < n; ++from) {
    if (s[from] == a || s[from] == b) return from;
  }
  return n;
}

}  // namespace head_search_detail

/// Position of the first '\n' at or after `from`, or text.size().
inline size_t find_lf(std::string_view text, size_t from) {
  // Values (User-Agent, Accept, Cookie) hold most of a head's bytes: 32 a step.
  const char* s = text.data();
  const __m128i lf = _mm_set1_epi8('\n');
  for (; from + 32 <= text.size(); from += 32) {
    const __m128i lo = _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + from)), lf);
    const __m128i hi =
        _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + from + 16)), lf);
    if (_mm_movemask_epi8(_mm_or_si128(lo, hi)) != 0) {
      const uint32_t m = static_cast<uint32_t>(_mm_movemask_epi8(lo)) |
                         (static_cast<uint32_t>(_mm_movemask_epi8(hi)) << 16);
      return from + static_cast<size_t>(__builtin_ctz(m));
    }
  }
  return head_search_detail::find_either(text, from, '\n', '\n');
}

/// Position of the first '\n' or ':' at or after `from`, or text.size().
inline size_t find_lf_or_colon(std::string_view text, size_t from) {
  return head_search_detail::find_either(text, from, '\n', ':');
}

/// Just past the first blank line at or after `from`: the first LF that is
/// followed by LF or by CR LF ("\r\n\r\n", or the bare-LF forms llhttp and
/// the head scan then reject); text.size() + 1 when there is none. One pass
/// of 16 bytes a step, not a memchr call per header line.
inline size_t find_blank_line_end(std::string_view text, size_t from) {
  const char* s = text.data();
  const size_t n = text.size();
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  auto at = [s](size_t i) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i)); };
  // Bit k: an LF at from+k followed by LF, or by CR then LF (the loads at
  // +1 and +2 stay inside the text while from + 18 <= n).
  for (; from + 18 <= n; from += 16) {
    const __m128i next = at(from + 1);
    const __m128i ends = _mm_and_si128(
        _mm_cmpeq_epi8(at(from), lf),
        _mm_or_si128(_mm_cmpeq_epi8(next, lf),
                     _mm_and_si128(_mm_cmpeq_epi8(next, cr), _mm_cmpeq_epi8(at(from + 2), lf))));
    const auto m = static_cast<uint32_t>(_mm_movemask_epi8(ends));
    if (m != 0) {
      const size_t i = from + static_cast<size_t>(__builtin_ctz(m));
      return s[i + 1] == '\n' ? i + 2 : i + 3;
    }
  }
  for (; from < n; ++from) {
    if (s[from] != '\n') continue;
    if (from + 1 < n && s[from + 1] == '\n') return from + 2;
    if (from + 2 < n && s[from + 1] == '\r' && s[from + 2] == '\n') return from + 3;
  }
  return n + 1;
}

}  // namespace weir::parse
