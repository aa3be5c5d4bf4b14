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

TEST(BinaryContent, TextRunsKeepStringsOfTenBytesOrMore) {
  Arena arena(4096);
  // Runs of 10+ text bytes (UTF-8 sequences count whole), joined by '\n'.
  const std::string bin = std::string("\x01\x02short\x00", 9) + "a long string" + std::string("\xff\xfe", 2) +
                          "caf\xc3\xa9 cr\xc3\xa8me" + std::string("\x00\x9c", 2) + "tail run!!";
  EXPECT_EQ(text_runs(bin, arena), "a long string\ncaf\xc3\xa9 cr\xc3\xa8me\ntail run!!");
  // A lone continuation byte or a cut sequence is not text.
  EXPECT_EQ(text_runs(std::string("abcd\xa9" "efghij\x00", 12), arena), "");
  EXPECT_EQ(text_runs(std::string("\x00\x01", 2), arena), "");
  // A full arena: the bytes themselves, nothing lost.
  Arena tiny(8);
  const std::string big(64, '\x01');
  EXPECT_EQ(text_runs(big, tiny).size(), big.size());
}

}  // namespace
}  // namespace weir::parse
