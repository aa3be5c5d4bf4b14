// HTML character references the way browsers read them in attribute values
// and text: numeric (decimal, hex, any number of leading zeros) and a subset
// of named references, with or without the closing ';'.

#include <cstdint>
#include <cstring>
#include <iterator>
#include <string_view>

#include "detect/transform/transform.h"

namespace weir::detect {
namespace {

struct NamedEntity {
  std::string_view name;
  uint32_t cp;
};

// The names attackers use to hide markup and JS punctuation, plus the common
// ones benign rich text carries. Longest names first where one is a prefix
// of another (the missing-';' form matches the longest known name).
constexpr NamedEntity kNamed[] = {
    {"NewLine", '\n'}, {"newline", '\n'}, {"lbrack", '['}, {"rbrack", ']'},
    {"lbrace", '{'},   {"rbrace", '}'},   {"percnt", '%'}, {"equals", '='},
    {"commat", '@'},   {"verbar", '|'},   {"period", '.'}, {"dollar", '$'},
    {"lowbar", '_'},   {"quest", '?'},    {"colon", ':'},  {"comma", ','},
    {"grave", '`'},    {"lsqb", '['},     {"rsqb", ']'},   {"lcub", '{'},
    {"rcub", '}'},     {"lpar", '('},     {"rpar", ')'},   {"semi", ';'},
    {"bsol", '\\'},    {"excl", '!'},     {"quot", '"'},   {"apos", '\''},
    {"nbsp", 0xA0},    {"plus", '+'},     {"vert", '|'},   {"Tab", '\t'},
    {"tab", '\t'},     {"sol", '/'},      {"num", '#'},    {"ast", '*'},
    {"hat", '^'},      {"amp", '&'},      {"lt", '<'},     {"gt", '>'},
    {"LT", '<'},       {"GT", '>'},       {"AMP", '&'},    {"QUOT", '"'},
};

// Per ASCII first byte, a bit per kNamed entry that starts with it.
struct FirstByteIndex {
  uint64_t entries[128] = {};
};
constexpr FirstByteIndex make_first_byte_index() {
  static_assert(std::size(kNamed) <= 64);
  FirstByteIndex idx;
  for (size_t i = 0; i < std::size(kNamed); ++i)
    idx.entries[static_cast<unsigned char>(kNamed[i].name[0]) & 127] |= uint64_t{1} << i;
  return idx;
}
constexpr FirstByteIndex kByFirstByte = make_first_byte_index();

int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses a reference starting after '&' at s[0..len). Returns consumed bytes
// (0 when it is not a reference) and the code point.
size_t parse_reference(const char* s, size_t len, uint32_t& cp) {
  if (len >= 2 && s[0] == '#') {
    bool hex = s[1] == 'x' || s[1] == 'X';
    size_t i = hex ? 2 : 1;
    size_t start = i;
    uint64_t v = 0;
    for (; i < len; ++i) {
      int d = hex ? hex_value(static_cast<unsigned char>(s[i]))
                  : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
      if (d < 0) break;
      v = v * (hex ? 16 : 10) + static_cast<uint64_t>(d);
      if (v > 0x10FFFF) v = 0x110000;  // saturate: still consume the digits
    }
    if (i == start) return 0;
    if (i < len && s[i] == ';') ++i;
    cp = (v == 0 || v > 0x10FFFF) ? '?' : static_cast<uint32_t>(v);
    return i;
  }
  if (len == 0) return 0;  // a '&' ending the value
  // Lengths are compile-time and the first byte rules out most names, so a
  // '&' in a query string or form body costs a few compares, not 44 memcmps.
  // Only the entries that start with s[0], in table order (the first that
  // matches wins, as in a scan of the whole table).
  auto first = static_cast<unsigned char>(s[0]);
  for (uint64_t m = first < 128 ? kByFirstByte.entries[first] : 0; m != 0; m &= m - 1) {
    const NamedEntity& e = kNamed[__builtin_ctzll(m)];
    size_t n = e.name.size();
    if (n <= len && std::memcmp(s + 1, e.name.data() + 1, n - 1) == 0) {
      cp = e.cp;
      return (n < len && s[n] == ';') ? n + 1 : n;
    }
  }
  return 0;
}

}  // namespace

size_t html_entity_decode(std::string_view in, char* out) {
  const char* s = in.data();
  size_t len = in.size();
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    // Copy the run up to the next '&' in one go.
    const void* amp = std::memchr(s + i, '&', len - i);
    size_t run = amp == nullptr ? len - i : static_cast<size_t>(static_cast<const char*>(amp) - (s + i));
    std::memcpy(out + o, s + i, run);
    o += run;
    i += run;
    if (i == len) break;
    uint32_t cp = 0;
    size_t used = parse_reference(s + i + 1, len - i - 1, cp);
    // 1 + used >= encoded size: "&lt" (3) -> 1, "&nbsp" (5) -> 2,
    // "&#128" (5) -> 2, "&#x800" (6) -> 3, "&#x10000" (8) -> 4.
    if (used > 0) {
      o += encode_utf8(cp, out + o);
      i += 1 + used;
      continue;
    }
    out[o++] = s[i++];
  }
  return o;
}

}  // namespace weir::detect
