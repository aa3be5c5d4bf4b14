// The 403 block page (dataplane/runtime/block_page.h): built from the RST
// the stream stage makes toward the client, it keeps that RST's layer 2,
// addresses, ports, seq and ack, carries ACK|PSH|FIN and the response with
// the request id, and round-trips through the decoder with valid checksums
// (IPv4 and IPv6 with VLAN tags). block_page_for() asks for a page only for
// HTTP/1 requests under block_response: page.

#include "dataplane/runtime/block_page.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dataplane/decode/packet_decoder.h"
#include "dataplane/stream/tcp_checksum.h"
#include "tests/unit/stream/tcp_segment_builder.h"

namespace weir::dp::test {
namespace {

TEST(BlockPage, ResponseNamesTheRequestId) {
  char buf[kMaxBlockPagePayload];
  const uint32_t n = format_block_page(0x0000100000000abcULL, buf, sizeof buf);
  const std::string page(buf, n);
  EXPECT_TRUE(page.starts_with("HTTP/1.1 403 Forbidden\r\n")) << page;
  EXPECT_NE(page.find("X-Request-Id: 0000100000000abc\r\n"), std::string::npos);
  EXPECT_NE(page.find("Connection: close\r\n"), std::string::npos);
  const size_t body = page.find("\r\n\r\n") + 4;
  EXPECT_NE(page.find("Content-Length: " + std::to_string(n - body) + "\r\n"), std::string::npos) << page;
  EXPECT_NE(page.find("Request id: 0000100000000abc", body), std::string::npos);
  char tiny[16];
  EXPECT_EQ(format_block_page(1, tiny, sizeof tiny), 0u);
}

TEST(BlockPage, SegmentTakesTheResetsNumbersAndChecksumsRight) {
  for (bool v6 : {false, true}) {
    const auto in = build_segment({.v6 = v6, .seq = 1000, .ack = 5000, .payload = "GET /?q=attack HTTP/1.1\r\n\r\n",
                                   .vlans = {42}});
    Packet p;
    ASSERT_EQ(decode_packet(in.data(), static_cast<uint32_t>(in.size()), p), DecodeStatus::Ok);
    ResetFrame rst;
    rst.len = build_tcp_reset(p, ResetTarget::Sender, 5000, 1027, rst.frame, sizeof rst.frame);
    rst.toward_sender = true;
    ASSERT_GT(rst.len, 0u);

    uint8_t out[kMaxBlockPageFrame];
    const uint32_t n = build_block_page_frame(rst, p, 0x1234, out, sizeof out);
    ASSERT_GT(n, rst.len) << "v6 " << v6;
    Packet page;
    ASSERT_EQ(decode_packet(out, n, page), DecodeStatus::Ok);
    EXPECT_TRUE(tcp_checksum_ok(page));
    EXPECT_EQ(page.src, p.dst);
    EXPECT_EQ(page.dst, p.src);
    EXPECT_EQ(page.src_port, p.dst_port);
    EXPECT_EQ(page.dst_port, p.src_port);
    EXPECT_EQ(page.tcp_seq, 5000u);
    EXPECT_EQ(page.tcp_ack, 1027u);
    EXPECT_EQ(page.tcp_flags, tcp_flag::kAck | tcp_flag::kPsh | tcp_flag::kFin);
    const std::string payload(reinterpret_cast<const char*>(page.payload()), page.payload_len);
    EXPECT_TRUE(payload.starts_with("HTTP/1.1 403 Forbidden")) << payload;
    EXPECT_NE(payload.find("0000000000001234"), std::string::npos);
    // MACs swapped as for the RST: the page goes back to the client.
    EXPECT_EQ(std::vector<uint8_t>(out, out + 12), std::vector<uint8_t>(rst.frame, rst.frame + 12));
  }
}

TEST(BlockPage, RefusesWhatIsNotAnRstOrTooSmall) {
  const auto in = build_segment({.seq = 1, .ack = 2, .payload = "x"});
  Packet p;
  ASSERT_EQ(decode_packet(in.data(), static_cast<uint32_t>(in.size()), p), DecodeStatus::Ok);
  ResetFrame rst;
  rst.len = build_tcp_reset(p, ResetTarget::Sender, 2, 2, rst.frame, sizeof rst.frame);
  uint8_t out[kMaxBlockPageFrame];
  EXPECT_EQ(build_block_page_frame(rst, p, 1, out, 100), 0u);
  ResetFrame not_rst = rst;
  not_rst.frame[14 + 20 + 13] = tcp_flag::kAck;
  EXPECT_EQ(build_block_page_frame(not_rst, p, 1, out, sizeof out), 0u);
}

TEST(BlockPage, OnlyHttp1RequestsUnderPagePolicy) {
  detect::PolicyConfig pol;
  parse::Transaction txn;
  txn.protocol = parse::Protocol::Http1;
  txn.direction = parse::Direction::Request;
  EXPECT_FALSE(block_page_for(pol, &txn, 7).wanted);  // default: reset
  pol.block_response = detect::BlockResponse::Page;
  const BlockPageRequest r = block_page_for(pol, &txn, 7);
  EXPECT_TRUE(r.wanted);
  EXPECT_EQ(r.request_id, 7u);
  EXPECT_FALSE(block_page_for(pol, nullptr, 7).wanted);  // a stream the parser could not follow
  txn.protocol = parse::Protocol::Http2;
  EXPECT_FALSE(block_page_for(pol, &txn, 7).wanted);
  txn.protocol = parse::Protocol::Http1;
  txn.direction = parse::Direction::Response;
  EXPECT_FALSE(block_page_for(pol, &txn, 7).wanted);
}

}  // namespace
}  // namespace weir::dp::test
