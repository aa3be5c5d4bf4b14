// relax_for_prefilter(): see prefilter_relax.h.

#include "detect/signature/prefilter_relax.h"

namespace weir::detect {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses "{n,m}" at regex[i]; false when it is not a bounded repeat
// (then '{' is a literal in PCRE, or `{n}` / `{n,}` which we keep).
bool parse_bounded(std::string_view re, size_t i, unsigned* lo, unsigned* hi, size_t* end) {
  size_t j = i + 1;
  unsigned a = 0, b = 0;
  size_t digits = 0;
  while (j < re.size() && is_digit(re[j]) && digits < 6) a = a * 10 + (re[j++] - '0'), ++digits;
  if (digits == 0 || j >= re.size() || re[j] != ',') return false;
  ++j;
  digits = 0;
  while (j < re.size() && is_digit(re[j]) && digits < 6) b = b * 10 + (re[j++] - '0'), ++digits;
  if (digits == 0 || j >= re.size() || re[j] != '}') return false;
  *lo = a;
  *hi = b;
  *end = j + 1;
  return true;
}

// Index just past the escape starting at re[i] == '\\'.
size_t skip_escape(std::string_view re, size_t i) {
  if (i + 1 >= re.size()) return re.size();
  char c = re[i + 1];
  if ((c == 'x' || c == 'p' || c == 'P' || c == 'o' || c == 'N') && i + 2 < re.size() &&
      re[i + 2] == '{') {
    size_t close = re.find('}', i + 3);
    return close == std::string_view::npos ? re.size() : close + 1;
  }
  return i + 2;
}

// Index just past the character class starting at re[i] == '['.
size_t skip_class(std::string_view re, size_t i) {
  size_t j = i + 1;
  if (j < re.size() && re[j] == '^') ++j;
  if (j < re.size() && re[j] == ']') ++j;  // a leading ']' is a member
  while (j < re.size()) {
    if (re[j] == '\\') {
      j = skip_escape(re, j);
    } else if (re[j] == '[' && j + 1 < re.size() && re[j + 1] == ':') {
      size_t close = re.find(":]", j + 2);
      j = close == std::string_view::npos ? re.size() : close + 2;
    } else if (re[j] == ']') {
      return j + 1;
    } else {
      ++j;
    }
  }
  return re.size();
}

}  // namespace

std::string relax_for_prefilter(std::string_view re) {
  if (re.find("\\Q") != std::string_view::npos) return std::string(re);
  std::string out;
  out.reserve(re.size());
  size_t i = 0;
  bool after_atom = false;  // a quantifier here applies to something
  while (i < re.size()) {
    char c = re[i];
    size_t next = i + 1;
    if (c == '\\') {
      next = skip_escape(re, i);
      after_atom = true;
    } else if (c == '[') {
      next = skip_class(re, i);
      after_atom = true;
    } else if (c == '(') {
      after_atom = false;
    } else if (c == '|') {
      after_atom = false;
    } else if (c == '{' && after_atom) {
      unsigned lo = 0, hi = 0;
      size_t end = 0;
      if (parse_bounded(re, i, &lo, &hi, &end) && hi >= kRelaxMinUpperBound && lo <= hi) {
        out += lo == 0 ? "*" : lo == 1 ? "+" : "{" + std::to_string(lo) + ",}";
        i = end;
        after_atom = false;
        continue;
      }
      // `{n}`, `{n,}`, small bounds or a literal '{': copied as is.
      size_t close = parse_bounded(re, i, &lo, &hi, &end) ? end : next;
      out.append(re.substr(i, close - i));
      i = close;
      after_atom = false;
      continue;
    } else if (c == '*' || c == '+' || c == '?') {
      after_atom = false;
    } else {
      after_atom = true;  // literal, '.', ')', '^', '$'
    }
    out.append(re.substr(i, next - i));
    i = next;
  }
  return out;
}

}  // namespace weir::detect
