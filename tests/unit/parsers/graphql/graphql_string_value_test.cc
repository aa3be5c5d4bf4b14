#include "parsers/graphql/graphql_string_value.h"

#include <gtest/gtest.h>

#include <string>

namespace weir::parse {
namespace {

std::string value(std::string_view token, GqlToken kind) {
  Arena arena(4096);
  return std::string(graphql_string_value(token, kind, arena));
}

TEST(GraphqlStringValue, PlainEscapes) {
  EXPECT_EQ(value(R"("abc")", GqlToken::String), "abc");
  EXPECT_EQ(value(R"("a\"b\\c\/d\n\t")", GqlToken::String), "a\"b\\c/d\n\t");
  EXPECT_EQ(value(R"("\u0027 OR 1=1--")", GqlToken::String), "' OR 1=1--");
  EXPECT_EQ(value(R"("\u00e9")", GqlToken::String), "\xC3\xA9");
  EXPECT_EQ(value(R"("\uD83D\uDE00")", GqlToken::String), "\xF0\x9F\x98\x80");
  EXPECT_EQ(value(R"("\u{1F600}")", GqlToken::String), "\xF0\x9F\x98\x80");
  // A lone surrogate is not a character: replacement character.
  EXPECT_EQ(value(R"("\uD800x")", GqlToken::String), "\xEF\xBF\xBDx");
  EXPECT_EQ(value(R"("")", GqlToken::String), "");
}

TEST(GraphqlStringValue, BlockStringDedent) {
  EXPECT_EQ(value("\"\"\"\n    Hello,\n      World!\n\n    Yours\n  \"\"\"", GqlToken::BlockString),
            "Hello,\n  World!\n\nYours");
  EXPECT_EQ(value(R"("""a\"""b""")", GqlToken::BlockString), "a\"\"\"b");
  EXPECT_EQ(value("\"\"\"  first\n  second\"\"\"", GqlToken::BlockString), "  first\nsecond");
  EXPECT_EQ(value("\"\"\"\n\n\"\"\"", GqlToken::BlockString), "");
  // Escapes are not processed in block strings.
  EXPECT_EQ(value(R"("""\n""")", GqlToken::BlockString), "\\n");
}

TEST(GraphqlStringValue, FullArenaKeepsRawToken) {
  Arena arena(1);
  (void)arena.allocate(1, 1);
  EXPECT_EQ(graphql_string_value(R"("a\nb")", GqlToken::String, arena), R"("a\nb")");
}

}  // namespace
}  // namespace weir::parse
