// Corpus request serialisation (the wire bytes weirctl inspect feeds the
// parser) and the strict base64 of the *_b64 keys.

#include "cli/corpus_request.h"

#include <gtest/gtest.h>

namespace weir::cli {
namespace {

TEST(SerializeRequest, ComputesContentLengthForABodyWithoutFraming) {
  RequestParts p;
  p.method = "POST";
  p.uri = "/api/v1/orders?sort=desc";
  p.headers = {{"Host", "shop.example"}, {"Content-Type", "application/json"}};
  p.body = "{\"a\":1}";
  EXPECT_EQ(serialize_request(p),
            "POST /api/v1/orders?sort=desc HTTP/1.1\r\nHost: shop.example\r\n"
            "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
}

TEST(SerializeRequest, NoContentLengthWithoutBody) {
  RequestParts p;
  p.method = "GET";
  p.uri = "/";
  p.headers = {{"Host", "a"}};
  EXPECT_EQ(serialize_request(p), "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
}

TEST(SerializeRequest, KeepsGivenFramingHeadersAsSent) {
  RequestParts p;
  p.method = "POST";
  p.uri = "/x";
  p.headers = {{"Host", "a"}, {"content-length", "99"}};
  p.body = "abc";
  // The corpus says what was sent, even a lying Content-Length.
  EXPECT_EQ(serialize_request(p), "POST /x HTTP/1.1\r\nHost: a\r\ncontent-length: 99\r\n\r\nabc");
  p.headers = {{"Host", "a"}, {"Transfer-Encoding", "chunked"}};
  p.body = "3\r\nabc\r\n0\r\n\r\n";
  EXPECT_EQ(serialize_request(p),
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
}

TEST(SerializeRequest, DuplicateHeadersInOrderAndVersionForms) {
  RequestParts p;
  p.method = "GET";
  p.uri = "/";
  p.version = "HTTP/1.0";
  p.headers = {{"X-A", "1"}, {"Host", "h"}, {"X-A", "2"}};
  EXPECT_EQ(serialize_request(p), "GET / HTTP/1.0\r\nX-A: 1\r\nHost: h\r\nX-A: 2\r\n\r\n");
  p.version = "1.0";
  EXPECT_EQ(serialize_request(p).substr(0, 16), "GET / HTTP/1.0\r\n");
}

TEST(Base64, DecodesWithAndWithoutPadding) {
  std::string out;
  size_t off = 0;
  ASSERT_TRUE(decode_base64("", out, off));
  EXPECT_EQ(out, "");
  ASSERT_TRUE(decode_base64("QQ==", out, off));
  EXPECT_EQ(out, "A");
  ASSERT_TRUE(decode_base64("QQ", out, off));
  EXPECT_EQ(out, "A");
  ASSERT_TRUE(decode_base64("QUI=", out, off));
  EXPECT_EQ(out, "AB");
  ASSERT_TRUE(decode_base64("R0VUIC8gSFRUUC8xLjENCg==", out, off));
  EXPECT_EQ(out, "GET / HTTP/1.1\r\n");
  ASSERT_TRUE(decode_base64("/w+A", out, off));
  EXPECT_EQ(out, std::string("\xff\x0f\x80", 3));
}

TEST(Base64, RejectsWithTheOffsetOfTheBadByte) {
  std::string out;
  size_t off = 99;
  EXPECT_FALSE(decode_base64("QU!=", out, off));
  EXPECT_EQ(off, 2u);
  EXPECT_FALSE(decode_base64("QQ=", out, off));  // padding does not complete the quantum
  EXPECT_FALSE(decode_base64("QUJD=", out, off));  // padding after a full quantum
  EXPECT_FALSE(decode_base64("Q", out, off));      // 6 bits cannot make a byte
  EXPECT_EQ(off, 0u);
  EXPECT_FALSE(decode_base64("QQ==QQ==", out, off));  // data after padding
  EXPECT_EQ(off, 4u);
  EXPECT_FALSE(decode_base64("QR==", out, off));  // non-zero spare bits: not canonical
  EXPECT_FALSE(decode_base64("QUJD\n", out, off));
  EXPECT_EQ(off, 4u);
  EXPECT_FALSE(decode_base64("-_8", out, off));  // URL-safe alphabet is not the format's
}

}  // namespace
}  // namespace weir::cli
