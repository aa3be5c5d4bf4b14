// Base64 unwrapping for values that are base64 and nothing else. A random
// token or an English word can look like base64, so the decoded bytes must
// also read as text (valid UTF-8, no control bytes but tab/CR/LF) before the
// value counts as wrapped.

#include "detect/transform/transform.h"

namespace weir::detect {
namespace {

constexpr size_t kMinLength = 8;

int b64_value(unsigned char c, bool& std_alpha, bool& url_alpha) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '/') {
    std_alpha = true;
    return c == '+' ? 62 : 63;
  }
  if (c == '-' || c == '_') {
    url_alpha = true;
    return c == '-' ? 62 : 63;
  }
  return -1;
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Decoded bytes must read as text: valid UTF-8 without control characters
// other than tab, CR, LF. Checked byte by byte as they are decoded, so a
// random token or id (its bytes mostly >= 0x80, few in valid sequences)
// stops within a byte or two.
struct TextCheck {
  unsigned pending = 0;  // continuation bytes the current sequence still needs

  bool accept(unsigned char c) {
    if (pending > 0) {
      if ((c & 0xC0) != 0x80) return false;
      --pending;
      return true;
    }
    if (c < 0x80) return (c >= 0x20 || c == '\t' || c == '\r' || c == '\n') && c != 0x7F;
    pending = (c >= 0xC2 && c <= 0xDF) ? 1 : (c >= 0xE0 && c <= 0xEF) ? 2 : (c >= 0xF0 && c <= 0xF4) ? 3 : 0;
    return pending != 0;
  }
  bool complete() const { return pending == 0; }
};

}  // namespace

size_t base64_decode(std::string_view in, char* out) {
  size_t b = 0, e = in.size();
  while (b < e && is_space(static_cast<unsigned char>(in[b]))) ++b;
  while (e > b && is_space(static_cast<unsigned char>(in[e - 1]))) --e;
  size_t pad = 0;
  while (e > b && in[e - 1] == '=' && pad < 3) {
    --e;
    ++pad;
  }
  size_t n = e - b;
  if (n + pad < kMinLength || pad > 2) return kNotApplicable;
  if (pad > 0 && (n + pad) % 4 != 0) return kNotApplicable;
  if (n % 4 == 1) return kNotApplicable;
  bool std_alpha = false, url_alpha = false;
  TextCheck text;
  uint32_t acc = 0;
  int bits = 0;
  size_t o = 0;
  for (size_t i = b; i < e; ++i) {
    int v = b64_value(static_cast<unsigned char>(in[i]), std_alpha, url_alpha);
    if (v < 0) return kNotApplicable;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      auto d = static_cast<unsigned char>((acc >> bits) & 0xFF);
      if (!text.accept(d)) return kNotApplicable;
      out[o++] = static_cast<char>(d);
    }
  }
  if (std_alpha && url_alpha) return kNotApplicable;
  // Leftover bits must be zero in canonical base64; random strings rarely are.
  if ((acc & ((1u << bits) - 1)) != 0) return kNotApplicable;
  if (!text.complete()) return kNotApplicable;
  return o;
}

}  // namespace weir::detect
