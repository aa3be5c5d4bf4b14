// relax_for_prefilter(): see prefilter_relax.h.

#include "detect/signature/prefilter_relax.h"

#include <vector>

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

// Index just past the group starting at re[i] == '(', or npos.
size_t skip_group(std::string_view re, size_t i) {
  size_t depth = 0;
  for (size_t j = i; j < re.size();) {
    if (re[j] == '\\') {
      j = skip_escape(re, j);
    } else if (re[j] == '[') {
      j = skip_class(re, j);
    } else {
      if (re[j] == '(') ++depth;
      if (re[j] == ')' && --depth == 0) return j + 1;
      ++j;
    }
  }
  return std::string_view::npos;
}

// One top-level piece: an atom and its quantifier, re[begin, atom_end) and
// re[atom_end, end).
struct Piece {
  size_t begin, atom_end, end;
  unsigned lo = 1, hi = 1;  // hi == kUnbounded for `*`, `+`, `{n,}`
};
constexpr unsigned kUnbounded = ~0u;

// Parses the quantifier at re[i] into `p` (lo, hi, end); none: end = i.
void parse_quantifier(std::string_view re, size_t i, Piece& p) {
  p.end = i;
  if (i >= re.size()) return;
  char c = re[i];
  size_t end = i + 1;
  if (c == '*') {
    p.lo = 0, p.hi = kUnbounded;
  } else if (c == '+') {
    p.lo = 1, p.hi = kUnbounded;
  } else if (c == '?') {
    p.lo = 0, p.hi = 1;
  } else if (c == '{') {
    unsigned lo = 0, hi = 0;
    size_t j = i + 1, digits = 0;
    while (j < re.size() && is_digit(re[j]) && digits < 6) lo = lo * 10 + (re[j++] - '0'), ++digits;
    if (digits == 0 || j >= re.size()) return;  // a literal '{'
    if (re[j] == '}') {
      hi = lo;
    } else if (re[j] == ',') {
      ++j;
      digits = 0;
      while (j < re.size() && is_digit(re[j]) && digits < 6) hi = hi * 10 + (re[j++] - '0'), ++digits;
      if (digits == 0) hi = kUnbounded;
      if (j >= re.size() || re[j] != '}') return;
    } else {
      return;
    }
    p.lo = lo, p.hi = hi;
    end = j + 1;
  } else {
    return;
  }
  if (end < re.size() && (re[end] == '?' || re[end] == '+')) ++end;  // lazy, possessive
  p.end = end;
}

}  // namespace

std::string trim_repeated_tail(std::string_view re) {
  if (re.find("\\Q") != std::string_view::npos) return std::string(re);
  for (size_t at = re.find("(?"); at != std::string_view::npos; at = re.find("(?", at + 2))
    if (at + 2 >= re.size() || re[at + 2] != ':') return std::string(re);
  std::vector<Piece> pieces;
  for (size_t i = 0; i < re.size();) {
    Piece p{i, 0, 0};
    char c = re[i];
    if (c == '|') return std::string(re);  // top-level alternation
    if (c == '\\') {
      p.atom_end = skip_escape(re, i);
    } else if (c == '[') {
      p.atom_end = skip_class(re, i);
    } else if (c == '(') {
      p.atom_end = skip_group(re, i);
      if (p.atom_end == std::string_view::npos) return std::string(re);
    } else if (c == ')' || c == '*' || c == '+' || c == '?') {
      return std::string(re);  // unbalanced or a quantifier without an atom
    } else {
      p.atom_end = i + 1;
    }
    parse_quantifier(re, p.atom_end, p);
    pieces.push_back(p);
    i = p.end;
  }
  size_t keep = pieces.size();
  while (keep > 1 && pieces[keep - 1].lo == 0) --keep;
  if (keep == 0) return std::string(re);
  const Piece& last = pieces[keep - 1];
  std::string out(re.substr(0, last.atom_end));
  if (last.lo == last.hi || last.lo == 0) {  // fixed, or the one piece left
    out.append(re.substr(last.atom_end, last.end - last.atom_end));
  } else if (last.lo > 1) {
    out += "{" + std::to_string(last.lo) + "}";
  }
  return out;
}

std::string anchors_as_separators(std::string_view re) {
  std::string out;
  out.reserve(re.size() + 4);
  for (size_t i = 0; i < re.size();) {
    size_t next = i + 1;
    if (re[i] == '\\') {
      next = skip_escape(re, i);
    } else if (re[i] == '[') {
      next = skip_class(re, i);
    } else if (re[i] == '^') {
      out += "\\n";
      i = next;
      continue;
    }
    out.append(re.substr(i, next - i));
    i = next;
  }
  return out;
}

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
