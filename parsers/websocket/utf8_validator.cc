// The first byte of a sequence decides how many continuation bytes follow
// and, for E0/ED/F0/F4, a narrower range for the first of them: that is
// where overlong forms, surrogates and code points past U+10FFFF are cut.
#include "parsers/websocket/utf8_validator.h"

namespace weir::parse {

void Utf8Validator::feed(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n && !invalid_; ++i) {
    const uint8_t b = p[i];
    if (need_ > 0) {
      if (b < lo_ || b > hi_) {
        invalid_ = true;
        return;
      }
      --need_;
      lo_ = 0x80;
      hi_ = 0xbf;
      continue;
    }
    if (b < 0x80) continue;
    lo_ = 0x80;
    hi_ = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need_ = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
      need_ = 2;
      if (b == 0xe0) lo_ = 0xa0;  // overlong
      if (b == 0xed) hi_ = 0x9f;  // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need_ = 3;
      if (b == 0xf0) lo_ = 0x90;  // overlong
      if (b == 0xf4) hi_ = 0x8f;  // past U+10FFFF
    } else {
      invalid_ = true;  // 80..C1 as a lead byte, F5..FF
    }
  }
}

}  // namespace weir::parse
