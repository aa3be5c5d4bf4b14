#include "parsers/grpc/protoset_names.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "../http2/h2_frame_builder.h"
#include "../http2/h2_harness.h"
#include "protobuf_wire.h"

namespace weir::parse {
namespace {

using namespace testing;

std::string protoset() {
  std::ifstream in(WEIR_SHOP_PROTOSET, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string add_item_request() {
  std::string packed = varint(1) + varint(2) + varint(300);
  uint64_t price_bits;
  const double price = 9.5;
  std::memcpy(&price_bits, &price, sizeof(price));
  return pb_bytes(1, "sku' OR 1=1") + pb_bytes(2, pb_bytes(1, "<b>mug</b>") + pb_varint(2, 5)) +
         pb_fixed64(3, price_bits) + pb_varint(4, 2) + pb_bytes(5, packed) +
         pb_bytes(6, std::string("\x01\x02", 2)) + pb_varint(99, 7);
}

TEST(ProtosetNames, LoadsMethodsFromProtocOutput) {
  ProtosetNames names;
  std::string error;
  ASSERT_TRUE(names.load(protoset(), &error)) << error;
  EXPECT_EQ(names.method_count(), 1u);
  EXPECT_NE(names.message_type("/shop.v1.Cart/AddItem", Direction::Request), nullptr);
  EXPECT_NE(names.message_type("/shop.v1.Cart/AddItem", Direction::Response), nullptr);
  EXPECT_EQ(names.message_type("/shop.v1.Cart/Remove", Direction::Request), nullptr);
  ProtosetNames bad;
  EXPECT_FALSE(bad.load("\x0a\x05garbage", &error));
  EXPECT_FALSE(error.empty());
}

TEST(ProtosetNames, NamesAndTypesFromTheDescriptor) {
  ProtosetNames names;
  ASSERT_TRUE(names.load(protoset(), nullptr));
  Arena arena(64 * 1024);
  FieldList fields(arena, 64);
  const auto* type = names.message_type("/shop.v1.Cart/AddItem", Direction::Request);
  const std::string message = add_item_request();  // the fields are views into it
  ASSERT_EQ(add_named_protobuf_fields(message, type, Zone::GrpcField, 16, arena, fields),
            ProtobufStatus::Ok);
  std::vector<std::pair<std::string, std::string>> got;
  for (const Field& f : fields.view()) got.emplace_back(std::string(f.name), std::string(f.value));
  const std::vector<std::pair<std::string, std::string>> want = {
      {"sku", "sku' OR 1=1"}, {"item.name", "<b>mug</b>"}, {"item.quantity", "-3"},
      {"price", "9.5"},       {"kind", "GIFT"},            {"tags", "1"},
      {"tags", "2"},          {"tags", "300"},             {"blob", std::string("\x01\x02", 2)},
      {"99", "7"}};
  EXPECT_EQ(got, want);
}

TEST(ProtosetNames, Http2ParserUsesTheDescriptorForGrpcStreams) {
  ProtosetNames names;
  ASSERT_TRUE(names.load(protoset(), nullptr));
  HpackEncoder c;
  Http2Harness h;
  h.parser->set_protoset(&names);
  const std::string head = c.encode({{":method", "POST"}, {":scheme", "http"}, {":authority", "g"},
                                     {":path", "/shop.v1.Cart/AddItem"},
                                     {"content-type", "application/grpc"}});
  ASSERT_EQ(h.client(preface() + settings() + headers_frame(1, head, false) +
                     data(1, grpc_frame(add_item_request())))
                .status,
            FeedStatus::Ok);
  const auto m = h.sink.at(DecisionPoint::EndOfMessage);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0]->value(Zone::GrpcField, "item.name"), "<b>mug</b>");
  EXPECT_EQ(m[0]->value(Zone::GrpcField, "kind"), "GIFT");
}

}  // namespace
}  // namespace weir::parse
