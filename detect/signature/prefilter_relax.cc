// relax_for_prefilter(): see prefilter_relax.h.

#include "detect/signature/prefilter_relax.h"

#include <string>
#include <utility>
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

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Length of the literal punctuation byte at alt[i] (`\``, `` ` ``, `\|`), 0
// when it is not one or a quantifier follows it.
size_t punct_literal_at(std::string_view alt, size_t i) {
  size_t n = 0;
  if (i + 1 < alt.size() && alt[i] == '\\' && !is_alnum(alt[i + 1])) n = 2;
  else if (i < alt.size() && !is_alnum(alt[i]) && std::string_view("\\()[]{}|^$.?*+ \t\n").find(alt[i]) == std::string_view::npos)
    n = 1;
  if (n == 0) return 0;
  if (i + n < alt.size() && std::string_view("?*+{").find(alt[i + n]) != std::string_view::npos) return 0;
  return n;
}

// `alt` (one alternative, or the whole regex) without its leading context.
std::string strip_context(std::string_view alt) {
  // A `\b` goes before a group or a word of 3+ letters; before a shorter
  // one it is what keeps the literal rare (`\bon[a-z]{3,}=` vs "monkey=").
  while (alt.size() > 2 && alt.substr(0, 2) == "\\b") {
    size_t letters = 0;
    while (2 + letters < alt.size() && is_alnum(alt[2 + letters])) ++letters;
    bool quantified = 2 + letters < alt.size() && std::string_view("?*+{").find(alt[2 + letters]) != std::string_view::npos;
    if (!(alt[2] == '(' || letters - (quantified ? 1 : 0) >= 3)) break;
    alt.remove_prefix(2);
  }
  size_t head = 0;
  if (alt.substr(0, 3) == "(^|") head = 3;
  else if (alt.substr(0, 4) == "(\\n|") head = 4;
  if (head > 0) {
    size_t i = head, end = std::string_view::npos;
    if (i < alt.size() && alt[i] == '[') end = skip_class(alt, i);
    else if (i < alt.size() && alt[i] == '\\') end = skip_escape(alt, i);
    else if (i < alt.size() && std::string_view("()|").find(alt[i]) == std::string_view::npos) end = i + 1;
    if (end != std::string_view::npos && end < alt.size() && alt[end] == ')' && punct_literal_at(alt, end + 1) > 0)
      alt.remove_prefix(end + 1);
  }
  return std::string(alt);
}

// Top-level alternatives of the group re[open, close) ('(' at open, ')' at
// close - 1), as [begin, end) offsets; empty when it is a `(?` group.
std::vector<std::pair<size_t, size_t>> alternatives(std::string_view re, size_t open, size_t close) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t begin = open + 1;
  if (begin < re.size() && re[begin] == '?') return out;
  int depth = 0;
  for (size_t j = begin; j + 1 < close;) {
    char c = re[j];
    if (c == '\\') { j = skip_escape(re, j); continue; }
    if (c == '[') { j = skip_class(re, j); continue; }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == '|' && depth == 0) {
      out.push_back({begin, j});
      begin = j + 1;
    }
    ++j;
  }
  out.push_back({begin, close - 1});
  return out;
}

}  // namespace

std::string drop_leading_context(std::string_view re) {
  if (re.find("\\Q") != std::string_view::npos) return std::string(re);
  // A top-level '|' makes every alternative a start of its own.
  {
    int depth = 0;
    for (size_t j = 0; j < re.size();) {
      char c = re[j];
      if (c == '\\') { j = skip_escape(re, j); continue; }
      if (c == '[') { j = skip_class(re, j); continue; }
      if (c == '(') ++depth;
      if (c == ')') --depth;
      if (c == '|' && depth == 0) return std::string(re);
      ++j;
    }
  }
  std::string out = strip_context(re);
  if (out.empty() || out[0] != '(') return out.empty() ? std::string(re) : out;
  size_t close = skip_group(out, 0);
  if (close == std::string_view::npos || close >= out.size()) return out;
  if (std::string_view("?*+{").find(out[close]) != std::string_view::npos) return out;  // quantified
  auto alts = alternatives(out, 0, close);
  if (alts.empty()) return out;
  std::string group = "(";
  for (size_t k = 0; k < alts.size(); ++k) {
    std::string a = strip_context(std::string_view(out).substr(alts[k].first, alts[k].second - alts[k].first));
    if (a.empty()) return out;
    if (k > 0) group += '|';
    group += a;
  }
  return group + out.substr(close - 1);
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
