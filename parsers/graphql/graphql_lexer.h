#pragma once
// GraphqlLexer: tokens of a GraphQL executable document (October 2021 spec,
// section 2.1). Whitespace, line terminators, commas, comments and a leading
// BOM are skipped. Tokens are views into the document; string tokens keep
// their source text (quotes included) and are decoded only when a value is
// emitted (graphql_string_value.h). Linear in the input, no allocation.

#include <cstdint>
#include <string_view>

namespace weir::parse {

enum class GqlToken : uint8_t {
  End,
  Error,        ///< bad character, unterminated string, malformed number
  Bang,         ///< !
  Dollar,       ///< $
  Amp,          ///< &
  ParenL,       ///< (
  ParenR,       ///< )
  Spread,       ///< ...
  Colon,        ///< :
  Equals,       ///< =
  At,           ///< @
  BracketL,     ///< [
  BracketR,     ///< ]
  BraceL,       ///< {
  Pipe,         ///< |
  BraceR,       ///< }
  Name,
  Int,
  Float,
  String,       ///< "..." (text includes the quotes)
  BlockString,  ///< """...""" (text includes the quotes)
};

class GraphqlLexer {
 public:
  explicit GraphqlLexer(std::string_view doc);

  /// Moves to the next token; returns its kind (End and Error repeat).
  GqlToken next();
  GqlToken kind() const { return kind_; }
  std::string_view text() const { return text_; }
  /// Byte offset of the current token (for error details).
  size_t offset() const { return static_cast<size_t>(text_.data() - doc_.data()); }
  /// Why the lexer stopped with Error (static string).
  const char* error() const { return error_; }

 private:
  GqlToken fail(size_t start, const char* why);
  GqlToken lex_number(size_t start);
  GqlToken lex_string(size_t start);
  GqlToken lex_block_string(size_t start);

  std::string_view doc_;
  size_t pos_ = 0;
  GqlToken kind_ = GqlToken::End;
  std::string_view text_;
  const char* error_ = "";
};

}  // namespace weir::parse
