#pragma once
// run_before_either(): how many bytes of a value come before the first of two
// marker bytes, 16 at a time. The decoding transforms copy such runs whole:
// most of a value has nothing for them to decode.

#include <emmintrin.h>

#include <cstddef>

namespace weir::detect {

inline size_t run_before_either(const char* s, size_t n, char a, char b) {
  size_t i = 0;
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    auto m = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb))));
    if (m != 0) return i + static_cast<size_t>(__builtin_ctz(m));
  }
  while (i < n && s[i] != a && s[i] != b) ++i;
  return i;
}

}  // namespace weir::detect
