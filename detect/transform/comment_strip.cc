// SQL and HTML comment removal. SQL comments act as whitespace to the
// database ("UNION/**/SELECT"), so a block comment becomes one space; MySQL
// executes the body of "/*!50000 ... */", so that body is kept.

#include <cstring>

#include "detect/transform/transform.h"

namespace weir::detect {

size_t sql_comment_strip(std::string_view in, char* out) {
  const char* s = in.data();
  size_t len = in.size();
  size_t o = 0;
  bool in_exec_comment = false;  // inside /*! ... */, whose text is code
  size_t i = 0;
  while (i < len) {
    char c = s[i];
    if (c == '/' && i + 1 < len && s[i + 1] == '*') {
      if (i + 2 < len && s[i + 2] == '!') {
        i += 3;
        while (i < len && s[i] >= '0' && s[i] <= '9') ++i;  // version number
        out[o++] = ' ';
        in_exec_comment = true;
        continue;
      }
      size_t end = in.find("*/", i + 2);
      out[o++] = ' ';
      i = end == std::string_view::npos ? len : end + 2;
      continue;
    }
    if (in_exec_comment && c == '*' && i + 1 < len && s[i + 1] == '/') {
      out[o++] = ' ';
      in_exec_comment = false;
      i += 2;
      continue;
    }
    if (c == '#' || (c == '-' && i + 1 < len && s[i + 1] == '-')) {
      const void* nl = std::memchr(s + i, '\n', len - i);
      out[o++] = ' ';
      i = nl ? static_cast<size_t>(static_cast<const char*>(nl) - s) : len;
      continue;
    }
    out[o++] = c;
    ++i;
  }
  return o;
}

size_t html_comment_strip(std::string_view in, char* out) {
  const char* s = in.data();
  size_t len = in.size();
  size_t o = 0;
  size_t i = 0;
  while (i < len) {
    if (s[i] == '<' && len - i >= 4 && std::memcmp(s + i, "<!--", 4) == 0) {
      size_t end = in.find("-->", i + 4);
      i = end == std::string_view::npos ? len : end + 3;
      continue;
    }
    out[o++] = s[i++];
  }
  return o;
}

}  // namespace weir::detect
