// gRPC over the HTTP/2 parser: one decision per message, protobuf fields,
// gzip message compression, trailers, gRPC-Web (binary and text).
#include <gtest/gtest.h>
#include <zlib.h>

#include "../http2/h2_frame_builder.h"
#include "../http2/h2_harness.h"
#include "protobuf_wire.h"

namespace weir::parse {
namespace {

using namespace testing;

std::string gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string base64(const std::string& in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(k[(v >> s) & 63]);
  }
  if (i < in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
    out.push_back(k[(v >> 18) & 63]);
    out.push_back(k[(v >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? k[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

HeaderList grpc_request(const char* type = "application/grpc") {
  return {{":method", "POST"},     {":scheme", "http"},          {":authority", "grpc.test"},
          {":path", "/shop.v1.Cart/AddItem"}, {"content-type", type}, {"te", "trailers"},
          {"grpc-encoding", "gzip"}};
}

TEST(GrpcStream, OneDecisionPerMessageWithProtobufFields) {
  const std::string m1 = pb_bytes(1, "sku-1' OR '1'='1") + pb_varint(2, 3);
  const std::string m2 = pb_bytes(1, "sku-2") + pb_bytes(4, pb_bytes(1, "<script>"));
  const std::string body = grpc_frame(m1) + grpc_frame(gzip(m2), 1);
  HpackEncoder c;
  HpackEncoder s;
  Http2Harness h;
  std::string client = preface() + settings() + headers_frame(1, c.encode(grpc_request()), false);
  client += data(1, body.substr(0, 7), false) + data(1, body.substr(7), true);
  ASSERT_EQ(h.client(client).status, FeedStatus::Ok);
  const auto messages = h.sink.at(DecisionPoint::EndOfMessage);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0]->target, "/shop.v1.Cart/AddItem");
  EXPECT_EQ(messages[0]->value(Zone::GrpcField, "1"), "sku-1' OR '1'='1");
  EXPECT_EQ(messages[0]->value(Zone::GrpcField, "2"), "3");
  EXPECT_EQ(messages[0]->fields[messages[0]->first_new].zone, Zone::GrpcField);
  EXPECT_EQ(messages[1]->value(Zone::GrpcField, "1"), "sku-2");
  EXPECT_EQ(messages[1]->value(Zone::GrpcField, "4.1"), "<script>");
  EXPECT_EQ(messages[1]->count(Zone::GrpcField), 2u);  // only this message's fields
  EXPECT_EQ(h.sink.at(DecisionPoint::EndOfBody).size(), 1u);

  std::string server = settings();
  server += headers_frame(1, s.encode({{":status", "200"}, {"content-type", "application/grpc"}}), false);
  server += data(1, grpc_frame(pb_varint(1, 7)), false);
  server += headers_frame(1, s.encode({{"grpc-status", "0"}, {"grpc-message", "ok"}}), true);
  ASSERT_EQ(h.server(server).status, FeedStatus::Ok);
  const auto resp = h.sink.at(DecisionPoint::EndOfMessage, Direction::Response);
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_EQ(resp[0]->value(Zone::RespBody, "1"), "7");
  const auto end = h.sink.at(DecisionPoint::EndOfBody, Direction::Response);
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0]->value(Zone::RespHeader, "grpc-status"), "0");
}

TEST(GrpcStream, MessagesDoNotDependOnChunking) {
  const std::string body = grpc_frame(pb_bytes(1, "a b c")) + grpc_frame(gzip(pb_varint(3, 9)), 1);
  HpackEncoder c;
  const std::string client = preface() + settings() +
                             headers_frame(1, c.encode(grpc_request()), false) + data(1, body);
  Http2Harness whole;
  ASSERT_EQ(whole.client(client).status, FeedStatus::Ok);
  ASSERT_EQ(whole.sink.decisions.size(), 4u);
  for (size_t cut = 1; cut < client.size(); ++cut) {
    Http2Harness h;
    ASSERT_EQ(h.client(client.substr(0, cut)).status, FeedStatus::Ok);
    ASSERT_EQ(h.client(client.substr(cut)).status, FeedStatus::Ok);
    ASSERT_EQ(h.sink.decisions.size(), 4u) << cut;
    for (size_t i = 0; i < 4; ++i) EXPECT_EQ(h.sink.decisions[i].fields, whole.sink.decisions[i].fields);
  }
}

TEST(GrpcStream, BadMessagesAreInspectedRaw) {
  HpackEncoder c;
  Http2Harness h;
  const std::string body = grpc_frame(std::string("\x0a\x09short", 7)) +
                           grpc_frame("not gzip at all", 1) + grpc_frame("abc", 0) + std::string("\x00\x00", 2);
  ASSERT_EQ(h.client(preface() + settings() + headers_frame(1, c.encode(grpc_request()), false) +
                     data(1, body))
                .status,
            FeedStatus::Ok);
  const auto messages = h.sink.at(DecisionPoint::EndOfMessage);
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_TRUE(messages[0]->has_finding("grpc.malformed_protobuf"));
  EXPECT_EQ(messages[0]->value(Zone::BodyRaw), std::string("\x0a\x09short", 7));
  EXPECT_TRUE(messages[1]->has_finding("grpc.bad_compression"));
  EXPECT_EQ(messages[1]->value(Zone::BodyRaw), "not gzip at all");
  EXPECT_TRUE(h.sink.at(DecisionPoint::EndOfBody).at(0)->has_finding("grpc.incomplete_message"));
}

TEST(GrpcStream, OversizedMessageIsTruncatedNotDropped) {
  ParseLimits limits;
  limits.max_body_inspect = 64;
  HpackEncoder c;
  Http2Harness h(Http2Parser::Start::ClientPreface, {}, limits);
  const std::string big = pb_bytes(1, std::string(200, 'z'));
  ASSERT_EQ(h.client(preface() + settings() + headers_frame(1, c.encode(grpc_request()), false) +
                     data(1, grpc_frame(big)))
                .status,
            FeedStatus::Ok);
  const auto m = h.sink.at(DecisionPoint::EndOfMessage);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_TRUE(m[0]->has_finding("grpc.message_truncated"));
  EXPECT_EQ(m[0]->value(Zone::BodyRaw), big.substr(0, 64));
}

TEST(GrpcStream, ProtobufDepthIsTheConnectionsCap) {
  // A varint first: the innermost message is not also readable as text.
  std::string nested = pb_varint(3, 7) + pb_bytes(1, "' OR 1=1--");
  for (int i = 0; i < 5; ++i) nested = pb_bytes(2, nested);  // 2.2.2.2.2.1
  Http2Limits h2;
  h2.max_protobuf_depth = 3;
  HpackEncoder c;
  Http2Harness h(Http2Parser::Start::ClientPreface, h2);
  HeaderList req = grpc_request();
  req.pop_back();  // no grpc-encoding
  ASSERT_EQ(h.client(preface() + settings() + headers_frame(1, c.encode(req), false) +
                     data(1, grpc_frame(nested)))
                .status,
            FeedStatus::Ok);
  const auto m = h.sink.at(DecisionPoint::EndOfMessage);
  ASSERT_EQ(m.size(), 1u);
  // Decoding stops at depth 3; the rest is kept as that field's bytes.
  EXPECT_EQ(m[0]->value(Zone::GrpcField, "2.2.2.2.2.1"), "<none>");
  const std::string kept = m[0]->value(Zone::GrpcField, "2.2.2");
  EXPECT_NE(kept.find("' OR 1=1--"), std::string::npos);
  // The default (16) decodes all of it.
  HpackEncoder c2;
  Http2Harness deep;
  ASSERT_EQ(deep.client(preface() + settings() + headers_frame(1, c2.encode(req), false) +
                        data(1, grpc_frame(nested)))
                .status,
            FeedStatus::Ok);
  EXPECT_EQ(deep.sink.at(DecisionPoint::EndOfMessage).at(0)->value(Zone::GrpcField, "2.2.2.2.2.1"),
            "' OR 1=1--");
}

TEST(GrpcStream, CompressedMessageBombIsCutAndReported) {
  ParseLimits limits;
  limits.max_decoded_bytes = 256 * 1024;
  limits.decode_ratio_floor = 64 * 1024;
  limits.max_decode_ratio = 50;
  HpackEncoder c;
  Http2Harness h(Http2Parser::Start::ClientPreface, {}, limits);
  const std::string bomb = gzip(std::string(4 << 20, '\0'));  // 4 MB of zeros in ~4 KB
  ASSERT_LT(bomb.size(), 8192u);
  ASSERT_EQ(h.client(preface() + settings() + headers_frame(1, c.encode(grpc_request()), false) +
                     data(1, grpc_frame(bomb, 1)))
                .status,
            FeedStatus::Ok);
  const auto m = h.sink.at(DecisionPoint::EndOfMessage);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_TRUE(m[0]->has_finding("encoding.bomb"));
  EXPECT_TRUE(m[0]->has_finding("grpc.bad_compression"));
  EXPECT_EQ(m[0]->value(Zone::BodyRaw), bomb);  // the message as sent is still inspected
}

TEST(GrpcStream, GrpcWebBinaryAndText) {
  const std::string msg = pb_bytes(2, "../../etc/passwd");
  const std::string trailer = grpc_frame("grpc-status: 0\r\ngrpc-message: done\r\n", 0x80);
  for (const char* type : {"application/grpc-web+proto", "application/grpc-web-text"}) {
    const bool text = std::string(type).find("text") != std::string::npos;
    HpackEncoder c;
    HpackEncoder s;
    Http2Harness h;
    const std::string req_body = text ? base64(grpc_frame(msg)) : grpc_frame(msg);
    ASSERT_EQ(h.client(preface() + settings() + headers_frame(1, c.encode(grpc_request(type)), false) +
                       data(1, req_body.substr(0, 5), false) + data(1, req_body.substr(5)))
                  .status,
              FeedStatus::Ok);
    const auto m = h.sink.at(DecisionPoint::EndOfMessage);
    ASSERT_EQ(m.size(), 1u) << type;
    EXPECT_EQ(m[0]->value(Zone::GrpcField, "2"), "../../etc/passwd") << type;
    // Response: a message and the trailer frame, each base64'd on its own
    // in the text variant (padding in the middle of the stream).
    const std::string resp_body = text ? base64(grpc_frame(pb_varint(1, 5))) + base64(trailer)
                                       : grpc_frame(pb_varint(1, 5)) + trailer;
    ASSERT_EQ(h.server(settings() + headers_frame(1, s.encode({{":status", "200"}, {"content-type", type}}),
                                                  false) +
                       data(1, resp_body))
                  .status,
              FeedStatus::Ok);
    const auto r = h.sink.at(DecisionPoint::EndOfMessage, Direction::Response);
    ASSERT_EQ(r.size(), 2u) << type;
    EXPECT_EQ(r[0]->value(Zone::RespBody, "1"), "5");
    EXPECT_EQ(r[1]->value(Zone::RespHeader, "grpc-message"), "done");
  }
}

}  // namespace
}  // namespace weir::parse
