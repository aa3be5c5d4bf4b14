// Case and whitespace folding, NUL removal: the cheap transforms that make
// "UnIoN\t\tSeLeCt" and "sel%00ect" look like what the server will execute.

#include "detect/transform/transform.h"

namespace weir::detect {
namespace {

// Length of the whitespace unit at s[i] (ASCII space/controls or UTF-8 NBSP),
// 0 when s[i] does not start one.
size_t space_at(const char* s, size_t len, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c == 0xC2 && i + 1 < len && static_cast<unsigned char>(s[i + 1]) == 0xA0) return 2;
  return 0;
}

}  // namespace

size_t lowercase(std::string_view in, char* out) {
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    out[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
  }
  return in.size();
}

size_t compress_whitespace(std::string_view in, char* out) {
  size_t o = 0;
  bool in_space = false;
  for (size_t i = 0; i < in.size();) {
    size_t w = space_at(in.data(), in.size(), i);
    if (w > 0) {
      if (!in_space) out[o++] = ' ';
      in_space = true;
      i += w;
      continue;
    }
    in_space = false;
    out[o++] = in[i++];
  }
  return o;
}

size_t remove_whitespace(std::string_view in, char* out) {
  size_t o = 0;
  for (size_t i = 0; i < in.size();) {
    size_t w = space_at(in.data(), in.size(), i);
    if (w > 0) {
      i += w;
      continue;
    }
    out[o++] = in[i++];
  }
  return o;
}

size_t remove_nulls(std::string_view in, char* out) {
  size_t o = 0;
  for (char c : in)
    if (c != '\0') out[o++] = c;
  return o;
}

}  // namespace weir::detect
