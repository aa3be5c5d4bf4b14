#include "dataplane/runtime/blocklist.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>

namespace weir::dp {
namespace {

config::Cidr cidr(const char* s) {
  auto c = config::Cidr::parse(s);
  EXPECT_TRUE(c.has_value()) << s;
  return *c;
}

IpAddress addr(const char* s) {
  IpAddress a{};
  if (inet_pton(AF_INET6, s, a.data()) == 1) return a;
  a[10] = a[11] = 0xff;
  EXPECT_EQ(inet_pton(AF_INET, s, a.data() + 12), 1) << s;
  return a;
}

TEST(BlocklistSnapshot, EmptyMatchesNothing) {
  BlocklistSnapshot s;
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.contains(addr("198.18.0.1")));
}

TEST(BlocklistSnapshot, HostAndPrefixesBothFamilies) {
  std::vector<BlockEntry> e = {{cidr("198.18.0.1"), 0}, {cidr("198.19.4.0/22"), 0}, {cidr("2001:2::/64"), 0},
                               {cidr("2001:2:0:1::5"), 0}};
  BlocklistSnapshot s(e, 7);
  EXPECT_EQ(s.generation(), 7u);
  EXPECT_EQ(s.size(), 4u);
  EXPECT_TRUE(s.contains(addr("198.18.0.1")));
  EXPECT_FALSE(s.contains(addr("198.18.0.2")));
  EXPECT_TRUE(s.contains(addr("198.19.4.0")));
  EXPECT_TRUE(s.contains(addr("198.19.7.255")));
  EXPECT_FALSE(s.contains(addr("198.19.8.0")));
  EXPECT_FALSE(s.contains(addr("198.19.3.255")));
  EXPECT_TRUE(s.contains(addr("2001:2::1")));
  EXPECT_TRUE(s.contains(addr("2001:2::ffff:ffff:ffff:ffff")));
  EXPECT_FALSE(s.contains(addr("2001:2:0:1::4")));
  EXPECT_TRUE(s.contains(addr("2001:2:0:1::5")));
  // An IPv4 /22 must not match the IPv6 address with the same low bytes.
  EXPECT_FALSE(s.contains(addr("::c613:400")));
}

TEST(BlocklistEditor, AddRefreshRemoveExpire) {
  BlocklistEditor ed;
  EXPECT_TRUE(ed.add(cidr("198.18.0.0/24"), 1000));
  EXPECT_FALSE(ed.add(cidr("198.18.0.0/24"), 1000));  // same entry, same expiry: no change
  EXPECT_TRUE(ed.add(cidr("198.18.0.0/24"), 5000));   // refreshed TTL
  EXPECT_TRUE(ed.add(cidr("2001:2::/48"), 0));
  EXPECT_EQ(ed.entries().size(), 2u);
  EXPECT_FALSE(ed.expire(4999));
  EXPECT_TRUE(ed.expire(5000));
  ASSERT_EQ(ed.entries().size(), 1u);
  EXPECT_FALSE(ed.remove(cidr("198.18.0.0/24")));
  EXPECT_TRUE(ed.remove(cidr("2001:2::/48")));
  EXPECT_TRUE(ed.entries().empty());
}

TEST(MaskAddress, ClearsHostBits) {
  IpAddress a = addr("2001:2::ffff");
  IpAddress m = mask_address(a, 120);
  EXPECT_EQ(m[15], 0);
  EXPECT_EQ(m[14], 0xff);
  EXPECT_EQ(mask_address(a, 0), IpAddress{});
  EXPECT_EQ(mask_address(a, 128), a);
}

}  // namespace
}  // namespace weir::dp
