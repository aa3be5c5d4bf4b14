#include "parsers/form/urlencoded_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace weir::parse {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs pairs_of(const FieldList& l) {
  Pairs out;
  for (const auto& f : l.view()) out.emplace_back(std::string(f.name), std::string(f.value));
  return out;
}

struct SplitCase {
  const char* input;
  Pairs expected;
};

TEST(SplitUrlencoded, Table) {
  const SplitCase cases[] = {
      {"a=1&b=2", {{"a", "1"}, {"b", "2"}}},
      {"a=1&&b=", {{"a", "1"}, {"b", ""}}},
      {"flag", {{"flag", ""}}},
      {"a=b=c", {{"a", "b=c"}}},
      {"=v", {{"", "v"}}},
      {"q=%27%20OR%201%3D1--&x=a+b", {{"q", "%27%20OR%201%3D1--"}, {"x", "a+b"}}},
      {"", {}},
      {"&&&", {}},
      {"filter[name]=x;y", {{"filter[name]", "x;y"}}},
  };
  for (const auto& c : cases) {
    Arena a(4096);
    FieldList l(a, 16);
    EXPECT_TRUE(split_urlencoded(c.input, Zone::QueryArg, l));
    EXPECT_EQ(pairs_of(l), c.expected) << c.input;
    for (const auto& f : l.view()) EXPECT_EQ(f.zone, Zone::QueryArg);
  }
}

TEST(SplitUrlencoded, ReportsWhenListFills) {
  Arena a(4096);
  FieldList l(a, 2);
  EXPECT_FALSE(split_urlencoded("a=1&b=2&c=3", Zone::BodyForm, l));
  EXPECT_EQ(l.size(), 2u);
}

TEST(SplitCookieHeader, Rfc6265Pairs) {
  const SplitCase cases[] = {
      {"session=abc; theme=dark", {{"session", "abc"}, {"theme", "dark"}}},
      {"a=1;b=2", {{"a", "1"}, {"b", "2"}}},
      {" a = 1 ;  ; b=\"q v\" ", {{"a", "1"}, {"b", "\"q v\""}}},
      {"lonely", {{"", "lonely"}}},
      {"jwt=eyJ.a=b.c", {{"jwt", "eyJ.a=b.c"}}},
  };
  for (const auto& c : cases) {
    Arena a(4096);
    FieldList l(a, 16);
    EXPECT_TRUE(split_cookie_header(c.input, l));
    EXPECT_EQ(pairs_of(l), c.expected) << c.input;
    for (const auto& f : l.view()) EXPECT_EQ(f.zone, Zone::Cookie);
  }
}

}  // namespace
}  // namespace weir::parse
