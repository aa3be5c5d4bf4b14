#pragma once
// Utf8Validator: incremental UTF-8 well-formedness check (RFC 3629: no
// overlong forms, no surrogates, nothing past U+10FFFF) over bytes that
// arrive in pieces, as WebSocket text messages do (split across frames,
// chunks and inflate output). RFC 6455 8.1 requires it of text messages and
// close reasons.

#include <cstddef>
#include <cstdint>

namespace weir::parse {

class Utf8Validator {
 public:
  void feed(const uint8_t* p, size_t n);
  /// No invalid byte so far (a sequence may still be open).
  bool valid() const { return !invalid_; }
  /// Valid and not inside a multi-byte sequence: a complete text.
  bool complete() const { return !invalid_ && need_ == 0; }
  void reset() { *this = Utf8Validator{}; }

 private:
  uint8_t need_ = 0;  // continuation bytes still expected
  uint8_t lo_ = 0x80;  // allowed range of the next continuation byte
  uint8_t hi_ = 0xbf;
  bool invalid_ = false;
};

}  // namespace weir::parse
