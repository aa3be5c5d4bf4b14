// Cidr: parsing (v4, v6, host prefixes, bad input), contains, to_string.

#include "config/cidr.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <array>
#include <string>

namespace weir::config {
namespace {

std::array<uint8_t, 16> v4(const char* text) {
  std::array<uint8_t, 16> out{};
  out[10] = 0xff;
  out[11] = 0xff;
  EXPECT_EQ(inet_pton(AF_INET, text, out.data() + 12), 1) << text;
  return out;
}

std::array<uint8_t, 16> v6(const char* text) {
  std::array<uint8_t, 16> out{};
  EXPECT_EQ(inet_pton(AF_INET6, text, out.data()), 1) << text;
  return out;
}

struct ParseCase {
  const char* text;
  const char* canonical;  // to_string() of the result
  unsigned prefix_len;    // over 128 bits
  bool is_v4;
};

class CidrParse : public ::testing::TestWithParam<ParseCase> {};

TEST_P(CidrParse, ParsesAndRendersCanonically) {
  const ParseCase& c = GetParam();
  const std::optional<Cidr> cidr = Cidr::parse(c.text);
  ASSERT_TRUE(cidr.has_value()) << c.text;
  EXPECT_EQ(cidr->to_string(), c.canonical);
  EXPECT_EQ(cidr->prefix_len, c.prefix_len);
  EXPECT_EQ(cidr->is_v4, c.is_v4);
  // Rendering and parsing again is stable.
  const std::optional<Cidr> again = Cidr::parse(cidr->to_string());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->addr, cidr->addr);
  EXPECT_EQ(again->prefix_len, cidr->prefix_len);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CidrParse,
    ::testing::Values(ParseCase{"198.18.0.0/15", "198.18.0.0/15", 111, true},
                      ParseCase{"0.0.0.0/0", "0.0.0.0/0", 96, true},
                      ParseCase{"198.18.7.9", "198.18.7.9/32", 128, true},
                      ParseCase{"198.18.7.9/32", "198.18.7.9/32", 128, true},
                      ParseCase{"198.18.7.8/31", "198.18.7.8/31", 127, true},
                      ParseCase{"2001:2::/48", "2001:2::/48", 48, false},
                      ParseCase{"2001:0002:0000::/48", "2001:2::/48", 48, false},
                      ParseCase{"::/0", "::/0", 0, false},
                      ParseCase{"2001:2::1", "2001:2::1/128", 128, false},
                      ParseCase{"2001:2::1/128", "2001:2::1/128", 128, false},
                      ParseCase{"2001:2:0:8000::/49", "2001:2:0:8000::/49", 49, false},
                      // IPv4 written the IPv6 way is IPv4.
                      ParseCase{"::ffff:198.18.0.0/111", "198.18.0.0/15", 111, true}));

class CidrReject : public ::testing::TestWithParam<const char*> {};

TEST_P(CidrReject, ReturnsNullopt) { EXPECT_FALSE(Cidr::parse(GetParam()).has_value()); }

INSTANTIATE_TEST_SUITE_P(Table, CidrReject,
                         ::testing::Values("", "/", "/8", "198.18.0.0/", "198.18.0.1/15",
                                           "198.18.0.0/33", "198.18.0.0/-1", "198.18.0.0/+8",
                                           "198.18.0.0/ 8", "198.18.0.0/8x", "198.18.0.0/0008",
                                           "198.18.0.0/15/1", "198.18.0", "198.18.0.256/32",
                                           "198.018.0.0/16", " 198.18.0.0/15", "198.18.0.0/15 ",
                                           "2001:2::/129", "2001:2::1/48", "2001:2:::/48",
                                           "fe80::1%eth0", "example.com", "2001:2::/48x"));

TEST(CidrContains, V4Boundaries) {
  const Cidr net = *Cidr::parse("198.18.0.0/15");
  EXPECT_TRUE(net.contains(v4("198.18.0.0")));
  EXPECT_TRUE(net.contains(v4("198.19.255.255")));
  EXPECT_FALSE(net.contains(v4("198.17.255.255")));
  EXPECT_FALSE(net.contains(v4("198.20.0.0")));
}

TEST(CidrContains, V6Boundaries) {
  const Cidr net = *Cidr::parse("2001:2::/48");
  EXPECT_TRUE(net.contains(v6("2001:2::")));
  EXPECT_TRUE(net.contains(v6("2001:2:0:ffff:ffff:ffff:ffff:ffff")));
  EXPECT_FALSE(net.contains(v6("2001:2:1::")));
  EXPECT_FALSE(net.contains(v6("2001:1:ffff:ffff:ffff:ffff:ffff:ffff")));
}

TEST(CidrContains, OddPrefixLengthMasksWithinAByte) {
  const Cidr net = *Cidr::parse("2001:2:0:8000::/49");
  EXPECT_TRUE(net.contains(v6("2001:2:0:8000::1")));
  EXPECT_TRUE(net.contains(v6("2001:2:0:ffff::")));
  EXPECT_FALSE(net.contains(v6("2001:2:0:7fff::")));
}

TEST(CidrContains, HostPrefixMatchesOnlyItself) {
  const Cidr host = *Cidr::parse("198.18.0.1");
  EXPECT_TRUE(host.contains(v4("198.18.0.1")));
  EXPECT_FALSE(host.contains(v4("198.18.0.0")));
  EXPECT_FALSE(host.contains(v4("198.18.0.2")));
  const Cidr host6 = *Cidr::parse("2001:2::1");
  EXPECT_TRUE(host6.contains(v6("2001:2::1")));
  EXPECT_FALSE(host6.contains(v6("2001:2::")));
}

TEST(CidrContains, ZeroPrefixesStayInTheirFamily) {
  const Cidr all_v4 = *Cidr::parse("0.0.0.0/0");
  const Cidr all_v6 = *Cidr::parse("::/0");
  EXPECT_TRUE(all_v4.contains(v4("198.18.0.1")));
  EXPECT_TRUE(all_v4.contains(v4("255.255.255.255")));
  EXPECT_FALSE(all_v4.contains(v6("2001:2::1")));
  EXPECT_TRUE(all_v6.contains(v6("2001:2::1")));
  EXPECT_TRUE(all_v6.contains(v6("::")));
  EXPECT_FALSE(all_v6.contains(v4("198.18.0.1")));
}

}  // namespace
}  // namespace weir::config
