// SQL tokenizer: see sql_lexer.h. Linear in the input, no allocation.

#include "detect/lexical/sql_lexer.h"

#include <cstring>

namespace weir::detect {
namespace {

bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_word_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80;
}
bool is_word_char(unsigned char c) { return is_word_start(c) || is_digit(c) || c == '.'; }

bool iequals(std::string_view a, std::string_view b) {
  size_t n = b.size();
  if (a.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != b[i]) return false;
  }
  return true;
}

struct KeywordEntry {
  std::string_view word;
  SqlTokenType type;
};

constexpr KeywordEntry kKeywords[] = {
    {"select", SqlTokenType::Statement},  {"insert", SqlTokenType::Statement},
    {"update", SqlTokenType::Statement},  {"delete", SqlTokenType::Statement},
    {"drop", SqlTokenType::Statement},    {"create", SqlTokenType::Statement},
    {"alter", SqlTokenType::Statement},   {"truncate", SqlTokenType::Statement},
    {"exec", SqlTokenType::Statement},    {"execute", SqlTokenType::Statement},
    {"declare", SqlTokenType::Statement}, {"shutdown", SqlTokenType::Statement},
    {"waitfor", SqlTokenType::Statement}, {"grant", SqlTokenType::Statement},
    {"union", SqlTokenType::Union},       {"intersect", SqlTokenType::Union},
    {"and", SqlTokenType::Logic},         {"or", SqlTokenType::Logic},
    {"xor", SqlTokenType::Logic},         {"not", SqlTokenType::Logic},
    {"like", SqlTokenType::Operator},     {"rlike", SqlTokenType::Operator},
    {"regexp", SqlTokenType::Operator},   {"in", SqlTokenType::Operator},
    {"is", SqlTokenType::Operator},       {"between", SqlTokenType::Operator},
    {"div", SqlTokenType::Operator},      {"mod", SqlTokenType::Operator},
    {"sounds", SqlTokenType::Operator},
    {"from", SqlTokenType::Keyword},      {"where", SqlTokenType::Keyword},
    {"null", SqlTokenType::Keyword},      {"true", SqlTokenType::Keyword},
    {"false", SqlTokenType::Keyword},     {"all", SqlTokenType::Keyword},
    {"distinct", SqlTokenType::Keyword},  {"order", SqlTokenType::Keyword},
    {"group", SqlTokenType::Keyword},     {"by", SqlTokenType::Keyword},
    {"having", SqlTokenType::Keyword},    {"limit", SqlTokenType::Keyword},
    {"offset", SqlTokenType::Keyword},    {"into", SqlTokenType::Keyword},
    {"outfile", SqlTokenType::Keyword},   {"dumpfile", SqlTokenType::Keyword},
    {"values", SqlTokenType::Keyword},    {"set", SqlTokenType::Keyword},
    {"table", SqlTokenType::Keyword},     {"database", SqlTokenType::Keyword},
    {"as", SqlTokenType::Keyword},        {"procedure", SqlTokenType::Keyword},
    {"delay", SqlTokenType::Keyword},     {"case", SqlTokenType::Keyword},
    {"when", SqlTokenType::Keyword},      {"then", SqlTokenType::Keyword},
    {"else", SqlTokenType::Keyword},      {"end", SqlTokenType::Keyword},
    {"join", SqlTokenType::Keyword},      {"top", SqlTokenType::Keyword},
};

// Functions a benign value has no reason to call and blind or error-based
// injection always does. Common ones (char, concat, if) are left out on
// purpose: code snippets in tickets call them.
constexpr std::string_view kDangerousFunctions[] = {
    "sleep",         "benchmark",  "pg_sleep",   "extractvalue", "updatexml",
    "load_file",     "xp_cmdshell", "name_const", "gtid_subset",  "randomblob",
    "utl_inaddr.get_host_address", "dbms_pipe.receive_message",
    "utl_http.request", "dbms_lock.sleep", "sys_eval", "sys_exec",
};

}  // namespace

SqlTokenType sql_keyword(std::string_view word) {
  if (word.size() < 2 || word.size() > 12) return SqlTokenType::Word;
  char first = static_cast<char>(word[0] | 0x20);
  for (const KeywordEntry& k : kKeywords)
    if (k.word[0] == first && iequals(word, k.word)) return k.type;
  return SqlTokenType::Word;
}

bool sql_dangerous_function(std::string_view name) {
  if (name.size() > 32) return false;
  for (std::string_view f : kDangerousFunctions)
    if (iequals(name, f)) return true;
  return false;
}

void SqlLexer::lex_string(char quote, SqlToken& out) {
  size_t start = pos_;
  size_t i = pos_ + 1;
  out.closed = false;
  while (i < text_.size()) {
    char c = text_[i];
    if (c == '\\' && quote != '`') {
      i += 2;
      continue;
    }
    if (c == quote) {
      if (i + 1 < text_.size() && text_[i + 1] == quote) {  // '' inside a literal
        i += 2;
        continue;
      }
      ++i;
      out.closed = true;
      break;
    }
    ++i;
  }
  if (i > text_.size()) i = text_.size();
  out.type = quote == '`' ? SqlTokenType::Word : SqlTokenType::String;
  out.begin = static_cast<uint32_t>(start);
  out.length = static_cast<uint32_t>(i - start);
  pos_ = i;
}

