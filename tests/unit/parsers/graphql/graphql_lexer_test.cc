#include "parsers/graphql/graphql_lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace weir::parse {
namespace {

std::vector<std::pair<GqlToken, std::string>> lex_all(std::string_view doc) {
  GraphqlLexer lex(doc);
  std::vector<std::pair<GqlToken, std::string>> out;
  for (int guard = 0; guard < 1000; ++guard) {
    const GqlToken t = lex.next();
    out.emplace_back(t, std::string(lex.text()));
    if (t == GqlToken::End || t == GqlToken::Error) break;
  }
  return out;
}

TEST(GraphqlLexer, PunctuatorsNamesAndIgnoredTokens) {
  const auto toks = lex_all("\xEF\xBB\xBF{ a ,,, # comment\n b(x: $v) @d ...F ...on T [1] = ! & | }");
  const std::vector<std::pair<GqlToken, std::string>> want = {
      {GqlToken::BraceL, "{"},  {GqlToken::Name, "a"},      {GqlToken::Name, "b"},
      {GqlToken::ParenL, "("},  {GqlToken::Name, "x"},      {GqlToken::Colon, ":"},
      {GqlToken::Dollar, "$"},  {GqlToken::Name, "v"},      {GqlToken::ParenR, ")"},
      {GqlToken::At, "@"},      {GqlToken::Name, "d"},      {GqlToken::Spread, "..."},
      {GqlToken::Name, "F"},    {GqlToken::Spread, "..."},  {GqlToken::Name, "on"},
      {GqlToken::Name, "T"},    {GqlToken::BracketL, "["},  {GqlToken::Int, "1"},
      {GqlToken::BracketR, "]"}, {GqlToken::Equals, "="},   {GqlToken::Bang, "!"},
      {GqlToken::Amp, "&"},     {GqlToken::Pipe, "|"},      {GqlToken::BraceR, "}"},
      {GqlToken::End, ""},
  };
  EXPECT_EQ(toks, want);
}

TEST(GraphqlLexer, Numbers) {
  EXPECT_EQ(lex_all("0 -7 42 1.5 -0.25e-3 6E10")[4].second, "-0.25e-3");
  const auto toks = lex_all("0 -7 42 1.5 -0.25e-3 6E10");
  EXPECT_EQ(toks[0].first, GqlToken::Int);
  EXPECT_EQ(toks[1].first, GqlToken::Int);
  EXPECT_EQ(toks[2].first, GqlToken::Int);
  EXPECT_EQ(toks[3].first, GqlToken::Float);
  EXPECT_EQ(toks[4].first, GqlToken::Float);
  EXPECT_EQ(toks[5].first, GqlToken::Float);
  for (const char* bad : {"01", "1.", "1.2.3", "0x1", "1e", "-", "1a", ".5"}) {
    EXPECT_EQ(lex_all(bad).back().first, GqlToken::Error) << bad;
  }
}

TEST(GraphqlLexer, Strings) {
  auto toks = lex_all(R"("a\"b\\c\u00e9\u{1F600}" """x""" """a\"""b""")");
  ASSERT_EQ(toks.size(), 4u);
  EXPECT_EQ(toks[0].first, GqlToken::String);
  EXPECT_EQ(toks[0].second, R"("a\"b\\c\u00e9\u{1F600}")");
  EXPECT_EQ(toks[1].first, GqlToken::BlockString);
  EXPECT_EQ(toks[2].first, GqlToken::BlockString);
  EXPECT_EQ(toks[2].second, R"("""a\"""b""")");
  for (const char* bad : {"\"abc", "\"a\nb\"", R"("\q")", R"("\u12")", R"("\u{12")", "\"\"\"abc",
                          "~", ". ."}) {
    EXPECT_EQ(lex_all(bad).back().first, GqlToken::Error) << bad;
  }
}

TEST(GraphqlLexer, ErrorRepeatsAndStops) {
  GraphqlLexer lex("a ~ b");
  EXPECT_EQ(lex.next(), GqlToken::Name);
  EXPECT_EQ(lex.next(), GqlToken::Error);
  EXPECT_EQ(lex.next(), GqlToken::Error);
  EXPECT_STREQ(lex.error(), "unexpected character");
  EXPECT_EQ(lex.offset(), 2u);
}

}  // namespace
}  // namespace weir::parse
