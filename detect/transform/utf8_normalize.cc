// UTF-8 the way lenient servers read it: overlong forms (IIS, old Java)
// decode to their code point, so "%c0%ae%c0%ae/" becomes "../"; fullwidth
// ASCII (U+FF01..U+FF5E) folds to ASCII as "best fit" mappings do; bytes
// that are not UTF-8 become SUB (0x1A), ASCII's own "substitute": valid
// UTF-8 for the utf8 patterns, yet no rule's token (a '?' made random bytes
// of an upload read as "<?=", a PHP tag).

#include "detect/transform/transform.h"
#include "detect/transform/byte_run.h"

#include <emmintrin.h>

namespace weir::detect {
namespace {
constexpr char kSubstitute = '\x1a';
}  // namespace

size_t utf8_normalize(std::string_view in, char* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  size_t len = in.size();
  size_t o = 0;
  size_t i = 0;
  while (i < len) {
    // ASCII runs (most of a value that holds a name with an accent) are
    // copied 16 bytes at a time: the marked bytes are those with bit 7 set.
    copy_unmarked_blocks(in.data(), len, 0, out, i, o,
                         [](__m128i v, size_t) { return static_cast<unsigned>(_mm_movemask_epi8(v)); });
    if (i >= len) break;
    unsigned char c = s[i];
    if (c < 0x80) {
      out[o++] = static_cast<char>(c);
      ++i;
      continue;
    }
    // Sequence length from the lead byte, 5- and 6-byte forms included: old
    // decoders accepted them and they only ever carry overlong ASCII here.
    size_t extra = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3
                 : (c & 0xFC) == 0xF8 ? 4 : (c & 0xFE) == 0xFC ? 5 : 0;
    bool ok = extra > 0 && i + extra < len;
    uint32_t cp = extra > 0 ? c & (0x7Fu >> (extra + 1)) : 0;
    for (size_t k = 1; ok && k <= extra; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) ok = false;
      else cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (!ok) {
      out[o++] = kSubstitute;
      ++i;
      continue;
    }
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000, 0x200000, 0x4000000};
    bool overlong = cp < kMinForLength[extra];
    if (overlong || extra > 3 || (cp >= 0xFF01 && cp <= 0xFF5E)) {
      if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
      // The shortest form is never longer than the sequence it came from;
      // out-of-range code points become '?'.
      o += encode_utf8(cp > 0x10FFFF ? '?' : cp, out + o);
    } else if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out[o++] = kSubstitute;
    } else {
      for (size_t k = 0; k <= extra; ++k) out[o++] = static_cast<char>(s[i + k]);
    }
    i += extra + 1;
  }
  return o;
}

}  // namespace weir::detect
