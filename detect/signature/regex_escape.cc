// read_escape(): see the header.

#include "detect/signature/regex_escape.h"

namespace weir::detect {
namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

ByteSet range(unsigned lo, unsigned hi) {
  ByteSet s;
  for (unsigned b = lo; b <= hi; ++b) s.set(b);
  return s;
}

}  // namespace

RegexEscape read_escape(std::string_view re, size_t pos, bool in_class) {
  RegexEscape out;
  if (pos + 1 >= re.size()) {
    out.length = re.size() - pos;
    return out;
  }
  const char e = re[pos + 1];
  out.letter = e;
  size_t at = pos + 2;
  auto done = [&](RegexEscape::Kind kind) {
    out.kind = kind;
    out.length = at - pos;
    return out;
  };
  auto byte = [&](unsigned v) {
    out.byte = static_cast<unsigned char>(v);
    return done(RegexEscape::Kind::Byte);
  };
  auto set = [&](const ByteSet& s) {
    out.bytes = s;
    return done(RegexEscape::Kind::Class);
  };
  const ByteSet digits = range('0', '9');
  const ByteSet word = digits | range('A', 'Z') | range('a', 'z') | range('_', '_');
  const ByteSet space = range('\t', '\r') | range(' ', ' ');  // \v (0x0b) too
  switch (e) {
    case 'n': return byte('\n');
    case 'r': return byte('\r');
    case 't': return byte('\t');
    case 'f': return byte('\f');
    case 'e': return byte(0x1b);
    case 'a': return byte(0x07);
    case '0': {  // \0, \0nn octal
      unsigned v = 0;
      for (int k = 0; k < 2 && at < re.size() && re[at] >= '0' && re[at] <= '7'; ++k)
        v = v * 8 + static_cast<unsigned>(re[at++] - '0');
      return byte(v);
    }
    case 'x': {
      unsigned v = 0;
      if (at < re.size() && re[at] == '{') {  // \x{H} or \x{HH}: a byte
        size_t close = re.find('}', at);
        if (close == std::string_view::npos || close == at + 1 || close - at > 3) break;
        for (size_t k = at + 1; k < close; ++k) {
          int d = hex(re[k]);
          if (d < 0) return done(RegexEscape::Kind::Unsupported);
          v = v * 16 + static_cast<unsigned>(d);
        }
        at = close + 1;
      } else {
        for (int k = 0; k < 2 && at < re.size() && hex(re[at]) >= 0; ++k)
          v = v * 16 + static_cast<unsigned>(hex(re[at++]));
      }
      return byte(v);
    }
    case 'b':
      if (in_class) return byte(0x08);
      return done(RegexEscape::Kind::ZeroWidth);
    case 'B':
    case 'A':
    case 'z':
    case 'Z':
    case 'G':
      if (in_class) break;
      return done(RegexEscape::Kind::ZeroWidth);
    case 'd': return set(digits);
    case 'D': return set(~digits);
    case 'w': return set(word);
    case 'W': return set(~word);
    case 's': return set(space);
    case 'S': return set(~space);
    case 'p':
    case 'P':
      if (at < re.size() && re[at] == '{') {
        size_t close = re.find('}', at);
        if (close == std::string_view::npos) break;
        at = close + 1;
      } else if (at < re.size()) {
        ++at;
      }
      return set(ByteSet().set());
    case 'h':
    case 'H':
    case 'v':
    case 'V':
    case 'N':
    case 'R':
    case 'X':
      return set(ByteSet().set());  // rare in rules: "any byte" is never a wrong answer
    default:
      if (!((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '1' && e <= '9'))) return byte(static_cast<unsigned char>(e));
      break;  // \Q, \E, \c, \g, \k, back-references, \K, \C ...
  }
  return done(RegexEscape::Kind::Unsupported);
}

}  // namespace weir::detect
