#include "cli/block_target.h"

#include <gtest/gtest.h>

namespace weir::cli {
namespace {

BlockTarget ok(BlockKind kind, const char* text) {
  auto parsed = parse_block_target(kind, text);
  EXPECT_TRUE(std::holds_alternative<BlockTarget>(parsed))
      << text << ": " << (std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "");
  return std::holds_alternative<BlockTarget>(parsed) ? std::get<BlockTarget>(parsed) : BlockTarget{};
}

std::string error(BlockKind kind, const char* text) {
  auto parsed = parse_block_target(kind, text);
  EXPECT_TRUE(std::holds_alternative<std::string>(parsed)) << text;
  return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "";
}

TEST(BlockTarget, SingleAddresses) {
  auto v4 = ok(BlockKind::Ip, "198.18.0.7");
  EXPECT_EQ(v4.canonical, "198.18.0.7");
  EXPECT_TRUE(v4.is_v4);
  EXPECT_EQ(v4.prefix_len, 32u);
  auto v6 = ok(BlockKind::Ip, "2001:0002:0000::0007");
  EXPECT_EQ(v6.canonical, "2001:2::7");  // canonical inet_ntop form
  EXPECT_FALSE(v6.is_v4);
  EXPECT_EQ(v6.prefix_len, 128u);
}

TEST(BlockTarget, IpRefusesPrefix) {
  EXPECT_NE(error(BlockKind::Ip, "198.18.0.0/16").find("use 'cidr'"), std::string::npos);
}

TEST(BlockTarget, Prefixes) {
  EXPECT_EQ(ok(BlockKind::Cidr, "198.18.0.0/15").canonical, "198.18.0.0/15");
  EXPECT_EQ(ok(BlockKind::Cidr, "2001:2::/48").canonical, "2001:2::/48");
  EXPECT_EQ(ok(BlockKind::Cidr, "0.0.0.0/0").prefix_len, 0u);
  EXPECT_EQ(ok(BlockKind::Cidr, "198.18.0.7").canonical, "198.18.0.7/32");
  EXPECT_EQ(ok(BlockKind::Cidr, "2001:2::1/128").canonical, "2001:2::1/128");
}

TEST(BlockTarget, HostBitsSetSuggestsNetwork) {
  const auto message = error(BlockKind::Cidr, "198.18.0.1/15");
  EXPECT_NE(message.find("host bits"), std::string::npos);
  EXPECT_NE(message.find("198.18.0.0/15"), std::string::npos);
  EXPECT_NE(error(BlockKind::Cidr, "2001:2::1/48").find("2001:2::/48"), std::string::npos);
  EXPECT_NE(error(BlockKind::Cidr, "198.18.1.0/23").find("198.18.0.0/23"), std::string::npos);
}

TEST(BlockTarget, RejectsGarbage) {
  for (const char* bad : {"", "198.18.0", "198.18.0.256", "1.2.3.4.5", "host.example", "::g",
                          "198.18.0.0/33", "2001:2::/129", "198.18.0.0/", "198.18.0.0/-1",
                          "198.18.0.0/1a", "/24", "198.18.0.0/0024"}) {
    error(BlockKind::Cidr, bad);
  }
  for (const char* bad : {"", "198.18.0.1 ", "x"}) error(BlockKind::Ip, bad);
}

}  // namespace
}  // namespace weir::cli
