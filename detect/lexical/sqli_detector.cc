// Fingerprints over the token stream of sql_lexer.h; see sqli_detector.h.

#include "detect/lexical/sqli_detector.h"

#include "detect/lexical/sql_lexer.h"

namespace weir::detect {
namespace {

using T = SqlTokenType;

// Only the first tokens of the code part decide; a window keeps the detector
// O(n) in the worst case and allocation-free.
constexpr size_t kWindow = 12;

struct TokenWindow {
  SqlToken tok[kWindow];
  size_t count = 0;
  bool more = false;  ///< tokens beyond the window exist
};

// Comments between tokens are whitespace to the database ("1--x\nORDER--x\nBY
// 3", "UNION/**/SELECT"): only a comment that ends the value is kept, since
// terminating the rest of the query is what it does there.
void fill(SqlLexer& lx, TokenWindow& w) {
  SqlToken t;
  bool pending_comment = false;
  SqlToken comment{};
  while (w.count < kWindow && lx.next(t)) {
    if (t.type == SqlTokenType::Comment) {
      pending_comment = true;
      comment = t;
      continue;
    }
    pending_comment = false;
    w.tok[w.count++] = t;
  }
  if (pending_comment && w.count < kWindow) {
    w.tok[w.count++] = comment;
    return;
  }
  w.more = w.count == kWindow && lx.next(t);
}

bool is_operand(T t) {
  return t == T::String || t == T::Number || t == T::Word || t == T::Variable ||
         t == T::Function || t == T::LParen || t == T::Keyword;
}

bool word_is(const SqlLexer& lx, const SqlToken& t, const char* w) {
  std::string_view s = lx.text_of(t);
  size_t i = 0;
  for (; w[i] != '\0'; ++i) {
    if (i >= s.size()) return false;
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != w[i]) return false;
  }
  return i == s.size();
}

bool is_trailing_open_string(const TokenWindow& w, size_t i) {
  return w.tok[i].type == T::String && !w.tok[i].closed && i + 1 == w.count && !w.more;
}

// A comment that ends the attacker's query: the rest of the value is inside
// it, and it carries no text ("--", "-- -", "#", "/*"). "#fff" is not one.
bool is_terminating_comment(const SqlLexer& lx, const TokenWindow& w, size_t i) {
  if (w.tok[i].type != T::Comment || i + 1 != w.count || w.more) return false;
  std::string_view c = lx.text_of(w.tok[i]);
  if (c.size() >= 3 && c[0] == '-' && c[1] == '-' && (c[2] == ' ' || c[2] == '\t')) return true;
  for (char ch : c)
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) return false;
  return true;
}

// UNION [ALL|DISTINCT] [(] SELECT starting at i.
bool union_select_at(const SqlLexer& lx, const TokenWindow& w, size_t i, size_t& after) {
  if (i >= w.count || w.tok[i].type != T::Union) return false;
  ++i;
  while (i < w.count && (w.tok[i].type == T::LParen ||
                         (w.tok[i].type == T::Keyword &&
                          (word_is(lx, w.tok[i], "all") || word_is(lx, w.tok[i], "distinct")))))
    ++i;
  if (i < w.count && w.tok[i].type == T::Statement && word_is(lx, w.tok[i], "select")) {
    after = i + 1;
    return true;
  }
  return false;
}

// Statements that are an attack on their own after a quote or ";".
bool is_stacked_statement(const SqlLexer& lx, const TokenWindow& w, size_t i) {
  if (i >= w.count || w.tok[i].type != T::Statement) return false;
  static constexpr const char* kStrong[] = {"drop", "exec", "execute", "declare", "shutdown",
                                            "waitfor", "truncate", "alter", "create", "grant"};
  for (const char* s : kStrong)
    if (word_is(lx, w.tok[i], s)) return true;
  // select/insert/update/delete need a second SQL word to be told from prose.
  for (size_t j = i + 1; j < w.count && j < i + 6; ++j) {
    const SqlToken& t = w.tok[j];
    if (t.type == T::Keyword && (word_is(lx, t, "from") || word_is(lx, t, "into") ||
                                 word_is(lx, t, "set") || word_is(lx, t, "null")))
      return true;
    if (t.type == T::Function || t.type == T::Variable) return true;
  }
  return false;
}

