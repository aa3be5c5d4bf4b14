// necessary_literals(): see prefilter_literals.h.
//
// A recursive-descent pass over the regex computes, per sub-expression,
// either its exact (finite, small) language or one set of literals that
// every match of it contains. Anything not understood is "no information",
// which is always safe: it only makes the prefilter fall back to the regex.

#include "detect/signature/prefilter_literals.h"

#include <hs/hs.h>

#include <algorithm>
#include <bitset>
#include <cctype>

#include "detect/signature/prefilter_relax.h"
#include "detect/signature/regex_escape.h"

namespace weir::detect {
namespace {

using Strings = std::vector<std::string>;

// What benign API traffic looks like to a literal matcher: header values,
// URLs, tokens and JSON prose that uses SQL and shell words. A candidate
// set's strength is how rarely its literals occur here (then length), so
// "union" beats "select" and "/etc" beats "cat" (inside "application").
// Written for this purpose, not taken from any test corpus.
constexpr std::string_view kBackground =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/121.0.0.0 Safari/537.36\n"
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.2 Safari/605.1.15\n"
    "Mozilla/5.0 (X11; Linux x86_64; rv:122.0) Gecko/20100101 Firefox/122.0\n"
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) Mobile/15E148\n"
    "okhttp/4.12.0\ncurl/8.5.0\npython-requests/2.31.0\nGo-http-client/2.0\nPostmanRuntime/7.36.1\n"
    "application/json, text/plain, */*\ntext/html,application/xhtml+xml,application/xml;q=0.9,"
    "image/avif,image/webp,*/*;q=0.8\nen-US,en;q=0.9,de;q=0.8\ngzip, deflate, br, zstd\n"
    "application/x-www-form-urlencoded; charset=UTF-8\nmultipart/form-data; boundary=----"
    "WebKitFormBoundary7MA4YWxkTrZu0gW\nno-cache\nkeep-alive\nsame-origin\ncors\nempty\n"
    "\"Not A(Brand\";v=\"99\", \"Google Chrome\";v=\"121\", \"Chromium\";v=\"121\"\n"
    "api.shop.example\nhttps://www.shop.example/account/orders?page=2&sort=created_at&dir=desc\n"
    "https://app.example.com/dashboard/settings/profile#security\n"
    "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4g"
    "RG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n"
    "_ga=GA1.1.1423519274.1706102811; _gid=GA1.2.97531.1706102811; session_id=8f14e45fceea167a5a36"
    "dedd4bea2543; csrftoken=Qm9vdHN0cmFwIHRva2Vu; theme=dark; lang=en-US; consent=analytics%2Cads\n"
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\n"
    "d9428888-122b-11e1-b85c-61cd3cbb3210\n203.0.113.195, 70.41.3.18\n"
    "/api/v2/users/4711/orders/2024-00017/items?include=product,price&fields[product]=name,sku\n"
    "/graphql\n/static/js/main.3f9a1c.chunk.js\n/v1/search?q=red+running+shoes&category=sport\n"
    "Please select the delivery date and update the shipping address for order 4711. The union "
    "station pickup point is closed, so drop the parcel at the front desk or ping me by email.\n"
    "I cannot find the table from the last report; it says \"select * from sales\" returned an "
    "error. Could you check the settings and set the default currency to EUR? Thanks!\n"
    "Echo the command output into the log, then sleep for a while and try again with curl.\n"
    "The cat and the dog are sleeping; type your name and password to continue, or sign in "
    "with Google. Where is my refund? Order #1002 was delivered to the wrong home address.\n"
    "Great product, works as described. Battery life could be better and the case scratches easily.\n"
    "<p>Hello <strong>team</strong>, the <a href=\"https://docs.example.com/guide\">guide</a> "
    "is updated.</p><ul><li>item one</li><li>item two</li></ul>\n"
    "```js\nconst items = data.filter((x) => x.active && x.count > 0);\nconsole.log(items.length);\n```\n"
    "query GetOrders($first: Int, $after: String) { orders(first: $first, after: $after) { edges "
    "{ node { id total status createdAt } } } }\n"
    "{\"email\":\"maria.garcia@example.org\",\"name\":\"Maria Garcia\",\"phone\":\"+1-202-555-0147\","
    "\"address\":{\"line1\":\"221B Baker Street\",\"city\":\"London\",\"zip\":\"NW1 6XE\"},"
    "\"tags\":[\"vip\",\"newsletter\"],\"id\":\"5f8d0d55b54764421b7156c3\",\"enabled\":true,"
    "\"created_at\":\"2024-01-24T13:45:11.123Z\",\"amount\":129.99,\"currency\":\"USD\"}\n"
    "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient"
    ".example.com%2Fcb&client_id=s6BhdRkqt3&state=xyz&scope=openid%20profile%20email\n"
    "SAMLRequest=fZJNT%2BMwEIbvSPwHy%2FfGjoGlWjVFXRBaJBaqbOCwN%2BNMWmv9UWeclv33mDTIUUN2&RelayState=token\n"
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/"
    "soap/envelope/\"><soap:Body><GetPrice><Item>Apples</Item></GetPrice></soap:Body></soap:Envelope>\n"
    "{{ user.name }} {% if cart %}<%= title %>(); foo(bar); baz(); $('#id'); a || b && c; x => {}\n"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\n";

// Occurrences of the set's literals in kBackground (case folded when the
// literals are: they are lower case exactly when the pattern is caseless).
// Config time, but called per candidate window: string_view::find, not a
// byte loop, and the folded sample is built once.
size_t background_hits(const std::vector<std::string>& set, bool caseless) {
  static const std::string folded = [] {
    std::string f(kBackground);
    for (char& c : f)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return f;
  }();
  std::string_view text = caseless ? std::string_view(folded) : kBackground;
  size_t hits = 0;
  for (const std::string& lit : set) {
    if (lit.empty()) continue;
    for (size_t at = text.find(lit); at != std::string_view::npos; at = text.find(lit, at + 1)) ++hits;
  }
  return hits;
}

struct Info {
  bool exact = false;  ///< `set` is the whole language (may hold "")
  bool has = false;    ///< not exact: `set` is a necessary literal set
  Strings set;
  /// Not exact, and every match starts with a string of `set` (`\s+`):
  /// exact items before it may be extended by it (`host\s+` -> "host ").
  bool prefix = false;
  /// Not exact: any number of strings of `set` (`\s*`). What follows exact
  /// items and it starts with one of them or with the item after it.
  bool star = false;
};

Info exact_of(Strings s) {
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  return {true, false, std::move(s), false};
}
Info nothing() { return {}; }
Info empty_string() { return exact_of({""}); }

size_t min_len(const Strings& s) {
  size_t m = SIZE_MAX;
  for (const std::string& x : s) m = std::min(m, x.size());
  return s.empty() ? 0 : m;
}

// A necessary set this info offers, or nullptr.
const Strings* candidate(const Info& i) {
  if (i.exact) return min_len(i.set) > 0 ? &i.set : nullptr;
  return i.has ? &i.set : nullptr;
}

// Long enough to be rare in real traffic on its own (prefilter_literals.h).
bool long_enough(const std::string& lit) {
  bool punct = !lit.empty();
  for (char ch : lit) punct = punct && !std::isalnum(static_cast<unsigned char>(ch));
  return lit.size() >= (punct ? kMinPunctLiteral : kMinPrefilterLiteral);
}

// Fewer background hits, then a longer shortest literal, then fewer literals.
bool stronger(const Strings& a, const Strings& b, bool caseless) {
  size_t ha = background_hits(a, caseless), hb = background_hits(b, caseless);
  if (ha != hb) return ha < hb;
  size_t la = min_len(a), lb = min_len(b);
  if (la != lb) return la > lb;
  return a.size() < b.size();
}

// a x b, or false when it would exceed kMaxExactStrings.
bool product(const Strings& a, const Strings& b, Strings* out) {
  if (a.size() * b.size() > kMaxExactStrings) return false;
  Strings r;
  r.reserve(a.size() * b.size());
  for (const std::string& x : a)
    for (const std::string& y : b) r.push_back(x + y);
  std::sort(r.begin(), r.end());
  r.erase(std::unique(r.begin(), r.end()), r.end());
  *out = std::move(r);
  return true;
}

Info concat(const std::vector<Info>& items, bool caseless) {
  const Strings* best = nullptr;
  Strings best_storage;
  auto offer = [&](const Strings& s) {
    if (min_len(s) == 0) return;
    if (best == nullptr || stronger(s, *best, caseless)) {
      best_storage = s;
      best = &best_storage;
    }
  };
  bool all_exact = true;
  Strings whole{""};
  bool whole_ok = true;
  for (size_t i = 0; i < items.size(); ++i) {
    const Info& it = items[i];
    if (!it.exact) {
      all_exact = false;
      if (it.has) offer(it.set);
      continue;
    }
    if (whole_ok) whole_ok = product(whole, it.set, &whole);
    // Every window of exact items starting here, while it stays small; a
    // window may end with the prefixes of the item after it.
    Strings w{""};
    for (size_t j = i; j < items.size(); ++j) {
      if (!items[j].exact) {
        // Only a window rare enough alone is made longer: "db" + "." would
        // pass the length rule while "db" is in every cookie.
        if (!std::all_of(w.begin(), w.end(), long_enough)) break;
        Strings p;
        if (items[j].prefix && product(w, items[j].set, &p)) {
          offer(p);
        } else if (items[j].star && j + 1 < items.size() && (items[j + 1].exact || items[j + 1].prefix)) {
          // `system\s*\(` -> "system(", "system " ...
          Strings first = items[j].set;
          first.insert(first.end(), items[j + 1].set.begin(), items[j + 1].set.end());
          std::sort(first.begin(), first.end());
          first.erase(std::unique(first.begin(), first.end()), first.end());
          if (product(w, first, &p)) offer(p);
        }
        break;
      }
      if (!product(w, items[j].set, &w)) break;
      offer(w);
    }
  }
  if (all_exact && whole_ok) return exact_of(std::move(whole));
  Info r;
  if (best != nullptr) {
    r.has = true;
    r.set = *best;
  }
  return r;
}

Info alternate(const std::vector<Info>& alts) {
  if (alts.size() == 1) return alts[0];
  bool all_exact = true;
  size_t total = 0;
  for (const Info& a : alts) {
    all_exact = all_exact && a.exact;
    total += a.set.size();
  }
  Strings u;
  if (all_exact && total <= kMaxExactStrings) {
    for (const Info& a : alts) u.insert(u.end(), a.set.begin(), a.set.end());
    return exact_of(std::move(u));
  }
  for (const Info& a : alts) {
    const Strings* c = candidate(a);
    if (c == nullptr) return nothing();
    u.insert(u.end(), c->begin(), c->end());
  }
  Info r = exact_of(std::move(u));
  r.exact = false;
  r.has = true;
  return r;
}

Info repeat(const Info& in, unsigned lo, unsigned hi /* UINT32_MAX: unbounded */) {
  if (lo == 0) {
    if (hi == 1 && in.exact && in.set.size() + 1 <= kMaxExactStrings) {
      Strings s = in.set;
      s.push_back("");
      return exact_of(std::move(s));
    }
    Info r;
    if (in.exact && min_len(in.set) > 0) {
      r.star = true;
      r.set = in.set;
    }
    return r;
  }
  if (!in.exact) return in;  // at least one copy: its necessary set holds
  Strings p{""};
  unsigned k = 0;
  while (k < lo && product(p, in.set, &p)) ++k;
  if (k == lo && hi == lo) return exact_of(std::move(p));
  // p = the first k copies (k >= 1: in.set alone is small), a prefix of every match.
  if (k == 0) p = in.set;
  Info r;
  if (min_len(p) > 0) {
    r.has = true;
    r.set = std::move(p);
    r.prefix = true;
  }
  return r;
}

char fold(char c, bool caseless) {
  return caseless && c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

class Parser {
 public:
  Parser(std::string_view re, bool caseless) : re_(re), caseless_(caseless) {}

  bool run(Info* out) {
    *out = alternation();
    return ok_ && pos_ == re_.size();
  }

 private:
  bool more() const { return pos_ < re_.size(); }
  char peek() const { return re_[pos_]; }
  Info fail() {
    ok_ = false;
    pos_ = re_.size();
    return nothing();
  }

  Info alternation() {
    std::vector<Info> alts{sequence()};
    while (ok_ && more() && peek() == '|') {
      ++pos_;
      alts.push_back(sequence());
    }
    return alternate(alts);
  }

  Info sequence() {
    std::vector<Info> items;
    while (ok_ && more() && peek() != '|' && peek() != ')') {
      Info a = atom();
      if (!ok_) break;
      items.push_back(quantified(std::move(a)));
    }
    if (items.empty()) return empty_string();
    return concat(items, caseless_);
  }

  Info literal(unsigned char c) { return exact_of({std::string(1, fold(static_cast<char>(c), caseless_))}); }

  Info from_bytes(const std::bitset<256>& bytes) {
    std::bitset<256> folded;
    for (unsigned b = 0; b < 256; ++b) {
      if (!bytes[b]) continue;
      folded.set(static_cast<unsigned char>(fold(static_cast<char>(b), caseless_)));
    }
    if (folded.count() > kMaxClassMembers || folded.none()) return nothing();
    Strings s;
    for (unsigned b = 0; b < 256; ++b)
      if (folded[b]) s.emplace_back(1, static_cast<char>(b));
    return exact_of(std::move(s));
  }

  Info atom() {
    char c = peek();
    switch (c) {
      case '(': {
        ++pos_;
        if (more() && peek() == '?') {
          if (pos_ + 1 < re_.size() && re_[pos_ + 1] == ':') pos_ += 2;
          else return fail();  // look-around, inline options, named groups
        }
        Info in = alternation();
        if (!ok_ || !more() || peek() != ')') return fail();
        ++pos_;
        return in;
      }
      case '[': return char_class();
      case '.': ++pos_; return nothing();
      case '^':
      case '$': ++pos_; return empty_string();
      case '\\': return escape();
      case '*':
      case '+':
      case '?': return fail();
      default: ++pos_; return literal(static_cast<unsigned char>(c));
    }
  }

  // Escape outside a class. Fills `byte` for a single byte; returns false
  // for a class-like or zero-width escape (then `info` is set) or failure.
  bool escape_byte(unsigned char* byte, Info* info, bool in_class) {
    const RegexEscape e = read_escape(re_, pos_, in_class);
    pos_ += e.length;
    switch (e.kind) {
      case RegexEscape::Kind::Byte: *byte = e.byte; return true;
      case RegexEscape::Kind::ZeroWidth: *info = empty_string(); return false;
      case RegexEscape::Kind::Class:
        // Whitespace is a small exact class (\v too: a superset of the
        // bytes \s matches keeps the literal set necessary), so windows
        // like ";\s?drop" multiply out into rare literals; other class
        // escapes are large.
        *info = e.letter == 's' && !in_class ? from_bytes(e.bytes) : nothing();
        return false;
      case RegexEscape::Kind::Unsupported: break;
    }
    fail();
    return false;
  }

  Info escape() {
    unsigned char b = 0;
    Info i;
    if (escape_byte(&b, &i, false)) return literal(b);
    return ok_ ? i : nothing();
  }

  // [...]: exact when it has few members, else no information. Class
  // escapes (\w, \s ...) and POSIX classes make it large.
  Info char_class() {
    ++pos_;
    bool negate = false;
    bool large = false;
    std::bitset<256> bytes;
    if (more() && peek() == '^') {
      negate = true;
      ++pos_;
    }
    bool first = true;
    while (ok_) {
      if (!more()) return fail();
      char c = peek();
      if (c == ']' && !first) {
        ++pos_;
        break;
      }
      first = false;
      unsigned char lo = 0;
      if (c == '[' && pos_ + 1 < re_.size() && re_[pos_ + 1] == ':') {
        size_t close = re_.find(":]", pos_ + 2);
        if (close == std::string_view::npos) return fail();
        pos_ = close + 2;
        large = true;
        continue;
      }
      if (c == '\\') {
        Info dummy;
        if (!escape_byte(&lo, &dummy, true)) {
          if (!ok_) return nothing();
          large = true;  // \w, \s, \d, \p{..} inside a class
          continue;
        }
      } else {
        lo = static_cast<unsigned char>(c);
        ++pos_;
      }
      unsigned char hi = lo;
      if (more() && peek() == '-' && pos_ + 1 < re_.size() && re_[pos_ + 1] != ']') {
        ++pos_;
        char d = peek();
        if (d == '\\') {
          Info dummy;
          if (!escape_byte(&hi, &dummy, true)) return fail();
        } else if (d == '[') {
          return fail();
        } else {
          hi = static_cast<unsigned char>(d);
          ++pos_;
        }
        if (hi < lo) return fail();
      }
      for (unsigned v = lo; v <= hi; ++v) bytes.set(v);
    }
    if (!ok_) return nothing();
    if (large) return nothing();
    if (negate) {
      // Case-insensitive complements are hard to get right; a negated
      // class is large in practice anyway.
      return nothing();
    }
    if (caseless_) {
      for (unsigned v = 'a'; v <= 'z'; ++v)
        if (bytes[v] || bytes[v - 32]) bytes.set(v), bytes.set(v - 32);
    }
    return from_bytes(bytes);
  }

  bool number(unsigned* v) {
    size_t start = pos_;
    unsigned x = 0;
    while (more() && peek() >= '0' && peek() <= '9' && pos_ - start < 6) x = x * 10 + (re_[pos_++] - '0');
    *v = x;
    return pos_ > start;
  }

  Info quantified(Info a) {
    while (ok_ && more()) {
      char c = peek();
      unsigned lo = 0, hi = UINT32_MAX;
      if (c == '*') {
        ++pos_;
      } else if (c == '+') {
        ++pos_;
        lo = 1;
      } else if (c == '?') {
        ++pos_;
        hi = 1;
      } else if (c == '{') {
        size_t save = pos_;
        ++pos_;
        if (!number(&lo)) {
          pos_ = save;  // a literal '{': the next atom
          return a;
        }
        if (more() && peek() == '}') {
          hi = lo;
        } else if (more() && peek() == ',') {
          ++pos_;
          if (!number(&hi)) hi = UINT32_MAX;
        }
        if (!more() || peek() != '}' || hi < lo) {
          pos_ = save;
          return a;
        }
        ++pos_;
      } else {
        return a;
      }
      if (more() && (peek() == '?' || peek() == '+')) ++pos_;  // lazy / possessive
      a = repeat(a, lo, hi);
    }
    return a;
  }

  std::string_view re_;
  bool caseless_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

size_t NecessaryLiterals::min_length() const { return min_len(literals); }

NecessaryLiterals necessary_literals(std::string_view regex, unsigned hs_flags) {
  NecessaryLiterals out;
  if ((hs_flags & HS_FLAG_UTF8) != 0) return out;
  Parser p(regex, (hs_flags & HS_FLAG_CASELESS) != 0);
  Info root;
  if (!p.run(&root)) return out;
  const Strings* c = candidate(root);
  if (c == nullptr) return out;
  out.found = true;
  out.literals = *c;
  out.background_hits = background_hits(out.literals, (hs_flags & HS_FLAG_CASELESS) != 0);
  return out;
}

std::string prefilter_expression(std::string_view regex, unsigned hs_flags) {
  NecessaryLiterals n = necessary_literals(regex, hs_flags);
  if (!n.found || n.background_hits > kMaxBackgroundHits)
    return drop_leading_context(anchors_as_separators(trim_repeated_tail(relax_for_prefilter(regex))));
  for (const std::string& lit : n.literals) {
    if (!long_enough(lit))
      return drop_leading_context(anchors_as_separators(trim_repeated_tail(relax_for_prefilter(regex))));
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out = "(?:";
  for (size_t i = 0; i < n.literals.size(); ++i) {
    if (i > 0) out += '|';
    for (char ch : n.literals[i]) {
      auto b = static_cast<unsigned char>(ch);
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  out += ')';
  return out;
}

}  // namespace weir::detect
