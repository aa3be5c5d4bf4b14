// gRPC-Web over HTTP/1: the HTTP/1 parser's body dispatch hands
// application/grpc* bodies to the gRPC message code.
#include "parsers/grpc/grpc_body_fields.h"

#include <gtest/gtest.h>

#include "../http1_harness.h"
#include "protobuf_wire.h"

namespace weir::parse {
namespace {

using namespace testing;

std::string base64(const std::string& in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= uint8_t(in[i + 2]);
    out.push_back(k[(v >> 18) & 63]);
    out.push_back(k[(v >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? k[(v >> 6) & 63] : '=');
    out.push_back(i + 2 < in.size() ? k[v & 63] : '=');
  }
  return out;
}

std::string post(const std::string& type, const std::string& body) {
  return "POST /shop.v1.Cart/AddItem HTTP/1.1\r\nHost: web.test\r\nContent-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST(GrpcWebHttp1, BinaryBodySplitIntoMessages) {
  Http1Harness h;
  const std::string body = grpc_frame(pb_bytes(1, "a' OR 1=1")) + grpc_frame(pb_varint(2, 5));
  ASSERT_EQ(h.feed(post("application/grpc-web+proto", body)).status, FeedStatus::Ok);
  const auto end = h.sink.at(DecisionPoint::EndOfBody);
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0]->value(Zone::GrpcField, "1"), "a' OR 1=1");
  EXPECT_EQ(end[0]->value(Zone::GrpcField, "2"), "5");
  EXPECT_EQ(end[0]->count(Zone::BodyRaw), 0u);
}

TEST(GrpcWebHttp1, TextBodyWithPaddingBetweenMessages) {
  Http1Harness h;
  const std::string body =
      base64(grpc_frame(pb_bytes(3, "<script>alert(1)</script>"))) + base64(grpc_frame(pb_varint(1, 1)));
  ASSERT_EQ(h.feed(post("application/grpc-web-text", body)).status, FeedStatus::Ok);
  const auto end = h.sink.at(DecisionPoint::EndOfBody);
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0]->value(Zone::GrpcField, "3"), "<script>alert(1)</script>");
  EXPECT_EQ(end[0]->value(Zone::GrpcField, "1"), "1");
}

TEST(GrpcWebHttp1, ShortBodyIsAnIncompleteMessage) {
  Http1Harness h;
  const std::string body = grpc_frame(pb_bytes(1, "abcdef")).substr(0, 9);
  ASSERT_EQ(h.feed(post("application/grpc-web", body)).status, FeedStatus::Ok);
  const auto end = h.sink.at(DecisionPoint::EndOfBody);
  ASSERT_EQ(end.size(), 1u);
  EXPECT_TRUE(end[0]->has_finding("grpc.incomplete_message"));
  EXPECT_EQ(end[0]->count(Zone::BodyRaw), 1u);
}

TEST(GrpcWebHttp1, ContentTypes) {
  EXPECT_TRUE(is_grpc_content_type("application/grpc"));
  EXPECT_TRUE(is_grpc_content_type(" Application/gRPC+proto"));
  EXPECT_TRUE(is_grpc_content_type("application/grpc-web-text"));
  EXPECT_FALSE(is_grpc_content_type("application/json"));
}

}  // namespace
}  // namespace weir::parse
