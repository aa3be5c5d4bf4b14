#include "parsers/binary_content.h"

#include <gtest/gtest.h>

#include <string>

#include "noise_bytes.h"

namespace weir::parse {
namespace {

TEST(BinaryContent, CompressedBytesAreBinary) {
  EXPECT_TRUE(looks_binary(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + testing::noise_bytes(200)));
  EXPECT_TRUE(looks_binary(testing::noise_bytes(256)));  // ~11% control bytes
  EXPECT_TRUE(looks_binary(std::string(32, '\0') + std::string(32, 'a')));  // UTF-16 text, too
  // Too short to tell a file from a value with an odd byte.
  EXPECT_FALSE(looks_binary(testing::noise_bytes(kMinBinaryBytes - 1)));
  // Control bytes past the sniffed prefix are not seen.
  std::string late(kBinarySniffBytes, 'a');
  late += std::string(kBinarySniffBytes, '\0');
  EXPECT_FALSE(looks_binary(late));
}

TEST(BinaryContent, TextIsNotBinary) {
  EXPECT_FALSE(looks_binary(""));
  EXPECT_FALSE(looks_binary("name,city\n\"O'Brien\",Cork\r\n"));
  EXPECT_FALSE(looks_binary("<svg xmlns=\"http://www.w3.org/2000/svg\">\t<circle r=\"4\"/></svg>"));
  EXPECT_FALSE(looks_binary("caf\xc3\xa9 \xe8\xa6\x8b\xe7\xa9\x8d \x1b[1mbold\x1b[0m \f\v"));
  // One stray control byte in a long text does not make it a file, and a
  // NUL is an evasion inside a text value.
  std::string text(100, 'x');
  text[50] = '\x01';
  EXPECT_FALSE(looks_binary(text));
  std::string value = "{\"file\": \"../../../../etc/passwd";
  value += '\0';
  value += ".png\", \"q\": \"";
  value += '\0';
  value += "<script>alert(document.domain)</script>\"}";
  EXPECT_FALSE(looks_binary(value));
}

TEST(BinaryContent, TextMediaTypes) {
  for (const char* t : {"text/plain", "TEXT/CSV", "application/json", "application/problem+json",
                        "application/soap+xml", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data", "application/graphql", "application/javascript", "application/x-yaml"}) {
    EXPECT_TRUE(is_text_media_type(t)) << t;
  }
  for (const char* t : {"", "image/png", "application/pdf", "application/octet-stream", "application/zip",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "video/mp4"}) {
    EXPECT_FALSE(is_text_media_type(t)) << t;
  }
}

TEST(BinaryContent, TextRunsKeepRunsOfTwelveAsciiBytesOrMore) {
  Arena arena(4096);
  // Runs with 12+ ASCII text bytes (UTF-8 sequences are kept inside a run
  // but do not count), joined by '\n'.
  const std::string bin = std::string("\x01\x02short\x00", 9) + "a long string" + std::string("\xff\xfe", 2) +
                          "caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e" + std::string("\x00\x9c", 2) +
                          "tail run!!!" + std::string("\x01", 1) + "tail run!!!!";
  EXPECT_EQ(text_runs(bin, arena), "a long string\ncaf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e\ntail run!!!!");
  // Eleven ASCII bytes and two UTF-8 sequences: a chance run of random bytes
  // as often as not ("`S\\NX9\xca\x82ukD" tripped cmd-115 in a media stream).
  EXPECT_EQ(text_runs(std::string("\x01`S\\NX9\xca\x82ukD\xc3\xa9xy\x01", 16), arena), "");
  // A lone continuation byte or a cut sequence is not text.
  EXPECT_EQ(text_runs(std::string("abcdef\xa9" "efghijkl\x00", 16), arena), "");
  EXPECT_EQ(text_runs(std::string("\x00\x01", 2), arena), "");
  // A full arena: the bytes themselves, nothing lost.
  Arena tiny(8);
  const std::string big(64, '\x01');
  EXPECT_EQ(text_runs(big, tiny).size(), big.size());
}

TEST(BinaryContent, TextRunsKeepShortMessagePackStrings) {
  Arena arena(4096);
  // {"type": "chat", "text": "{{7*7}}", "n": 5, "q": "1 or 1=1"} in MessagePack:
  // every string of 6+ bytes whose length header stands right before it.
  const std::string map = std::string("\x84\xa4type\xa4" "chat\xa4text\xa7{{7*7}}\xa1n\x05\xa1q\xd9\x08") + "1 or 1=1";
  EXPECT_EQ(text_runs(map, arena), "{{7*7}}\n1 or 1=1");
  // bin8 and str16 headers frame the same way.
  EXPECT_EQ(text_runs(std::string("\x00\xc4\x06${7*7}\x00", 10), arena), "${7*7}");
  EXPECT_EQ(text_runs(std::string("\x00\xda\x00\x06;id;ls\x00", 11), arena), ";id;ls");
  // A header whose length is not the run's is chance: the short run goes.
  EXPECT_EQ(text_runs(std::string("\x00\xa9$@Zzh;\x00", 9), arena), "");
  EXPECT_EQ(text_runs(std::string("\x00\xa5$@Zzh;\x00", 9), arena), "");
  // Under six bytes even a framed string is left out.
  EXPECT_EQ(text_runs(std::string("\x00\xa5;ls -\x00", 8), arena), "");
}

TEST(BinaryContent, RandomBytesKeepLittleText) {
  // 256 KB of noise (each byte is text with p ~ 0.4): runs of 12 ASCII
  // bytes and framed strings leave 80-150 bytes of text to scan; runs of
  // 10 text bytes with UTF-8 sequences counted left 880-970.
  Arena arena(1u << 20);
  for (uint64_t seed : {1ull, 2ull, 3ull}) {
    const std::string noise = testing::noise_bytes(256 * 1024, seed * 0x9e3779b97f4a7c15ull);
    EXPECT_LT(text_runs(noise, arena).size(), 300u) << seed;
  }
}

}  // namespace
}  // namespace weir::parse
