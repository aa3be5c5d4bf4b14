#include "parsers/bounded_heap.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace weir::parse {
namespace {

TEST(BoundedHeap, BudgetCapsOneFlowAndFreedBlocksAreReused) {
  BoundedHeap heap(1 << 20);
  HeapBudget a(heap, 8 * 1024);
  HeapBudget b(heap, 1 << 20);
  void* p = a.allocate(1000);  // a 1 KiB block
  ASSERT_NE(p, nullptr);
  EXPECT_GE(HeapBudget::usable(p), 1000u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
  std::memset(p, 1, 1000);
  EXPECT_EQ(a.used(), 1024u);
  EXPECT_EQ(a.allocate(7000), nullptr);  // an 8 KiB block would pass the budget
  EXPECT_EQ(heap.exhausted(), 1u);
  void* q = b.allocate(7000);
  ASSERT_NE(q, nullptr);  // another flow's budget is untouched
  a.free(p);
  EXPECT_EQ(a.used(), 0u);
  EXPECT_EQ(a.allocate(1000), p);  // the same class comes back from the free list
  b.free(q);
}

TEST(BoundedHeap, RegionExhaustionAndLimits) {
  BoundedHeap heap(64 * 1024);
  HeapBudget big(heap, 1 << 30);
  std::vector<void*> blocks;
  for (void* p = big.allocate(4000); p != nullptr; p = big.allocate(4000)) blocks.push_back(p);
  EXPECT_EQ(blocks.size(), 16u);  // 16 blocks of 4 KiB
  EXPECT_EQ(heap.in_use(), 64u * 1024);
  EXPECT_EQ(big.allocate(BoundedHeap::max_allocation() + 1), nullptr);
  for (void* p : blocks) big.free(p);
  EXPECT_EQ(heap.in_use(), 0u);
  EXPECT_EQ(big.used(), 0u);
}

TEST(BoundedHeap, ReallocateKeepsContentsAndOldBlockOnFailure) {
  BoundedHeap heap(1 << 20);
  HeapBudget budget(heap, 4096 + 128);
  auto* p = static_cast<char*>(budget.allocate(10));
  std::memcpy(p, "abcdefghij", 10);
  EXPECT_EQ(budget.reallocate(p, 20), p);  // fits in its 64-byte block
  auto* q = static_cast<char*>(budget.reallocate(p, 2000));
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(std::memcmp(q, "abcdefghij", 10), 0);
  EXPECT_EQ(budget.reallocate(q, 5000), nullptr);  // over the budget
  EXPECT_EQ(std::memcmp(q, "abcdefghij", 10), 0);  // still valid
  budget.free(q);
  EXPECT_EQ(budget.used(), 0u);
}

}  // namespace
}  // namespace weir::parse