// The first select-list item says whether "union select" is SQL or prose.
bool select_list_evidence(const SqlLexer& lx, const TokenWindow& w, size_t i) {
  if (i >= w.count) return false;
  const SqlToken& t = w.tok[i];
  if (t.type == T::Number || t.type == T::Variable || t.type == T::Function ||
      t.type == T::String)
    return true;
  if (t.type == T::Keyword && word_is(lx, t, "null")) return true;
  if (t.type == T::Operator && lx.text_of(t) == "*") return true;
  // "union select username, password from users"
  if (t.type == T::Word && i + 1 < w.count &&
      (w.tok[i + 1].type == T::Comma ||
       (w.tok[i + 1].type == T::Keyword && word_is(lx, w.tok[i + 1], "from"))))
    return true;
  return false;
}

bool has_dangerous_call(const SqlLexer& lx, const TokenWindow& w, size_t from) {
  for (size_t i = from; i < w.count; ++i)
    if (w.tok[i].type == T::Function && sql_dangerous_function(lx.text_of(w.tok[i]))) return true;
  return false;
}

// After boolean logic: an operand and something that makes it a condition.
bool boolean_tail(const SqlLexer& lx, const TokenWindow& w, size_t i, bool strict) {
  while (i < w.count && w.tok[i].type == T::Logic) ++i;  // "or not", "and !"
  if (i >= w.count || !is_operand(w.tok[i].type)) return false;
  if (is_trailing_open_string(w, i)) return false;  // "'and' is a word"
  if (w.tok[i].type == T::Function || w.tok[i].type == T::LParen) return true;
  // A bare word needs a comparison or a comment after it: "' or x=x",
  // not "Tom' or Jerry". A literal needs the condition to go on the way SQL
  // does ("' or 'a'='a", "' or 1--", "' or 1 in (...)", or the end of the
  // value), not the way prose does ("choose 'or' vs 'and' in ...").
  if (!strict && w.tok[i].type != T::Word) {
    size_t k = i + 1;
    if (k >= w.count) return !w.more;
    T n = w.tok[k].type;
    return n == T::Operator || n == T::Comment || n == T::Semicolon || n == T::RParen ||
           is_trailing_open_string(w, k) ||
           (n == T::Function && sql_keyword(lx.text_of(w.tok[k])) == T::Operator);
  }
  // Bare context: "1 or 2 apples" is prose, "1 or 1=1" is not.
  size_t j = i + 1;
  if (j >= w.count) return false;
  T n = w.tok[j].type;
  if (n == T::Operator) return true;
  if (is_terminating_comment(lx, w, j)) return true;
  return false;
}

SqliVerdict after_string_break(const SqlLexer& lx, const TokenWindow& w) {
  size_t i = 0;
  while (i < w.count && w.tok[i].type == T::RParen) ++i;  // "')"
  if (i >= w.count) return {};
  const SqlToken& t = w.tok[i];
  size_t after = 0;
  switch (t.type) {
    case T::Logic:
      if (boolean_tail(lx, w, i + 1, false)) return {true, "string break + boolean logic"};
      break;
    case T::Union:
      if (union_select_at(lx, w, i, after)) return {true, "string break + union select"};
      break;
    case T::Semicolon:
      if (is_stacked_statement(lx, w, i + 1)) return {true, "string break + stacked query"};
      break;
    case T::Comment:
      if (is_terminating_comment(lx, w, i)) return {true, "string break + comment"};
      break;
    case T::Statement:
      if (is_stacked_statement(lx, w, i) && !word_is(lx, t, "select"))
        return {true, "string break + statement"};
      break;
    case T::Operator:
      // "'+sleep(5)+'", "'||(select ...)||'"
      if (i + 1 < w.count && w.tok[i + 1].type == T::Function &&
          sql_dangerous_function(lx.text_of(w.tok[i + 1])))
        return {true, "string break + function"};
      if (i + 2 < w.count && w.tok[i + 1].type == T::LParen && w.tok[i + 2].type == T::Statement)
        return {true, "string break + subquery"};
      // "x'='x" needs logic after it to be a tautology: "'='' or ''='"
      if (i + 2 < w.count && is_operand(w.tok[i + 1].type) && w.tok[i + 2].type == T::Logic &&
          boolean_tail(lx, w, i + 3, false))
        return {true, "string break + comparison + boolean"};
      break;
    case T::Keyword:
      // "' order by 3--", "' group by x having 1=1", "' into outfile"
      if ((word_is(lx, t, "order") || word_is(lx, t, "group")) && i + 2 < w.count &&
          w.tok[i + 1].type == T::Keyword && word_is(lx, w.tok[i + 1], "by") &&
          (w.tok[i + 2].type == T::Number || is_terminating_comment(lx, w, w.count - 1)))
        return {true, "string break + order/group by"};
      if (word_is(lx, t, "having") && boolean_tail(lx, w, i + 1, true))
        return {true, "string break + having"};
      if (word_is(lx, t, "into") && i + 1 < w.count &&
          (word_is(lx, w.tok[i + 1], "outfile") || word_is(lx, w.tok[i + 1], "dumpfile")))
        return {true, "string break + into outfile"};
      break;
    default: break;
  }
  return {};
}

