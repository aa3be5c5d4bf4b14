// HugePageArray: value-initialised, 2 MiB-aligned from 1 MiB up, movable.

#include "dataplane/flow/huge_page_array.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "dataplane/flow/flow.h"

namespace weir::dp {
namespace {

TEST(HugePageArray, SmallArrayIsZeroedAndAligned) {
  HugePageArray<Flow> a(10);
  EXPECT_EQ(a.size(), 10u);
  EXPECT_FALSE(a.huge_mapped());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data()) % alignof(Flow), 0u);
  for (const Flow& f : a) {
    EXPECT_EQ(f.chain_next, 0u);
    EXPECT_EQ(f.tcp_state, TcpState::None);
    EXPECT_TRUE(f.in_scope);  // default member initialisers ran
  }
}

TEST(HugePageArray, OneMiBArrayIsMappedButHalfAMiBIsNot) {
  // The bucket array of a 2^18-flow table: 2^18 four-byte chain heads.
  HugePageArray<uint32_t> buckets(size_t{1} << 18);
  EXPECT_TRUE(buckets.huge_mapped());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(buckets.data()) % HugePageArray<uint32_t>::kHugePage, 0u);
  buckets[(size_t{1} << 18) - 1] = 1;  // the last element is writable
  HugePageArray<uint32_t> half(size_t{1} << 17);
  EXPECT_FALSE(half.huge_mapped());
}

TEST(HugePageArray, LargeArrayIsOnItsOwn2MiBAlignedMapping) {
  const size_t n = (5u << 20) / sizeof(uint32_t);  // 5 MiB: rounds to 6 MiB mapped
  HugePageArray<uint32_t> a(n);
  EXPECT_TRUE(a.huge_mapped());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data()) % HugePageArray<uint32_t>::kHugePage, 0u);
  uint64_t sum = 0;
  for (uint32_t v : a) sum += v;
  EXPECT_EQ(sum, 0u);
  a[n - 1] = 7;  // the last element is writable
  HugePageArray<uint32_t> b(std::move(a));
  EXPECT_EQ(b.size(), n);
  EXPECT_EQ(b[n - 1], 7u);
  EXPECT_EQ(a.size(), 0u);
  HugePageArray<uint32_t> c(4);
  c = std::move(b);
  EXPECT_EQ(c[n - 1], 7u);
  EXPECT_TRUE(c.huge_mapped());
}

}  // namespace
}  // namespace weir::dp
