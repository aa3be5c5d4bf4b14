// may_match_within(): a recursive descent over the Hyperscan regex syntax
// that answers, per sub-expression, "can it match some string over the
// alphabet?" (concatenation: every item can; alternation: one branch can;
// an item repeated at least zero times always can). See alphabet_reach.h.

#include "detect/signature/alphabet_reach.h"

#include <hs/hs.h>

#include <cstddef>
#include <string_view>

#include "detect/signature/regex_escape.h"

namespace weir::detect {
namespace {

ByteSet range(unsigned lo, unsigned hi) {
  ByteSet s;
  for (unsigned b = lo; b <= hi; ++b) s.set(b);
  return s;
}

ByteSet all_bytes() { return ByteSet().set(); }

class Reach {
 public:
  Reach(std::string_view re, unsigned flags, const ByteSet& alphabet)
      : re_(re), caseless_((flags & HS_FLAG_CASELESS) != 0), dotall_((flags & HS_FLAG_DOTALL) != 0),
        alphabet_(alphabet) {}

  bool run() {
    bool r = alternation();
    if (unsure_ || pos_ != re_.size()) return true;
    return r;
  }

 private:
  bool more() const { return pos_ < re_.size(); }
  char peek() const { return re_[pos_]; }
  // Syntax this analysis does not model: the answer becomes "may match".
  bool give_up() {
    unsure_ = true;
    pos_ = re_.size();
    return true;
  }

  bool hits(ByteSet s) const {
    if (caseless_) {
      for (unsigned b = 'A'; b <= 'Z'; ++b)
        if (s[b] || s[b + 32]) s.set(b).set(b + 32);
    }
    return (s & alphabet_).any();
  }

  bool alternation() {
    bool any = sequence();
    while (!unsure_ && more() && peek() == '|') {
      ++pos_;
      any = sequence() || any;  // parse every branch
    }
    return any;
  }

  bool sequence() {
    bool all = true;
    while (!unsure_ && more() && peek() != '|' && peek() != ')') {
      bool a = atom();
      if (unsure_) break;
      unsigned lo = 1;
      if (!quantifier(&lo)) break;
      if (lo > 0) all = all && a;
    }
    return all;
  }

  // Reads an optional quantifier; `lo` = its minimum (1 without one).
  bool quantifier(unsigned* lo) {
    if (!more()) return true;
    char c = peek();
    if (c == '*' || c == '?') {
      *lo = 0;
      ++pos_;
    } else if (c == '+') {
      ++pos_;
    } else if (c == '{') {
      size_t p = pos_ + 1;
      unsigned n = 0;
      size_t digits_seen = 0;
      while (p < re_.size() && re_[p] >= '0' && re_[p] <= '9') {
        n = n * 10 + static_cast<unsigned>(re_[p] - '0');
        if (n > 100000) return give_up();
        ++p;
        ++digits_seen;
      }
      if (digits_seen == 0) return true;  // a literal '{' (Hyperscan: error anyway)
      if (p < re_.size() && re_[p] == ',') {
        ++p;
        while (p < re_.size() && re_[p] >= '0' && re_[p] <= '9') ++p;
      }
      if (p >= re_.size() || re_[p] != '}') return true;  // literal '{'
      pos_ = p + 1;
      *lo = n;
    } else {
      return true;
    }
    if (more() && (peek() == '?' || peek() == '+')) ++pos_;  // lazy / possessive
    if (more() && (peek() == '*' || peek() == '+' || peek() == '?' || peek() == '{')) return give_up();
    return true;
  }