// A value that opens with a subquery or a CASE expression, possibly after
// the column list of an ORDER BY it is appended to ("id DESC,(SELECT ...)",
// "name,(CASE WHEN ...)"): SQL, not prose, which never starts that way.
bool leading_subquery(const SqlLexer& lx, const TokenWindow& w) {
  size_t i = 0;
  while (i < w.count && i < 4 &&
         (w.tok[i].type == T::Word || w.tok[i].type == T::Number || w.tok[i].type == T::Comma ||
          (w.tok[i].type == T::Keyword && (word_is(lx, w.tok[i], "desc") ||
                                           word_is(lx, w.tok[i], "asc")))))
    ++i;
  if (i > 0 && w.tok[i - 1].type != T::Comma) return false;
  size_t parens = 0;
  while (i < w.count && w.tok[i].type == T::LParen) {
    ++i;
    ++parens;
  }
  if (parens == 0 || i + 1 >= w.count) return false;
  const SqlToken& t = w.tok[i];
  if (t.type == T::Statement && word_is(lx, t, "select"))
    return select_list_evidence(lx, w, i + 1) ||
           (w.tok[i + 1].type == T::Keyword && word_is(lx, w.tok[i + 1], "case")) ||
           has_dangerous_call(lx, w, i + 1);
  // "when" lexes as a function when "(" follows it: "CASE WHEN (1=1)".
  if (t.type == T::Keyword && word_is(lx, t, "case") && word_is(lx, w.tok[i + 1], "when"))
    return true;
  return false;
}

SqliVerdict bare(const SqlLexer& lx, const TokenWindow& w) {
  size_t i = 0;
  size_t after = 0;
  if (w.count == 0) return {};
  if (leading_subquery(lx, w)) return {true, "leading subquery"};
  // "if(now()=sysdate(),sleep(5),0)": a conditional around a time function.
  if (w.tok[0].type == T::Function && has_dangerous_call(lx, w, 1)) return {true, "conditional time function"};
  // Leading "-" of a negative number, then the number, then closing parens.
  if (w.tok[0].type == T::Operator && lx.text_of(w.tok[0]) == "-") ++i;
  if (i < w.count && (w.tok[i].type == T::Number || w.tok[i].type == T::Keyword)) {
    bool number = w.tok[i].type == T::Number || word_is(lx, w.tok[i], "null") ||
                  word_is(lx, w.tok[i], "true") || word_is(lx, w.tok[i], "false");
    if (number) {
      ++i;
      while (i < w.count && w.tok[i].type == T::RParen) ++i;
      if (i < w.count) {
        const SqlToken& t = w.tok[i];
        if (t.type == T::Logic && boolean_tail(lx, w, i + 1, true))
          return {true, "number + boolean logic"};
        if (t.type == T::Union && union_select_at(lx, w, i, after))
          return {true, "number + union select"};
        if (t.type == T::Semicolon && is_stacked_statement(lx, w, i + 1))
          return {true, "number + stacked query"};
        // "1 ORDER BY 3--" or the column probe alone, "1 ORDER BY 3"
        if (t.type == T::Keyword && (word_is(lx, t, "order") || word_is(lx, t, "group")) &&
            i + 2 < w.count && word_is(lx, w.tok[i + 1], "by") &&
            w.tok[i + 2].type == T::Number &&
            ((i + 3 < w.count && is_terminating_comment(lx, w, i + 3)) ||
             (i + 3 == w.count && !w.more)))
          return {true, "number + order by"};
        if (t.type == T::Operator && i + 1 < w.count && w.tok[i + 1].type == T::Function &&
            sql_dangerous_function(lx.text_of(w.tok[i + 1])))
          return {true, "number + function"};
        // "1 RLIKE (SELECT ...)", "1=(select ...)"
        bool op = t.type == T::Operator ||
                  (t.type == T::Function && sql_keyword(lx.text_of(t)) == T::Operator);
        if (op && i + 2 < w.count && w.tok[i + 1].type == T::LParen &&
            w.tok[i + 2].type == T::Statement && word_is(lx, w.tok[i + 2], "select"))
          return {true, "number + subquery"};
      }
    }
    i = 0;
  }
  // "or 1=1--": the value starts inside a WHERE clause. A leading NOT is
  // filter syntax ("not(endswith(mail,'x'))" in OData), not a continuation.
  if (w.tok[0].type == T::Logic && !word_is(lx, w.tok[0], "not") && lx.text_of(w.tok[0]) != "!" &&
      boolean_tail(lx, w, 1, true))
    return {true, "boolean logic"};
  if (union_select_at(lx, w, 0, after) && select_list_evidence(lx, w, after))
    return {true, "union select"};
  if (w.tok[0].type == T::Semicolon && is_stacked_statement(lx, w, 1))
    return {true, "stacked query"};
  if (w.tok[0].type == T::Function && sql_dangerous_function(lx.text_of(w.tok[0])))
    return {true, "time/error function"};
  if (w.tok[0].type == T::LParen && has_dangerous_call(lx, w, 1) && w.tok[1].type != T::Word)
    return {true, "time/error function"};
  return {};
}

