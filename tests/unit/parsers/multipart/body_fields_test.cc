// HTTP/1 body dispatch end to end: content codings undone before the
// Content-Type picks the field parser; multipart bodies split.
#include "parsers/http1/body_fields.h"

#include <brotli/encode.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "../http1_harness.h"
#include "../noise_bytes.h"

namespace weir::parse {
namespace {

using testing::Http1Harness;

std::string gzip(std::string_view in) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string brotli(std::string_view in) {
  std::string out(BrotliEncoderMaxCompressedSize(in.size()) + 64, '\0');
  size_t n = out.size();
  EXPECT_TRUE(BrotliEncoderCompress(5, 22, BROTLI_MODE_GENERIC, in.size(),
                                    reinterpret_cast<const uint8_t*>(in.data()), &n,
                                    reinterpret_cast<uint8_t*>(out.data())));
  out.resize(n);
  return out;
}

std::string post(std::string_view headers, std::string_view body) {
  return "POST /api HTTP/1.1\r\nHost: h\r\n" + std::string(headers) +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

TEST(BodyKind, MultipartTypesAreRecognised) {
  EXPECT_EQ(body_kind_for("multipart/form-data; boundary=x"), BodyKind::Multipart);
  EXPECT_EQ(body_kind_for("Multipart/Mixed;boundary=x"), BodyKind::Multipart);
  EXPECT_EQ(body_kind_for("multipart/related; boundary=x"), BodyKind::Raw);
  EXPECT_EQ(body_kind_for("application/vnd.api+json"), BodyKind::Json);
}

TEST(BodyFields, GzipJsonIsDecodedThenFlattened) {
  Http1Harness h;
  ASSERT_EQ(h.feed(post("Content-Type: application/json\r\nContent-Encoding: gzip\r\n",
                        gzip(R"({"q":"' UNION SELECT 1"})")), Direction::Request, 7).status,
            FeedStatus::Ok);
  const auto& body = h.sink.decisions.at(1);
  EXPECT_EQ(body.value(Zone::BodyJson, "q"), "' UNION SELECT 1");
  EXPECT_FALSE(body.has_finding("http1.body_encoded"));
  EXPECT_EQ(body.count(Zone::BodyRaw), 0u);
}

TEST(BodyFields, StackedAndTransferCodingsAreUndone) {
  Http1Harness h;
  const std::string encoded = brotli(gzip("a=1&b=<script>"));
  std::string chunked = "10\r\n" + encoded.substr(0, 16) + "\r\n";
  std::string rest = encoded.substr(16);
  char size[16];
  std::snprintf(size, sizeof(size), "%zx", rest.size());
  chunked += std::string(size) + "\r\n" + rest + "\r\n0\r\n\r\n";
  const std::string req =
      "POST /f HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Encoding: gzip\r\nTransfer-Encoding: br, chunked\r\n\r\n" + chunked;
  ASSERT_EQ(h.feed(req).status, FeedStatus::Ok);
  EXPECT_EQ(h.sink.decisions.at(1).value(Zone::BodyForm, "b"), "<script>");
}

TEST(BodyFields, UndecodableBodiesAreInspectedAsSent) {
  Http1Harness h;
  ASSERT_EQ(h.feed(post("Content-Encoding: zstd\r\n", "opaque")).status, FeedStatus::Ok);
  const auto& body = h.sink.decisions.at(1);
  EXPECT_TRUE(body.has_finding("encoding.unknown"));
  EXPECT_TRUE(body.has_finding("http1.body_encoded"));
  EXPECT_EQ(body.value(Zone::BodyRaw), "opaque");
}

TEST(BodyFields, BombIsAFindingAndThePrefixIsInspected) {
  ParseLimits limits;
  limits.max_decode_ratio = 50;
  limits.decode_ratio_floor = 256 * 1024;
  Http1Harness h(limits);
  const std::string bomb = gzip("<script>" + std::string(8 << 20, 'A'));
  ASSERT_LT(bomb.size(), limits.max_body_inspect);
  ASSERT_EQ(h.feed(post("Content-Encoding: gzip\r\n", bomb)).status, FeedStatus::Ok);
  const auto& body = h.sink.decisions.at(1);
  EXPECT_TRUE(body.has_finding("encoding.bomb"));
  ASSERT_EQ(body.count(Zone::BodyRaw), 2u);
  EXPECT_EQ(body.fields.back().value.substr(0, 8), "<script>");
}

TEST(BodyFields, GzipResponseBodyIsDecoded) {
  Http1Harness h;
  ASSERT_EQ(h.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status, FeedStatus::Ok);
  const std::string body = gzip("secret=4111111111111111");
  ASSERT_EQ(h.feed("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n\r\n" + body,
                   Direction::Response)
                .status,
            FeedStatus::Ok);
  const auto resp = h.sink.at(DecisionPoint::EndOfBody, Direction::Response);
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_EQ(resp[0]->value(Zone::RespBody), "secret=4111111111111111");
}

TEST(BodyFields, MultipartRequestIsSplit) {
  Http1Harness h;
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\n<img onerror=x>\r\n"
      "--b\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"shell.php\"\r\n\r\n<?php\r\n--b--\r\n";
  ASSERT_EQ(h.feed(post("Content-Type: multipart/form-data; boundary=b\r\n", body), Direction::Request, 5).status,
            FeedStatus::Ok);
  const auto& d = h.sink.decisions.at(1);
  EXPECT_EQ(d.value(Zone::BodyMultipart, "comment"), "<img onerror=x>");
  EXPECT_EQ(d.value(Zone::BodyMultipart, "upload.filename"), "shell.php");
  EXPECT_EQ(d.value(Zone::BodyMultipart, "upload"), "<?php");
  EXPECT_TRUE(d.findings.empty());
}

TEST(BodyFields, GzipMultipartIsDecodedThenSplit) {
  Http1Harness h;
  const std::string body = gzip("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1;DROP\r\n--b--\r\n");
  ASSERT_EQ(h.feed(post("Content-Type: multipart/form-data; boundary=b\r\nContent-Encoding: gzip\r\n", body)).status,
            FeedStatus::Ok);
  EXPECT_EQ(h.sink.decisions.at(1).value(Zone::BodyMultipart, "x"), "1;DROP");
}

TEST(BodyFields, BinaryRequestBodyIsFileContent) {
  const std::string jpeg = std::string("\xff\xd8\xff\xe0\0\x10JFIF\0 a$@b", 16) + testing::noise_bytes(200);
  for (const char* type : {"Content-Type: image/jpeg\r\n", "Content-Type: application/octet-stream\r\n", ""}) {
    Http1Harness h;
    ASSERT_EQ(h.feed(post(type, jpeg)).status, FeedStatus::Ok) << type;
    const auto& d = h.sink.decisions.at(1);
    EXPECT_EQ(d.value(Zone::BodyFile), jpeg) << type;
    EXPECT_EQ(d.value(Zone::BodyRaw), "<none>") << type;
  }
}

TEST(BodyFields, TextOrTextTypedRequestBodyIsRaw) {
  // Text bytes under a file type, and binary bytes under a text type: both
  // stay body_raw, read by every rule.
  Http1Harness text;
  ASSERT_EQ(text.feed(post("Content-Type: application/octet-stream\r\n", "cat /etc/passwd")).status, FeedStatus::Ok);
  EXPECT_EQ(text.sink.decisions.at(1).value(Zone::BodyRaw), "cat /etc/passwd");
  const std::string bin = testing::noise_bytes(100) + ";id";
  Http1Harness typed;
  ASSERT_EQ(typed.feed(post("Content-Type: text/plain\r\n", bin)).status, FeedStatus::Ok);
  EXPECT_EQ(typed.sink.decisions.at(1).value(Zone::BodyRaw), bin);
}

}  // namespace
}  // namespace weir::parse