  bool atom() {
    char c = peek();
    switch (c) {
      case '(': {
        ++pos_;
        if (more() && peek() == '?') {
          if (pos_ + 1 < re_.size() && re_[pos_ + 1] == ':') pos_ += 2;
          else return give_up();  // look-around, inline options, named groups
        }
        bool in = alternation();
        if (unsure_ || !more() || peek() != ')') return give_up();
        ++pos_;
        return in;
      }
      case '[': return hits(char_class());
      case '.': {
        ++pos_;
        ByteSet s = all_bytes();
        if (!dotall_) s.reset('\n');
        return hits(s);
      }
      case '^':
      case '$': ++pos_; return true;
      case '\\': {
        ByteSet s;
        if (!escape(&s, false)) return true;  // zero-width (or gave up)
        return hits(s);
      }
      case '*':
      case '+':
      case '?':
      case ')': return give_up();
      default: {
        ++pos_;
        ByteSet s;
        s.set(static_cast<unsigned char>(c));
        return hits(s);
      }
    }
  }

  // The bytes an escape matches into `out`; false for a zero-width escape
  // or when the analysis gave up.
  bool escape(ByteSet* out, bool in_class) {
    const RegexEscape e = read_escape(re_, pos_, in_class);
    pos_ += e.length;
    switch (e.kind) {
      case RegexEscape::Kind::Byte: out->set(e.byte); return true;
      case RegexEscape::Kind::Class: *out |= e.bytes; return true;
      case RegexEscape::Kind::ZeroWidth: return false;
      case RegexEscape::Kind::Unsupported: break;
    }
    give_up();
    return false;
  }

  // [...] with ranges, escapes, negation and POSIX classes.
  ByteSet char_class() {
    ++pos_;  // '['
    bool negate = false;
    if (more() && peek() == '^') {
      negate = true;
      ++pos_;
    }
    ByteSet s;
    bool first = true;
    while (more() && (peek() != ']' || first)) {
      first = false;
      if (peek() == '[' && pos_ + 1 < re_.size() && re_[pos_ + 1] == ':') {
        size_t close = re_.find(":]", pos_ + 2);
        if (close == std::string_view::npos) {
          give_up();
          return all_bytes();
        }
        s |= all_bytes();  // POSIX class: modelled as "any byte"
        pos_ = close + 2;
        continue;
      }
      ByteSet item;
      unsigned lo = 0;
      bool single = false;
      if (peek() == '\\') {
        ByteSet e;
        if (!escape(&e, true)) {
          give_up();
          return all_bytes();
        }
        if (e.count() == 1) {
          for (unsigned b = 0; b < 256; ++b)
            if (e[b]) lo = b;
          single = true;
        }
        item = e;
      } else {
        lo = static_cast<unsigned char>(peek());
        ++pos_;
        item.set(lo);
        single = true;
      }
      // A range "lo-hi" (a '-' before ']' is a literal).
      if (single && pos_ + 1 < re_.size() && peek() == '-' && re_[pos_ + 1] != ']') {
        ++pos_;
        unsigned hi = 0;
        if (peek() == '\\') {
          ByteSet e;
          if (!escape(&e, true) || e.count() != 1) {
            give_up();
            return all_bytes();
          }
          for (unsigned b = 0; b < 256; ++b)
            if (e[b]) hi = b;
        } else {
          hi = static_cast<unsigned char>(peek());
          ++pos_;
        }
        if (hi < lo) {
          give_up();
          return all_bytes();
        }
        item = range(lo, hi);
      }
      s |= item;
    }
    if (!more()) {
      give_up();
      return all_bytes();
    }
    ++pos_;  // ']'
    if (caseless_) {
      for (unsigned b = 'A'; b <= 'Z'; ++b)
        if (s[b] || s[b + 32]) s.set(b).set(b + 32);
    }
    return negate ? ~s : s;
  }

  std::string_view re_;
  size_t pos_ = 0;
  bool caseless_;
  bool dotall_;
  bool unsure_ = false;
  const ByteSet& alphabet_;
};

}  // namespace

bool may_match_within(std::string_view regex, unsigned hs_flags, const ByteSet& alphabet) {
  return Reach(regex, hs_flags, alphabet).run();
}

}  // namespace weir::detect
