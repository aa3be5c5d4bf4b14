#pragma once
// read_escape(): one backslash escape of Hyperscan's regex syntax, read the
// same way by every analysis of rule patterns (the prefilter's necessary
// literals, the plain-alphabet reach), so they cannot disagree on what a
// pattern says.

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace weir::detect {

using ByteSet = std::bitset<256>;

struct RegexEscape {
  enum class Kind : uint8_t {
    Byte,         ///< one byte: \n, \x41, \0, \. ...
    Class,        ///< a set of bytes: \d \w \s and complements; \p \h \v \N \R \X as "any byte"
    ZeroWidth,    ///< \b \B \A \z \Z \G (outside a class)
    Unsupported,  ///< back-references, \Q, \c, \k, code points past 0xFF ...
  };
  Kind kind = Kind::Unsupported;
  unsigned char byte = 0;  ///< Byte
  ByteSet bytes;           ///< Class
  char letter = 0;         ///< the character after the backslash
  size_t length = 0;       ///< characters read, the backslash included
};

/// The escape starting at `re[pos]` (a backslash). Inside a class `\b` is a
/// backspace and the zero-width escapes are unsupported.
RegexEscape read_escape(std::string_view re, size_t pos, bool in_class);

}  // namespace weir::detect
