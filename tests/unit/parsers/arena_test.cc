#include <gtest/gtest.h>

#include <cstdint>
#include <set>

#include "parsers/arena.h"
#include "parsers/field_list.h"
#include "parsers/slab_pool.h"

namespace weir::parse {
namespace {

TEST(Arena, AllocatesAlignedUntilFullThenNull) {
  Arena a(256);
  void* p1 = a.allocate(3, 1);
  void* p2 = a.allocate(8, 8);
  ASSERT_NE(p1, nullptr);
  ASSERT_NE(p2, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p2) % 8, 0u);
  EXPECT_EQ(a.allocate(1000, 1), nullptr);
  EXPECT_EQ(a.allocate(SIZE_MAX, 1), nullptr);
  a.reset();
  EXPECT_EQ(a.used(), 0u);
  EXPECT_NE(a.allocate(256, 1), nullptr);
  EXPECT_EQ(a.allocate(1, 1), nullptr);
}

TEST(Arena, CopyKeepsBytes) {
  Arena a(64);
  const std::string_view c = a.copy("hello");
  EXPECT_EQ(c, "hello");
  EXPECT_TRUE(a.copy(std::string(100, 'x')).empty());
}

TEST(FieldList, RefusesPastCapacityAndSaysSo) {
  Arena a(4096);
  FieldList l(a, 2);
  EXPECT_TRUE(l.add(Zone::Header, "a", "1"));
  EXPECT_TRUE(l.add(Zone::Header, "b", "2"));
  EXPECT_FALSE(l.overflowed());
  EXPECT_FALSE(l.add(Zone::Header, "c", "3"));
  EXPECT_TRUE(l.overflowed());
  EXPECT_EQ(l.size(), 2u);
  EXPECT_EQ(l.view_from(1).size(), 1u);
  EXPECT_EQ(l.view_from(5).size(), 0u);
}

TEST(SlabPool, HandsOutDistinctAlignedSlabsAndCountsExhaustion) {
  SlabPool pool(100, 3);
  EXPECT_EQ(pool.slab_size() % 64, 0u);
  std::set<uint8_t*> got;
  for (int i = 0; i < 3; ++i) {
    uint8_t* s = pool.acquire();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(s) % 64, 0u);
    got.insert(s);
  }
  EXPECT_EQ(got.size(), 3u);
  EXPECT_EQ(pool.acquire(), nullptr);
  EXPECT_EQ(pool.exhausted(), 1u);
  pool.release(*got.begin());
  EXPECT_EQ(pool.available(), 1u);
  EXPECT_EQ(pool.acquire(), *got.begin());
  pool.release(nullptr);
  EXPECT_EQ(pool.available(), 0u);
}

}  // namespace
}  // namespace weir::parse
