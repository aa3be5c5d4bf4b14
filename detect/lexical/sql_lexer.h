#pragma once
// A SQL tokenizer for detection, not for execution: it reads any bytes,
// never fails, and sorts words into the few classes that matter to decide
// whether a value changes the structure of a query (detect/lexical
// sqli_detector.h). MySQL, PostgreSQL, MSSQL and Oracle lexical quirks that
// attackers use are folded in: both quote styles with backslash and doubled
// quote escapes, "#" and "-- " comments, executable "/*! */" comments whose
// body is code, @variables, backtick identifiers.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace weir::detect {

enum class SqlTokenType : uint8_t {
  String,     ///< quoted literal; `closed` false when it runs to the end
  Number,     ///< 12, 0x1f, 1.5e3, .5
  Word,       ///< identifier that is not a keyword (incl. `backtick`)
  Keyword,    ///< FROM, WHERE, NULL, BY, ORDER, ALL ... (see sql_keyword())
  Union,      ///< UNION, INTERSECT
  Statement,  ///< SELECT, INSERT, UPDATE, DELETE, DROP, EXEC, WAITFOR ...
  Logic,      ///< AND, OR, XOR, NOT, &&, ||
  Operator,   ///< = < > <= >= <> != + - * / % LIKE IN IS BETWEEN ...
  Function,   ///< a word directly followed by "("
  Variable,   ///< @x, @@version
  LParen,
  RParen,
  Comma,
  Semicolon,
  Comment,    ///< /* */, -- , #
  Other,      ///< any other byte
};

struct SqlToken {
  SqlTokenType type;
  bool closed;          ///< strings and block comments: terminator seen
  uint32_t begin;       ///< offset in the lexed text
  uint32_t length;
};

class SqlLexer {
 public:
  explicit SqlLexer(std::string_view text, size_t start = 0) : text_(text), pos_(start) {}

  /// Next token; false at the end of the text.
  bool next(SqlToken& out);

  std::string_view text_of(const SqlToken& t) const { return text_.substr(t.begin, t.length); }

 private:
  bool lex_word(SqlToken& out);
  void lex_string(char quote, SqlToken& out);
  void lex_number(SqlToken& out);

  std::string_view text_;
  size_t pos_;
};

/// Case-insensitive keyword class of a word; Word when it is none.
SqlTokenType sql_keyword(std::string_view word);

/// True for functions that only attacks call from a value: sleep, benchmark,
/// pg_sleep, extractvalue, updatexml, load_file ...
bool sql_dangerous_function(std::string_view name);

}  // namespace weir::detect
