// libFuzzer target: the SQL and HTML lexers and the SQLi/XSS detectors over
// random bytes. Invariants: tokens stay inside the input, start after the
// previous one and always make progress; verdicts are deterministic.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detect/lexical/html_lexer.h"
#include "detect/lexical/sql_lexer.h"
#include "detect/lexical/sqli_detector.h"
#include "detect/lexical/xss_detector.h"

using namespace weir::detect;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  SqlLexer lx(text);
  SqlToken t;
  size_t prev_end = 0;
  size_t count = 0;
  while (lx.next(t)) {
    if (t.begin < prev_end) __builtin_trap();
    if (static_cast<size_t>(t.begin) + t.length > size) __builtin_trap();
    if (t.length == 0) __builtin_trap();
    prev_end = t.begin + t.length;
    if (++count > size) __builtin_trap();  // every token consumes at least one byte
  }

  HtmlLexer hl(text);
  std::string_view name;
  bool closing = false;
  size_t tags = 0;
  while (hl.next_tag(name, closing)) {
    if (name.data() < text.data() || name.data() + name.size() > text.data() + size)
      __builtin_trap();
    HtmlAttribute a;
    while (hl.next_attribute(a)) {
      if (a.name.empty() || a.name.data() + a.name.size() > text.data() + size) __builtin_trap();
    }
    if (++tags > size) __builtin_trap();
  }

  if (is_sqli(text) != is_sqli(text)) __builtin_trap();
  if (is_xss(text) != is_xss(text)) __builtin_trap();
  return 0;
}
