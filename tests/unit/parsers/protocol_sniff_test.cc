// Protocol detection by content: each answer, and NeedMore for every prefix
// too short to tell (tiny first segments must not mislabel a connection).
#include "parsers/protocol_sniff.h"

#include <gtest/gtest.h>

#include <string>
#include <initializer_list>
#include <string_view>

namespace weir::parse {
namespace {

SniffResult sniff(std::string_view s) {
  return sniff_client_protocol({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

TEST(ProtocolSniff, RequestLinesAreHttp1) {
  for (std::string_view s : {"GET / HTTP/1.1\r\n", "POST /api HTTP/1.1", "DELETE /x", "OPTIONS * HTTP/1.1",
                             "VERSION-CONTROL /r HTTP/1.1", "PROPFIND / HTTP/1.1"})
    EXPECT_EQ(sniff(s), SniffResult::Http1) << s;
}

TEST(ProtocolSniff, PrefixesOfAMethodNeedMore) {
  EXPECT_EQ(sniff(""), SniffResult::NeedMore);
  EXPECT_EQ(sniff("G"), SniffResult::NeedMore);
  EXPECT_EQ(sniff("GE"), SniffResult::NeedMore);
  EXPECT_EQ(sniff("GET"), SniffResult::NeedMore);
}

TEST(ProtocolSniff, Http2PrefaceAndItsPrefixes) {
  const std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  EXPECT_EQ(sniff(preface), SniffResult::Http2);
  EXPECT_EQ(sniff(preface + "\x00\x00\x12\x04"), SniffResult::Http2);
  for (size_t n = 1; n < preface.size(); ++n) EXPECT_EQ(sniff(preface.substr(0, n)), SniffResult::NeedMore) << n;
  // Diverges from the preface after "PRI ": an (odd) HTTP/1 request.
  EXPECT_EQ(sniff("PRI /x HTTP/1.1\r\n"), SniffResult::Http1);
}

TEST(ProtocolSniff, TlsClientHello) {
  EXPECT_EQ(sniff("\x16\x03\x01\x02\x00"), SniffResult::Tls);
  EXPECT_EQ(sniff("\x16"), SniffResult::NeedMore);
  EXPECT_EQ(sniff("\x16\x07"), SniffResult::Unknown);
}

TEST(ProtocolSniff, OtherProtocolsAreUnknown) {
  for (std::string_view s : std::initializer_list<std::string_view>{"SSH-2.0-OpenSSH_9.2\r\n", "*3\r\n$3\r\nSET\r\n", "get / HTTP/1.1", std::string_view("\x00\x01", 2),
                             "GET\t/", "ABCDEFGHIJKLMNOPQRSTUVWXYZABC /"})
    EXPECT_EQ(sniff(s), SniffResult::Unknown) << s;
}

}  // namespace
}  // namespace weir::parse
