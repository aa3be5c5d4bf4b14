#include "parsers/json/json_flattener.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace weir::parse {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Flattened {
  JsonStatus status;
  Pairs fields;  // BodyJson fields
  std::vector<std::string> raw;  // BodyRaw fields
  std::vector<std::string> findings;
};

Flattened flatten(const std::string& doc, ParseLimits limits = {}) {
  JsonFlattener flattener(limits);
  Arena arena(1 << 20);
  std::string padded = doc + std::string(JsonFlattener::kPadding, '\0');
  FieldList fields(arena, limits.max_fields);
  FindingList findings(arena, 16);
  Flattened out;
  out.status = flattener.flatten(std::string_view(padded.data(), doc.size()), Zone::BodyJson,
                                 arena, fields, findings);
  for (const auto& f : fields.view()) {
    if (f.zone == Zone::BodyJson) {
      out.fields.emplace_back(std::string(f.name), std::string(f.value));
    } else {
      out.raw.emplace_back(f.value);
    }
  }
  for (const auto& f : findings.view()) out.findings.emplace_back(f.name);
  return out;
}

struct JsonCase {
  const char* doc;
  Pairs expected;
};

TEST(JsonFlattener, PathTable) {
  const JsonCase cases[] = {
      {R"({"a":1})", {{"a", "1"}}},
      {R"({"user":{"name":"bob","address":[{"street":"Main"},{"street":"2nd"}]}})",
       {{"user.name", "bob"}, {"user.address[0].street", "Main"}, {"user.address[1].street", "2nd"}}},
      {R"([1,"x",true,null,-2.5e3])",
       {{"[0]", "1"}, {"[1]", "x"}, {"[2]", "true"}, {"[3]", "null"}, {"[4]", "-2.5e3"}}},
      {R"({"m":[[1,2],[3]]})", {{"m[0][0]", "1"}, {"m[0][1]", "2"}, {"m[1][0]", "3"}}},
      {R"({"esc":"a\"b\u0027c\n"})", {{"esc", "a\"b'c\n"}}},
      {R"({"k\u0041":"v"})", {{"kA", "v"}}},
      {R"({"e":{},"f":[]})", {}},
      {R"("just a string")", {{"", "just a string"}}},
      {R"(  42  )", {{"", "42"}}},
      {R"({"n": 1.0 , "b" : false })", {{"n", "1.0"}, {"b", "false"}}},
  };
  for (const auto& c : cases) {
    const Flattened f = flatten(c.doc);
    EXPECT_EQ(f.status, JsonStatus::Ok) << c.doc;
    EXPECT_EQ(f.fields, c.expected) << c.doc;
    EXPECT_TRUE(f.findings.empty()) << c.doc;
    EXPECT_TRUE(f.raw.empty()) << c.doc;
  }
}

TEST(JsonFlattener, JsonInStringIsFlattenedOneLevelDeeper) {
  const Flattened f = flatten(R"({"data":"{\"q\":\"' OR 1=1\",\"inner\":\"{\\\"x\\\":1}\"}"})");
  EXPECT_EQ(f.status, JsonStatus::Ok);
  const Pairs expected = {
      {"data", R"({"q":"' OR 1=1","inner":"{\"x\":1}"})"},
      {"data.q", "' OR 1=1"},
      // One level only: the string inside the nested document stays a string.
      {"data.inner", R"({"x":1})"},
  };
  EXPECT_EQ(f.fields, expected);
}

TEST(JsonFlattener, StringThatOnlyLooksLikeJsonStaysAString) {
  const Flattened f = flatten(R"({"t":"{not json}"})");
  EXPECT_EQ(f.status, JsonStatus::Ok);
  EXPECT_EQ(f.fields, (Pairs{{"t", "{not json}"}}));
}

TEST(JsonFlattener, MalformedIsAFindingAndTheDocumentGoesRaw) {
  const char* bad[] = {R"({"a":)", R"({"a":1,})", R"({"a":tru})", R"({"a":1} x)", R"([1,2)",
                       R"({"a":"\x"})", "", "   ", R"({"a":01})", R"({'a':1})"};
  for (const char* doc : bad) {
    const Flattened f = flatten(doc);
    EXPECT_EQ(f.status, JsonStatus::Malformed) << doc;
    ASSERT_EQ(f.findings.size(), 1u) << doc;
    EXPECT_EQ(f.findings[0], "json.malformed") << doc;
    ASSERT_EQ(f.raw.size(), 1u) << doc;
    EXPECT_EQ(f.raw[0], doc);
  }
}

TEST(JsonFlattener, DepthCapEmitsTheDeepSubtreeRaw) {
  ParseLimits limits;
  limits.max_json_depth = 2;
  const Flattened f = flatten(R"({"a":{"b":{"c":{"d":"deep"}}},"z":1})", limits);
  EXPECT_EQ(f.status, JsonStatus::Capped);
  const Pairs expected = {{"a.b", R"({"c":{"d":"deep"}})"}, {"z", "1"}};
  EXPECT_EQ(f.fields, expected);
  EXPECT_EQ(f.findings, std::vector<std::string>{"json.depth_cap"});
}

TEST(JsonFlattener, FieldCapIsAFindingAndTheDocumentGoesRaw) {
  ParseLimits limits;
  limits.max_json_fields = 3;
  const std::string doc = R"([1,2,3,4,5,6])";
  const Flattened f = flatten(doc, limits);
  EXPECT_EQ(f.status, JsonStatus::Capped);
  EXPECT_EQ(f.fields.size(), 3u);
  EXPECT_EQ(f.findings, std::vector<std::string>{"json.field_cap"});
  EXPECT_EQ(f.raw, std::vector<std::string>{doc});
}

TEST(JsonFlattener, DocumentOverCapacityIsReportedNotParsed) {
  ParseLimits limits;
  limits.max_body_inspect = 16;
  const std::string doc = R"({"aaaaaaaaaaaaaaaa":1})";
  const Flattened f = flatten(doc, limits);
  EXPECT_EQ(f.status, JsonStatus::Malformed);
  EXPECT_EQ(f.findings, std::vector<std::string>{"json.too_large"});
  EXPECT_EQ(f.raw, std::vector<std::string>{doc});
}

TEST(JsonFlattener, ReusableAcrossDocuments) {
  JsonFlattener flattener(ParseLimits{});
  Arena arena(1 << 16);
  for (int i = 0; i < 3; ++i) {
    arena.reset();
    const std::string doc = R"({"i":)" + std::to_string(i) + "}" + std::string(64, '\0');
    FieldList fields(arena, 8);
    FindingList findings(arena, 4);
    ASSERT_EQ(flattener.flatten(std::string_view(doc.data(), doc.size() - 64), Zone::BodyJson,
                                arena, fields, findings),
              JsonStatus::Ok);
    ASSERT_EQ(fields.size(), 1u);
    EXPECT_EQ(fields[0].value, std::to_string(i));
  }
}

}  // namespace
}  // namespace weir::parse
