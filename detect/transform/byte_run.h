#pragma once
// run_before_either(): how many bytes of a value come before the first of two
// marker bytes, 16 at a time. The decoding transforms copy such runs whole:
// most of a value has nothing for them to decode. copy_unmarked_blocks():
// the same for transforms whose bytes to act on are a computed class.

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

/// Copies s[i..] to out[o..] in 16-byte blocks while `marks(block, i)` (a
/// 16-bit mask of the block's bytes the transform acts on) is zero, then the
/// bytes before the first marked one, advancing `i` and `o`; stops there or
/// when fewer than 16 + `lookahead` bytes are left (`marks` may read that far
/// past a block). With o <= i a block store stays inside the caller's n bytes.
template <typename Marks>
inline void copy_unmarked_blocks(const char* s, size_t n, size_t lookahead, char* out, size_t& i, size_t& o,
                                 Marks marks) {
  while (i + 16 + lookahead <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const unsigned m = marks(v, i);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + o), v);
    const size_t run = m == 0 ? 16 : static_cast<size_t>(__builtin_ctz(m));
    o += run;
    i += run;
    if (m != 0) return;
  }
}

}  // namespace weir::detect
