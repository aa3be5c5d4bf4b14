#include "parsers/grpc/protobuf_fields.h"

#include <gtest/gtest.h>

#include <string>

#include "parsers/grpc/grpc_framer.h"
#include "parsers/grpc/grpc_message_fields.h"
#include "../noise_bytes.h"
#include "protobuf_wire.h"

namespace weir::parse {
namespace {

using namespace testing;

struct Decoded {
  ProtobufStatus status;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string get(const std::string& name) const {
    for (const auto& [n, v] : fields) {
      if (n == name) return v;
    }
    return "<none>";
  }
};

Decoded decode(const std::string& msg, uint32_t depth = 16, uint32_t cap = 64) {
  Arena arena(64 * 1024);
  FieldList fields(arena, cap);
  Decoded d{add_protobuf_fields(msg, Zone::GrpcField, depth, arena, fields), {}};
  for (const Field& f : fields.view()) {
    EXPECT_EQ(f.zone, Zone::GrpcField);
    d.fields.emplace_back(std::string(f.name), std::string(f.value));
  }
  return d;
}

TEST(ProtobufFields, ScalarsStringsAndNestedMessagesByFieldPath) {
  const std::string inner = pb_varint(1, 42) + pb_bytes(2, "' OR 1=1 --");
  const std::string msg = pb_bytes(1, "alice") + pb_varint(2, 300) + pb_bytes(3, inner) +
                          pb_fixed32(4, 7) + pb_fixed64(5, 1ull << 40) +
                          pb_bytes(6, std::string("\xff\xfe\x00\x01", 4)) + pb_bytes(7, "");
  const Decoded d = decode(msg);
  EXPECT_EQ(d.status, ProtobufStatus::Ok);
  EXPECT_EQ(d.get("1"), "alice");
  EXPECT_EQ(d.get("2"), "300");
  EXPECT_EQ(d.get("3.1"), "42");
  EXPECT_EQ(d.get("3.2"), "' OR 1=1 --");
  EXPECT_EQ(d.get("3"), "<none>");  // nested: its leaves, not its bytes
  EXPECT_EQ(d.get("4"), "7");
  EXPECT_EQ(d.get("5"), "1099511627776");
  EXPECT_EQ(d.get("6"), std::string("\xff\xfe\x00\x01", 4));  // bytes
  EXPECT_EQ(d.get("7"), "");
}

TEST(ProtobufFields, BinaryBytesFieldsGiveTheirTextRuns) {
  // An upload's `bytes content`: chance runs like ";Ms\L" (cmd-115 in
  // text) are dropped, a string of 10+ bytes inside is kept.
  const std::string blob = std::string("\x89PNG\x00\x01;Ms\\L\x02", 12) + "tEXt comment: ' OR 1=1 --" +
                           std::string("\x00", 1) + testing::noise_bytes(200);
  const Decoded d = decode(pb_bytes(1, "avatar.png") + pb_bytes(2, blob) + pb_bytes(3, std::string(80, '\x01')));
  EXPECT_EQ(d.status, ProtobufStatus::Ok);
  EXPECT_EQ(d.get("1"), "avatar.png");
  EXPECT_EQ(d.get("2"), "tEXt comment: ' OR 1=1 --");
  EXPECT_EQ(d.get("3"), "<none>");
}

TEST(ProtobufFields, RepeatedFieldsKeepEveryValue) {
  const Decoded d = decode(pb_bytes(1, "a b") + pb_bytes(1, "c d") + pb_varint(2, 1) + pb_varint(2, 2));
  ASSERT_EQ(d.fields.size(), 4u);
  EXPECT_EQ(d.fields[1].second, "c d");
  EXPECT_EQ(d.fields[3].second, "2");
}

TEST(ProtobufFields, TextThatHappensToParseAsAMessageStaysText) {
  // "hi" is also {13: 105} on the wire; as printable text it stays a string.
  EXPECT_TRUE(is_protobuf_message("hi"));
  const Decoded d = decode(pb_bytes(1, "hi"));
  EXPECT_EQ(d.get("1"), "hi");
}

TEST(ProtobufFields, DepthCapStopsRecursionButKeepsTheBytes) {
  std::string msg = pb_varint(1, 9);
  for (int i = 0; i < 6; ++i) msg = pb_bytes(1, msg);
  const Decoded deep = decode(msg, 16);
  EXPECT_EQ(deep.get("1.1.1.1.1.1.1"), "9");
  const Decoded capped = decode(msg, 3);
  EXPECT_EQ(capped.get("1.1.1.1.1.1.1"), "<none>");
  ASSERT_EQ(capped.fields.size(), 1u);
  EXPECT_EQ(capped.fields[0].first, "1.1.1");
}

TEST(ProtobufFields, MalformedAndCapped) {
  EXPECT_EQ(decode(std::string("\x0a\x05" "ab", 4)).status, ProtobufStatus::Malformed);  // short
  EXPECT_EQ(decode(std::string("\x0b", 1)).status, ProtobufStatus::Malformed);  // group
  EXPECT_EQ(decode(std::string("\x00\x01", 2)).status, ProtobufStatus::Malformed);  // field 0
  EXPECT_EQ(decode(std::string(11, '\xff')).status, ProtobufStatus::Malformed);  // varint too long
  EXPECT_TRUE(decode(std::string("\x0a\x05" "ab", 4)).fields.empty());
  std::string many;
  for (int i = 0; i < 10; ++i) many += pb_varint(1, i);
  EXPECT_EQ(decode(many, 16, 5).status, ProtobufStatus::Capped);
  EXPECT_EQ(decode("").status, ProtobufStatus::Ok);
}

TEST(ProtobufFields, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // > U+10FFFF
}

TEST(GrpcFramer, SplitsMessagesAcrossAnyCut) {
  const std::string stream = grpc_frame(pb_varint(1, 1)) + grpc_frame("") + grpc_frame("xyz", 1);
  for (size_t step = 1; step <= stream.size(); ++step) {
    GrpcFramer framer;
    std::vector<std::string> messages(1);
    std::vector<uint8_t> flags;
    for (size_t pos = 0; pos < stream.size(); pos += step) {
      std::span<const uint8_t> piece(reinterpret_cast<const uint8_t*>(stream.data()) + pos,
                                     std::min(step, stream.size() - pos));
      while (!piece.empty()) {
        std::span<const uint8_t> msg;
        bool done = false;
        const size_t taken = framer.next(piece, msg, done);
        messages.back().append(reinterpret_cast<const char*>(msg.data()), msg.size());
        if (done) {
          flags.push_back(framer.flags());
          messages.emplace_back();
        }
        piece = piece.subspan(taken);
      }
    }
    ASSERT_EQ(messages.size(), 4u) << step;
    EXPECT_EQ(messages[0], pb_varint(1, 1));
    EXPECT_EQ(messages[1], "");
    EXPECT_EQ(messages[2], "xyz");
    EXPECT_EQ(flags[2], 1);
    EXPECT_FALSE(framer.mid_message());
    EXPECT_EQ(framer.count(), 3u);
  }
}

TEST(GrpcEndpoint, ServiceAndMethodFromPath) {
  const GrpcEndpoint e = grpc_endpoint("/shop.v1.Cart/AddItem");
  EXPECT_EQ(e.service, "shop.v1.Cart");
  EXPECT_EQ(e.method, "AddItem");
  EXPECT_TRUE(grpc_endpoint("/x").service.empty());
  EXPECT_TRUE(grpc_endpoint("/a/b/c").service.empty());
  EXPECT_TRUE(grpc_endpoint("//m").service.empty());
}

}  // namespace
}  // namespace weir::parse