void SqlLexer::lex_number(SqlToken& out) {
  size_t start = pos_;
  size_t i = pos_;
  const auto* s = reinterpret_cast<const unsigned char*>(text_.data());
  size_t n = text_.size();
  if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X' || s[i + 1] == 'b')) {
    i += 2;
    while (i < n && (is_digit(s[i]) || ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f'))) ++i;
  } else {
    while (i < n && is_digit(s[i])) ++i;
    if (i < n && s[i] == '.') {
      ++i;
      while (i < n && is_digit(s[i])) ++i;
    }
    if (i + 1 < n && (s[i] == 'e' || s[i] == 'E') &&
        (is_digit(s[i + 1]) || ((s[i + 1] == '-' || s[i + 1] == '+') && i + 2 < n && is_digit(s[i + 2])))) {
      i += 2;
      while (i < n && is_digit(s[i])) ++i;
    }
  }
  // "1union" lexes as 1 then union in MySQL; a word glued to digits stays a
  // separate token, so nothing more to do here.
  out.type = SqlTokenType::Number;
  out.closed = true;
  out.begin = static_cast<uint32_t>(start);
  out.length = static_cast<uint32_t>(i - start);
  pos_ = i;
}

bool SqlLexer::lex_word(SqlToken& out) {
  const auto* s = reinterpret_cast<const unsigned char*>(text_.data());
  size_t n = text_.size();
  size_t start = pos_;
  size_t i = pos_;
  while (i < n && is_word_char(s[i])) ++i;
  std::string_view word = text_.substr(start, i - start);
  SqlTokenType type = sql_keyword(word);
  size_t j = i;
  while (j < n && is_space(s[j])) ++j;
  if (j < n && s[j] == '(' && (type == SqlTokenType::Word || type == SqlTokenType::Keyword ||
                               type == SqlTokenType::Operator)) {
    type = SqlTokenType::Function;
  }
  out.type = type;
  out.closed = true;
  out.begin = static_cast<uint32_t>(start);
  out.length = static_cast<uint32_t>(i - start);
  pos_ = i;
  return true;
}

bool SqlLexer::next(SqlToken& out) {
  const auto* s = reinterpret_cast<const unsigned char*>(text_.data());
  size_t n = text_.size();
  for (;;) {
    while (pos_ < n && is_space(s[pos_])) ++pos_;
    if (pos_ >= n) return false;
    unsigned char c = s[pos_];
    unsigned char d = pos_ + 1 < n ? s[pos_ + 1] : 0;
    out.closed = true;
    out.begin = static_cast<uint32_t>(pos_);
    if (c == '/' && d == '*') {
      if (pos_ + 2 < n && s[pos_ + 2] == '!') {  // executable comment: its body is code
        pos_ += 3;
        while (pos_ < n && is_digit(s[pos_])) ++pos_;
        continue;
      }
      size_t end = text_.find("*/", pos_ + 2);
      out.type = SqlTokenType::Comment;
      out.closed = end != std::string_view::npos;
      pos_ = out.closed ? end + 2 : n;
      out.length = static_cast<uint32_t>(pos_ - out.begin);
      return true;
    }
    if (c == '*' && d == '/') {  // end of an executable comment
      pos_ += 2;
      continue;
    }
    if (c == '#' || (c == '-' && d == '-')) {
      size_t nl = text_.find('\n', pos_);
      pos_ = nl == std::string_view::npos ? n : nl;
      out.type = SqlTokenType::Comment;
      out.length = static_cast<uint32_t>(pos_ - out.begin);
      return true;
    }
    if (c == '\'' || c == '"' || c == '`') {
      lex_string(static_cast<char>(c), out);
      return true;
    }
    if (is_digit(c) || (c == '.' && is_digit(d))) {
      lex_number(out);
      return true;
    }
    if (is_word_start(c)) return lex_word(out);
    if (c == '@') {
      size_t i = pos_ + 1;
      if (i < n && s[i] == '@') ++i;
      while (i < n && is_word_char(s[i])) ++i;
      out.type = SqlTokenType::Variable;
      out.length = static_cast<uint32_t>(i - pos_);
      pos_ = i;
      return true;
    }
    size_t len = 1;
    switch (c) {
      case '(': out.type = SqlTokenType::LParen; break;
      case ')': out.type = SqlTokenType::RParen; break;
      case ',': out.type = SqlTokenType::Comma; break;
      case ';': out.type = SqlTokenType::Semicolon; break;
      case '&':
      case '|':
        if (d == c) {
          out.type = SqlTokenType::Logic;
          len = 2;
        } else {
          out.type = SqlTokenType::Operator;
        }
        break;
      case '<':
      case '>':
      case '!':
        out.type = SqlTokenType::Operator;
        if (d == '=' || d == '>' || (c == '<' && d == '>')) len = 2;
        if (c == '<' && d == '=' && pos_ + 2 < n && s[pos_ + 2] == '>') len = 3;
        if (c == '!' && d != '=') out.type = SqlTokenType::Logic;  // MySQL "!" is NOT
        break;
      case '=': case '+': case '-': case '*': case '/': case '%': case '^': case '~':
        out.type = SqlTokenType::Operator;
        break;
      default: out.type = SqlTokenType::Other; break;
    }
    out.length = static_cast<uint32_t>(len);
    pos_ += len;
    return true;
  }
}

}  // namespace weir::detect
