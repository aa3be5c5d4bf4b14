// CleanValueCache: exact (name, value) lookups, eviction by the ring and by
// colliding slots, size limits, clear and the disabled form.

#include "detect/clean_value_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace weir::detect {
namespace {

TEST(CleanValueCacheTest, FindsExactlyWhatWasInserted) {
  CleanValueCache c(64, 64 * 1024);
  ASSERT_TRUE(c.enabled());
  EXPECT_FALSE(c.contains(5, "user-agent", "curl/8.0"));
  c.insert(5, "user-agent", "curl/8.0");
  EXPECT_TRUE(c.contains(5, "user-agent", "curl/8.0"));
  EXPECT_FALSE(c.contains(5, "user-agent", "curl/8.1"));   // other bytes
  EXPECT_FALSE(c.contains(5, "user-agen", "tcurl/8.0"));   // same bytes, other split
  EXPECT_FALSE(c.contains(5, "accept", "curl/8.0"));       // other name
  EXPECT_FALSE(c.contains(5, "user-agent", "curl/8.0 "));  // longer
  EXPECT_FALSE(c.contains(6, "user-agent", "curl/8.0"));   // other zone
  c.clear();
  EXPECT_FALSE(c.contains(5, "user-agent", "curl/8.0"));
}

// Names and values of every length the hash reads in words, overlapping
// words or bytes: found when inserted, never when one byte differs.
TEST(CleanValueCacheTest, EveryLengthIsFoundExactly) {
  for (size_t len = 0; len <= 40; ++len) {
    CleanValueCache c(4096, 256 * 1024);
    std::string v(len, 'v'), name(len % 11, 'n');
    for (size_t i = 0; i < len; ++i) v[i] = static_cast<char>('a' + (i * 7) % 26);
    c.insert(6, name, v);
    EXPECT_TRUE(c.contains(6, name, v)) << len;
    EXPECT_EQ(CleanValueCache::hash_of(6, name, v), CleanValueCache::hash_of(6, name, std::string(v)));
    for (size_t i = 0; i < len; ++i) {
      std::string w = v;
      w[i] = static_cast<char>(w[i] ^ 1);
      EXPECT_FALSE(c.contains(6, name, w)) << len << " at " << i;
    }
  }
}

TEST(CleanValueCacheTest, OldEntriesFallOutOfTheRing) {
  CleanValueCache c(1024, 4096);  // entries up to 256 bytes
  std::string v(200, 'a');
  c.insert(5, "h", "first");
  for (int i = 0; i < 40; ++i) {  // 8 KB written: the ring wrapped twice
    v[0] = static_cast<char>('a' + i % 26);
    v[1] = static_cast<char>('a' + i / 26);
    c.insert(5, "x", v);
  }
  EXPECT_FALSE(c.contains(5, "h", "first"));
  EXPECT_TRUE(c.contains(5, "x", v));  // the newest is still there
}

TEST(CleanValueCacheTest, CollidingValuesEvictEachOtherAndNeverMatchWrongly) {
  CleanValueCache c(1, 64 * 1024);  // one slot: every value collides
  c.insert(5, "a", "1");
  c.insert(5, "b", "2");
  EXPECT_FALSE(c.contains(5, "a", "1"));
  EXPECT_TRUE(c.contains(5, "b", "2"));
}

TEST(CleanValueCacheTest, SizeLimitsAndDisabled) {
  CleanValueCache c(16, 16 * 1024);  // entries up to 1 KB
  std::string big(2000, 'x');
  c.insert(5, "cookie", big);
  EXPECT_FALSE(c.contains(5, "cookie", big));
  CleanValueCache off(0, 1 << 20);
  EXPECT_FALSE(off.enabled());
  off.insert(5, "a", "b");
  EXPECT_FALSE(off.contains(5, "a", "b"));
}

}  // namespace
}  // namespace weir::detect
