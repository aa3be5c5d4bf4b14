#include "parsers/encoding/content_decoder.h"

#include <brotli/encode.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "parsers/arena.h"
#include "parsers/encoding/content_coding.h"
#include "parsers/field_list.h"

namespace weir::parse {
namespace {

enum class Wrap { Raw, Zlib, Gzip };

std::string deflate_with(std::string_view in, Wrap wrap, int level = 6) {
  z_stream z{};
  const int bits = wrap == Wrap::Raw ? -15 : wrap == Wrap::Zlib ? 15 : 31;
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
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

std::string brotli(std::string_view in, int quality = 5) {
  std::string out(BrotliEncoderMaxCompressedSize(in.size()) + 64, '\0');
  size_t n = out.size();
  EXPECT_TRUE(BrotliEncoderCompress(quality, 22, BROTLI_MODE_GENERIC, in.size(),
                                    reinterpret_cast<const uint8_t*>(in.data()), &n,
                                    reinterpret_cast<uint8_t*>(out.data())));
  out.resize(n);
  return out;
}

CodingList codings(std::string_view header) {
  CodingList l;
  append_codings(header, false, l);
  return l;
}

bool has(const FindingList& f, std::string_view name) {
  for (uint32_t i = 0; i < f.size(); ++i) {
    if (f[i].name == name) return true;
  }
  return false;
}

class ContentDecoderTest : public ::testing::Test {
 protected:
  ContentDecoderTest() : decoder(limits(), 8 << 20), arena(4096), findings(arena, 16) {}
  static ParseLimits limits() {
    ParseLimits l;
    l.max_body_inspect = 4096;
    l.max_decoded_bytes = 1 << 20;
    l.max_decode_ratio = 100;
    l.decode_ratio_floor = 64 * 1024;
    return l;
  }
  DecodedBody run(std::string_view header, std::string_view input, bool truncated = false) {
    return decoder.decode(codings(header), input, truncated, findings);
  }
  ContentDecoder decoder;
  Arena arena;
  FindingList findings;
};

const std::string kJson = R"({"user":"admin' OR 1=1 --","id":[1,2,3]})";

TEST(ContentCoding, ListsAreReadInTheOrderApplied) {
  CodingList l;
  append_codings(" GZIP , br,identity,, x-gzip ", false, l);
  ASSERT_EQ(l.count, 3u);
  EXPECT_EQ(l.codings[0], ContentCoding::Gzip);
  EXPECT_EQ(l.codings[1], ContentCoding::Brotli);
  EXPECT_EQ(l.codings[2], ContentCoding::Gzip);
  EXPECT_FALSE(l.has_unknown());
  CodingList te;
  append_codings("gzip, chunked", true, te);
  EXPECT_EQ(te.count, 1u);
  CodingList unknown;
  append_codings("gzip, zstd", false, unknown);
  EXPECT_EQ(unknown.unknown_name, "zstd");
  CodingList many;
  append_codings("gzip,gzip,gzip,gzip,gzip", false, many);
  EXPECT_TRUE(many.too_many);
}

TEST_F(ContentDecoderTest, GzipDeflateAndBrotliDecode) {
  for (const auto& [header, data] :
       {std::pair<std::string, std::string>{"gzip", deflate_with(kJson, Wrap::Gzip)},
        {"x-gzip", deflate_with(kJson, Wrap::Gzip)},
        {"deflate", deflate_with(kJson, Wrap::Zlib)},
        {"deflate", deflate_with(kJson, Wrap::Raw)},
        {"br", brotli(kJson)}}) {
    findings = FindingList(arena, 16);
    const DecodedBody d = run(header, data);
    EXPECT_EQ(d.status, DecodeStatus::Complete) << header;
    EXPECT_EQ(d.bytes, kJson) << header;
    EXPECT_EQ(findings.size(), 0u) << header;
    // JSON padding follows the decoded bytes.
    EXPECT_EQ(d.bytes.data()[d.bytes.size()], '\0');
  }
}

TEST_F(ContentDecoderTest, StackedCodingsAreUndoneLastFirst) {
  const std::string data = brotli(deflate_with(kJson, Wrap::Gzip));
  const DecodedBody d = run("gzip, br", data);
  EXPECT_EQ(d.status, DecodeStatus::Complete);
  EXPECT_EQ(d.bytes, kJson);
  // The wrong order is malformed, never a crash.
  findings = FindingList(arena, 16);
  EXPECT_EQ(run("br, gzip", data).status, DecodeStatus::Failed);
  EXPECT_TRUE(has(findings, "encoding.malformed"));
}

TEST_F(ContentDecoderTest, ConcatenatedGzipMembersAreOneBody) {
  const std::string data = deflate_with("abc", Wrap::Gzip) + deflate_with("def", Wrap::Gzip);
  const DecodedBody d = run("gzip", data);
  EXPECT_EQ(d.status, DecodeStatus::Complete);
  EXPECT_EQ(d.bytes, "abcdef");
}

TEST_F(ContentDecoderTest, UnknownAndTooManyCodingsAreFindings) {
  EXPECT_EQ(run("zstd", "xyz").status, DecodeStatus::Failed);
  EXPECT_TRUE(has(findings, "encoding.unknown"));
  findings = FindingList(arena, 16);
  EXPECT_EQ(run("gzip,gzip,gzip,gzip,gzip", "xyz").status, DecodeStatus::Failed);
  EXPECT_TRUE(has(findings, "encoding.too_many_layers"));
}

TEST_F(ContentDecoderTest, MalformedIncompleteAndTrailingData) {
  std::string bad = deflate_with(kJson, Wrap::Gzip);
  bad[12] = static_cast<char>(bad[12] ^ 0xff);
  bad[13] = static_cast<char>(bad[13] ^ 0xff);
  EXPECT_EQ(run("gzip", bad).status, DecodeStatus::Failed);
  EXPECT_TRUE(has(findings, "encoding.malformed"));

  findings = FindingList(arena, 16);
  const std::string full = deflate_with(kJson, Wrap::Gzip);
  const std::string cut = full.substr(0, full.size() - 6);
  EXPECT_EQ(run("gzip", cut).status, DecodeStatus::Failed);
  EXPECT_TRUE(has(findings, "encoding.incomplete"));

  // The same cut inside a body truncated at the inspection limit is a prefix.
  findings = FindingList(arena, 16);
  const DecodedBody prefix = run("gzip", cut, /*truncated=*/true);
  EXPECT_EQ(prefix.status, DecodeStatus::Prefix);
  EXPECT_FALSE(has(findings, "encoding.incomplete"));

  findings = FindingList(arena, 16);
  const DecodedBody trailing = run("br", brotli(kJson) + "<script>");
  EXPECT_EQ(trailing.status, DecodeStatus::Complete);
  EXPECT_TRUE(has(findings, "encoding.trailing_data"));
}

TEST_F(ContentDecoderTest, OutputPastTheInspectionLimitIsAPrefix) {
  std::string big;
  for (int i = 0; big.size() < 20000; ++i) big += "field" + std::to_string(i) + "=value&";
  const DecodedBody d = run("gzip", deflate_with(big, Wrap::Gzip));
  EXPECT_EQ(d.status, DecodeStatus::Prefix);
  EXPECT_EQ(d.bytes, std::string_view(big).substr(0, 4096));
  EXPECT_EQ(d.decoded_total, big.size());
  EXPECT_TRUE(has(findings, "encoding.output_truncated"));
}

TEST_F(ContentDecoderTest, BombsStopAtTheRatioCap) {
  const std::string zeros(4 << 20, '\0');
  for (const auto& [header, data] :
       {std::pair<std::string, std::string>{"gzip", deflate_with(zeros, Wrap::Gzip, 9)},
        {"br", brotli(zeros, 9)},
        {"deflate", deflate_with(zeros, Wrap::Raw, 9)}}) {
    findings = FindingList(arena, 16);
    const DecodedBody d = run(header, data);
    EXPECT_EQ(d.status, DecodeStatus::Bomb) << header;
    EXPECT_TRUE(has(findings, "encoding.bomb")) << header;
    // Stopped near the floor, far before the 4 MiB the server would make.
    EXPECT_LT(d.decoded_total, uint64_t{1} << 20) << header;
  }
}

TEST_F(ContentDecoderTest, NestedBombStopsAtItsLayer) {
  // The outer layer is small and harmless; the inner one is the bomb. Each
  // layer has the caps: the stack cannot multiply its way past them.
  const std::string zeros(4 << 20, '\0');
  for (const auto& [header, data] :
       {std::pair<std::string, std::string>{"gzip, gzip", deflate_with(deflate_with(zeros, Wrap::Gzip, 9), Wrap::Gzip, 9)},
        {"br, gzip", deflate_with(brotli(zeros, 9), Wrap::Gzip, 9)}}) {
    findings = FindingList(arena, 16);
    ASSERT_LT(data.size(), 8192u) << header;
    const DecodedBody d = run(header, data);
    EXPECT_EQ(d.status, DecodeStatus::Bomb) << header;
    EXPECT_TRUE(has(findings, "encoding.bomb")) << header;
    EXPECT_LT(d.decoded_total, uint64_t{1} << 20) << header;
  }
}

TEST_F(ContentDecoderTest, BombsStopAtTheAbsoluteCap) {
  // Random-looking data compresses badly: the ratio cap never fires, the
  // absolute one does.
  std::string noise(3 << 20, '\0');
  uint32_t x = 12345;
  for (char& c : noise) {
    x = x * 1103515245 + 12345;
    c = static_cast<char>(x >> 24);
  }
  const DecodedBody d = run("gzip", deflate_with(noise, Wrap::Gzip, 1));
  EXPECT_EQ(d.status, DecodeStatus::Bomb);
  EXPECT_TRUE(has(findings, "encoding.bomb"));
  EXPECT_LE(d.decoded_total, (uint64_t{1} << 20) + 64 * 1024);
}

TEST_F(ContentDecoderTest, LegitimateCompressionBelowTheRatioIsNoBomb) {
  std::string text;
  for (int i = 0; text.size() < 200000; ++i) text += "{\"id\":" + std::to_string(i * 7919) + "},";
  const DecodedBody d = run("gzip", deflate_with(text, Wrap::Gzip));
  EXPECT_EQ(d.status, DecodeStatus::Prefix);
  EXPECT_FALSE(has(findings, "encoding.bomb"));
  EXPECT_EQ(d.decoded_total, text.size());
}

TEST_F(ContentDecoderTest, DecoderIsReusableAfterFailures) {
  EXPECT_EQ(run("gzip", "\x1f\x8bgarbage").status, DecodeStatus::Failed);
  EXPECT_EQ(run("br", "\xff\xff\xff").status, DecodeStatus::Failed);
  for (int i = 0; i < 50; ++i) {
    const DecodedBody d = run("gzip", deflate_with(kJson, Wrap::Gzip));
    ASSERT_EQ(d.status, DecodeStatus::Complete);
    ASSERT_EQ(d.bytes, kJson);
    const DecodedBody b = run("br", brotli(kJson));
    ASSERT_EQ(b.status, DecodeStatus::Complete);
  }
}

TEST(ContentDecoderMemory, BrotliOverItsArenaIsAResourceLimit) {
  ParseLimits l;
  l.max_body_inspect = 4096;
  ContentDecoder small(l, 16 * 1024);  // too small for brotli's tables
  Arena arena(4096);
  FindingList findings(arena, 8);
  CodingList br;
  append_codings("br", false, br);
  std::string text;
  for (int i = 0; text.size() < 100000; ++i) text += std::to_string(i * 2654435761u);
  const DecodedBody d = small.decode(br, brotli(text, 11), false, findings);
  EXPECT_EQ(d.status, DecodeStatus::Failed);
  EXPECT_TRUE(has(findings, "encoding.resource_limit"));
}

}  // namespace
}  // namespace weir::parse