// Offset just past the first quote that would end a `quote`-delimited
// literal holding the value, or npos. Backslash escapes and doubled quotes
// do not end it.
size_t string_break(std::string_view v, char quote) {
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == quote) {
      if (i + 1 < v.size() && v[i + 1] == quote) {
        ++i;
        continue;
      }
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// Shortcuts: most values the triggers hand over are names and prose with
// an apostrophe ("O'Brien", "Women's") or markup with a quoted attribute,
// whose first tokens already rule every fingerprint out. Each says false
// only where the full reading (fill() + the fingerprints above) provably
// returns nothing; anything it does not model (a comment, which fill()
// drops or keeps depending on what follows, a keyword) answers true.
// tests/unit/detect/sqli_detector_test.cc compares both readings.

// after_string_break() decides on the first token after the ")"s.
bool break_may_decide(std::string_view value, size_t at) {
  SqlLexer lx(value, at);
  SqlToken t;
  while (lx.next(t)) {
    switch (t.type) {
      case T::RParen: continue;
      case T::Logic: case T::Union: case T::Semicolon: case T::Statement: case T::Operator:
      case T::Keyword: case T::Comment:
        return true;
      default: return false;
    }
  }
  return true;
}

// bare() on a value whose first token is a word can only find
// leading_subquery()'s column list ("name,(select ...)"): up to four
// words, numbers and commas, the last a comma. A string, variable, ")",
// statement word, stray byte or operator other than "-" first: nothing.
bool bare_may_decide(std::string_view value) {
  SqlLexer lx(value);
  SqlToken t;
  if (!lx.next(t)) return true;
  switch (t.type) {
    case T::String: case T::Variable: case T::RParen: case T::Other: case T::Statement: return false;
    case T::Operator: return lx.text_of(t) == "-";
    case T::Word: break;
    default: return true;
  }
  T last = T::Word;
  for (size_t i = 1; i < 4 && lx.next(t); ++i) {
    if (t.type == T::Comment || t.type == T::Keyword) return true;
    if (t.type != T::Word && t.type != T::Number && t.type != T::Comma) break;
    last = t.type;
  }
  return last == T::Comma;
}

SqliVerdict analyze_one(std::string_view value, bool shortcuts) {
  for (char quote : {'\'', '"'}) {
    size_t at = string_break(value, quote);
    if (at == std::string_view::npos) continue;
    if (shortcuts && !break_may_decide(value, at)) continue;
    SqlLexer lx(value, at);
    TokenWindow w;
    fill(lx, w);
    SqliVerdict v = after_string_break(lx, w);
    if (v.injection) return v;
  }
  if (shortcuts && !bare_may_decide(value)) return {};
  SqlLexer lx(value);
  TokenWindow w;
  fill(lx, w);
  return bare(lx, w);
}

// Values that carry a query string of their own (a Referer, a redirect URL,
// a consent cookie) hold their injectable parts after '='.
constexpr size_t kMaxEmbeddedParams = 8;

SqliVerdict analyze_value(std::string_view value, bool shortcuts) {
  SqliVerdict v = analyze_one(value, shortcuts);
  if (v.injection) return v;
  size_t eq = value.find('=');
  for (size_t n = 0; eq != std::string_view::npos && n < kMaxEmbeddedParams; ++n) {
    size_t start = eq + 1;
    size_t end = value.find('&', start);
    std::string_view part = value.substr(start, end == std::string_view::npos ? value.npos : end - start);
    if (!part.empty() && part.size() < value.size() - 1) {
      v = analyze_one(part, shortcuts);
      if (v.injection) return v;
    }
    eq = end == std::string_view::npos ? end : value.find('=', end);
  }
  return {};
}

}  // namespace

SqliVerdict analyze_sqli(std::string_view value) { return analyze_value(value, true); }

SqliVerdict analyze_sqli_exhaustive(std::string_view value) { return analyze_value(value, false); }

}  // namespace weir::detect
