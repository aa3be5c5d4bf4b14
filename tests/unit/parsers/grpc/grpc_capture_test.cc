// A real gRPC exchange (python3-grpcio client and server on loopback):
// gzip-compressed unary call with metadata and trailers, then a
// bidirectional stream, through the HTTP/2 parser whole and byte by byte.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "../http2/h2_harness.h"

namespace weir::parse {
namespace {

using namespace testing;

TEST(GrpcCapture, GrpcioUnaryAndBidiStreaming) {
  std::ifstream in(std::string(WEIR_H2_CAPTURES) + "/grpcio_unary_and_bidi.bin", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(all.size(), 500u);
  for (size_t step : {size_t{0}, size_t{1}}) {
    Http2Harness h;
    for (size_t i = 0; i + 5 <= all.size();) {
      const auto* p = reinterpret_cast<const uint8_t*>(all.data() + i);
      const uint32_t n = (uint32_t{p[1]} << 24) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 8) | p[4];
      const Direction dir = p[0] == 0 ? Direction::Request : Direction::Response;
      ASSERT_EQ(h.feed(std::string_view(all).substr(i + 5, n), dir, step).status, FeedStatus::Ok);
      i += 5 + n;
    }
    const auto req = h.sink.at(DecisionPoint::EndOfMessage);
    ASSERT_EQ(req.size(), 3u);
    EXPECT_EQ(req[0]->target, "/shop.v1.Cart/AddItem");
    EXPECT_EQ(req[0]->value(Zone::Header, "x-user"), "alice");
    EXPECT_EQ(req[0]->value(Zone::Header, "grpc-encoding"), "gzip");
    EXPECT_EQ(req[0]->value(Zone::GrpcField, "1"), "sku-1' OR '1'='1");  // gunzipped
    EXPECT_EQ(req[0]->value(Zone::GrpcField, "2.1"), "<script>mug</script>");
    EXPECT_EQ(req[0]->value(Zone::GrpcField, "2.2"), "6");
    EXPECT_TRUE(req[0]->findings.empty());
    // The streamed requests are raw bytes, not protobuf: inspected raw.
    EXPECT_EQ(req[1]->target, "/shop.v1.Cart/Stream");
    EXPECT_EQ(req[2]->value(Zone::BodyRaw), "two ../../etc/passwd");
    EXPECT_TRUE(req[2]->has_finding("grpc.malformed_protobuf"));
    const auto resp = h.sink.at(DecisionPoint::EndOfMessage, Direction::Response);
    ASSERT_EQ(resp.size(), 3u);
    EXPECT_EQ(resp[0]->value(Zone::RespBody, "1"), "1");
    EXPECT_EQ(resp[2]->value(Zone::RespBody, "2"), "two ../../etc/passwd");
    const auto ends = h.sink.at(DecisionPoint::EndOfBody, Direction::Response);
    ASSERT_EQ(ends.size(), 2u);
    EXPECT_EQ(ends[0]->status, 200);
    EXPECT_EQ(ends[0]->value(Zone::RespHeader, "grpc-status"), "0");
    EXPECT_EQ(ends[0]->value(Zone::RespHeader, "x-trace"), "abc");
    EXPECT_EQ(h.parser->open_streams(), 0u);
  }
}

}  // namespace
}  // namespace weir::parse
