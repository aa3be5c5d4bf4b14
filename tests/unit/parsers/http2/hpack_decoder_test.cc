#include "parsers/http2/hpack_decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "h2_frame_builder.h"

namespace weir::parse {
namespace {

using testing::HpackEncoder;

bool collect(void* ctx, std::string_view name, std::string_view value) {
  static_cast<std::vector<std::string>*>(ctx)->push_back(std::string(name) + "=" + std::string(value));
  return true;
}

TEST(HpackDecoder, DecodesBlocksFedInAnyPieces) {
  HpackEncoder enc;
  const std::string b1 = enc.encode({{":path", "/a"}, {"cookie", "s=1"}, {"x-long", std::string(300, 'L')}});
  const std::string b2 = enc.encode({{":path", "/a"}, {"cookie", "s=1"}, {"x-long", std::string(300, 'L')}});
  EXPECT_LT(b2.size(), 16u);  // cookie and x-long from the dynamic table
  for (size_t step = 1; step <= b1.size(); ++step) {
    BoundedHeap heap(1 << 20);
    HeapBudget budget(heap, 1 << 20);
    HpackDecoder d;
    ASSERT_EQ(d.init(budget), HpackDecoder::Status::Ok);
    std::vector<std::string> got;
    for (const std::string* b : {&b1, &b2}) {
      for (size_t i = 0; i < b->size(); i += step) {
        const size_t n = std::min(step, b->size() - i);
        ASSERT_EQ(d.decode(reinterpret_cast<const uint8_t*>(b->data() + i), n, false, &collect, &got),
                  HpackDecoder::Status::Ok);
      }
      ASSERT_EQ(d.decode(nullptr, 0, true, &collect, &got), HpackDecoder::Status::Ok);
    }
    ASSERT_EQ(got.size(), 6u) << step;
    EXPECT_EQ(got[5], "x-long=" + std::string(300, 'L'));
  }
}

TEST(HpackDecoder, MemoryComesFromTheBudget) {
  BoundedHeap heap(1 << 20);
  HeapBudget budget(heap, 1 << 20);
  {
    HpackDecoder d;
    ASSERT_EQ(d.init(budget), HpackDecoder::Status::Ok);
    EXPECT_GT(budget.used(), 0u);
    HpackEncoder enc;
    const std::string b = enc.encode({{"x-a", std::string(1000, 'a')}});
    std::vector<std::string> got;
    ASSERT_EQ(d.decode(reinterpret_cast<const uint8_t*>(b.data()), b.size(), true, &collect, &got),
              HpackDecoder::Status::Ok);
  }
  EXPECT_EQ(budget.used(), 0u);  // the inflater and its table went back
  HeapBudget tiny(heap, 128);
  HpackDecoder d;
  EXPECT_EQ(d.init(tiny), HpackDecoder::Status::NoMemory);
}

TEST(HpackDecoder, TableLargerThanTheBudgetIsNoMemoryNotACrash) {
  BoundedHeap heap(1 << 20);
  HeapBudget budget(heap, 6 * 1024);
  HpackDecoder d;
  ASSERT_EQ(d.init(budget), HpackDecoder::Status::Ok);
  HpackEncoder enc;
  std::vector<std::string> got;
  HpackDecoder::Status st = HpackDecoder::Status::Ok;
  for (int i = 0; i < 8 && st == HpackDecoder::Status::Ok; ++i) {
    const std::string b = enc.encode({{"x-" + std::to_string(i), std::string(900, 'v')}});
    st = d.decode(reinterpret_cast<const uint8_t*>(b.data()), b.size(), true, &collect, &got);
  }
  EXPECT_EQ(st, HpackDecoder::Status::NoMemory);
}

TEST(HpackDecoder, InvalidInputAndTableSizeUpdates) {
  BoundedHeap heap(1 << 20);
  HeapBudget budget(heap, 1 << 20);
  HpackDecoder d;
  ASSERT_EQ(d.init(budget), HpackDecoder::Status::Ok);
  std::vector<std::string> got;
  const uint8_t bad[] = {0xff, 0xff, 0xff, 0x7f};
  EXPECT_EQ(d.decode(bad, sizeof(bad), true, &collect, &got), HpackDecoder::Status::Error);
  HpackDecoder e;
  ASSERT_EQ(e.init(budget), HpackDecoder::Status::Ok);
  ASSERT_EQ(e.set_max_table_size(0), HpackDecoder::Status::Ok);
  // A block without the table size update the shrink requires is refused.
  HpackEncoder enc;
  const std::string b = enc.encode({{"x", "y"}});
  EXPECT_EQ(e.decode(reinterpret_cast<const uint8_t*>(b.data()), b.size(), true, &collect, &got),
            HpackDecoder::Status::Error);
}

}  // namespace
}  // namespace weir::parse
