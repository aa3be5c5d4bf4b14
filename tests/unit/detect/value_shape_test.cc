// Format and type inference of parameter values.
#include "detect/observe/value_shape.h"

#include <gtest/gtest.h>

#include "detect/observe/json_shape_walker.h"

#include <string>
#include <vector>

namespace weir::detect {
namespace {

TEST(ValueShape, Types) {
  EXPECT_EQ(infer_shape("42").type, ValueType::Integer);
  EXPECT_EQ(infer_shape("-7").type, ValueType::Integer);
  EXPECT_EQ(infer_shape("3.14").type, ValueType::Number);
  EXPECT_EQ(infer_shape("1e9").type, ValueType::Number);
  EXPECT_EQ(infer_shape("true").type, ValueType::Boolean);
  EXPECT_EQ(infer_shape("null").type, ValueType::Null);
  EXPECT_EQ(infer_shape("007").type, ValueType::String);  // a code keeps its zeros
  EXPECT_EQ(infer_shape("1.").type, ValueType::String);
  EXPECT_EQ(infer_shape("abc").type, ValueType::String);
}

TEST(ValueShape, Formats) {
  struct Case {
    const char* value;
    ValueFormat format;
  };
  const Case cases[] = {
      {"123456", ValueFormat::NumericId},
      {"550e8400-e29b-41d4-a716-446655440000", ValueFormat::Uuid},
      {"2026-12-04", ValueFormat::Date},
      {"2026-12-04T19:16:28Z", ValueFormat::DateTime},
      {"2026-12-04T19:16:28.123+01:00", ValueFormat::DateTime},
      {"198.18.0.10", ValueFormat::Ipv4},
      {"2001:2::10", ValueFormat::Ipv6},
      {"alice@example.com", ValueFormat::Email},
      {"https://example.com/a?b=c", ValueFormat::Url},
      {"5d41402abc4b2a76b9719d911017c592", ValueFormat::Hex},
      {"SGVsbG8gV29ybGQhIFRoaXMgaXM=", ValueFormat::Base64},
      {"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc", ValueFormat::Jwt},
      {"+14155552671", ValueFormat::Phone},
      {"hello", ValueFormat::None},
      {"2026-13-04", ValueFormat::None},
      {"999.1.1.1", ValueFormat::None},
      {"deadbeef", ValueFormat::None},  // letters only: a word, not an id
  };
  for (const auto& c : cases)
    EXPECT_EQ(infer_format(c.value), c.format) << c.value << " -> " << value_format_name(infer_format(c.value));
}

TEST(JsonShapeWalker, PathsDropArrayIndexes) {
  std::vector<std::string> seen;
  auto fn = [](const JsonLeaf& leaf, void* ctx) {
    static_cast<std::vector<std::string>*>(ctx)->push_back(std::string(leaf.path) + "=" +
                                                           value_type_name(leaf.type));
    return true;
  };
  const std::string doc = R"({"id": 7, "user": {"email": "a@b.co", "tags": ["x", "y"]},
                              "items": [{"sku": "A1", "qty": 2.5}], "empty": [], "none": null})";
  EXPECT_EQ(walk_json(doc, fn, &seen), JsonWalkStatus::Ok);
  const std::vector<std::string> want = {"id=integer",      "user.email=string", "user.tags[]=string",
                                         "user.tags[]=string", "items[].sku=string", "items[].qty=number",
                                         "empty=array",     "none=null"};
  EXPECT_EQ(seen, want);
}

TEST(JsonShapeWalker, MalformedAndDeep) {
  auto fn = [](const JsonLeaf&, void*) { return true; };
  EXPECT_EQ(walk_json(R"({"a": })", fn, nullptr), JsonWalkStatus::Malformed);
  EXPECT_EQ(walk_json(R"({"a": "unterminated)", fn, nullptr), JsonWalkStatus::Malformed);
  EXPECT_EQ(walk_json("", fn, nullptr), JsonWalkStatus::Malformed);
  EXPECT_EQ(walk_json(std::string(100, '[') + std::string(100, ']'), fn, nullptr), JsonWalkStatus::TooDeep);
}

}  // namespace
}  // namespace weir::detect
