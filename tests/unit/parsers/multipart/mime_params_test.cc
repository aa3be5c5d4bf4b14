#include "parsers/multipart/mime_params.h"

#include <gtest/gtest.h>

namespace weir::parse {
namespace {

TEST(MimeParams, ReadsTokensQuotedAndExtendedValues) {
  MimeParamReader r(" form-data ; name=\"a;b\" ;filename*=UTF-8'en'%41%zz; flag; x = y ");
  EXPECT_EQ(r.value(), "form-data");
  MimeParam p;
  ASSERT_TRUE(r.next(p));
  EXPECT_EQ(p.name, "name");
  EXPECT_EQ(p.value, "a;b");
  EXPECT_TRUE(p.quoted);
  ASSERT_TRUE(r.next(p));
  EXPECT_EQ(p.name, "filename");
  EXPECT_TRUE(p.extended);
  Arena arena(1024);
  std::string_view decoded;
  ASSERT_TRUE(decode_ext_value(p.value, arena, decoded));
  EXPECT_EQ(decoded, "A%zz");
  ASSERT_TRUE(r.next(p));
  EXPECT_EQ(p.name, "flag");
  EXPECT_TRUE(p.value.empty());
  ASSERT_TRUE(r.next(p));
  EXPECT_EQ(p.name, "x");
  EXPECT_EQ(p.value, "y");
  EXPECT_FALSE(r.next(p));
}

TEST(MimeParams, QuotingAnomaliesAreFlagged) {
  MimeParam p;
  MimeParamReader open_quote("t; a=\"never closed; b=c");
  ASSERT_TRUE(open_quote.next(p));
  EXPECT_TRUE(p.unterminated);
  MimeParamReader after("t; a=\"x\"y; b=c");
  ASSERT_TRUE(after.next(p));
  EXPECT_TRUE(p.text_after_quote);
  EXPECT_EQ(p.value, "x");
  ASSERT_TRUE(after.next(p));
  EXPECT_EQ(p.name, "b");
}

TEST(MimeParams, UnescapeAndExtValueEdgeCases) {
  Arena arena(1024);
  EXPECT_EQ(unescape_quoted("a\\\"b\\\\c", arena), "a\"b\\c");
  std::string_view out;
  EXPECT_FALSE(decode_ext_value("no-quotes", arena, out));
  ASSERT_TRUE(decode_ext_value("''%2", arena, out));
  EXPECT_EQ(out, "%2");
  EXPECT_TRUE(mime_name_equals("Content-Type", "content-type"));
  EXPECT_FALSE(mime_name_equals("a", "ab"));
}

}  // namespace
}  // namespace weir::parse
