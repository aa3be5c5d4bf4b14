// EventRing: ids, stamping, overflow counted without blocking, drain order.
#include "dataplane/events/event_ring.h"

#include <gtest/gtest.h>

namespace weir::dp {
namespace {

TEST(EventRing, StampsIdsAndDrainsInOrder) {
  std::string err;
  auto ring = EventRing::create(3, 42, 64, -1, err);
  ASSERT_TRUE(ring) << err;
  for (int i = 0; i < 10; ++i) {
    Event ev;
    ev.rule_id = static_cast<uint32_t>(100 + i);
    ASSERT_TRUE(ring->try_emit(ev));
  }
  Event out[16];
  ASSERT_EQ(ring->drain(out, 16), 10u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(out[i].rule_id, static_cast<uint32_t>(100 + i));
    EXPECT_EQ(out[i].worker, 3);
    EXPECT_EQ(out[i].sequence, static_cast<uint64_t>(i));
    EXPECT_EQ(out[i].id, make_event_id(42, 3, static_cast<uint64_t>(i)));
    EXPECT_NE(out[i].ts_ns, 0u);
  }
  EXPECT_EQ(ring->emitted(), 10u);
}

TEST(EventRing, FullRingCountsOverflowAndKeepsGoing) {
  std::string err;
  auto ring = EventRing::create(0, 1, 16, -1, err);
  ASSERT_TRUE(ring) << err;
  int accepted = 0;
  for (int i = 0; i < 40; ++i) accepted += ring->try_emit(Event{}) ? 1 : 0;
  EXPECT_EQ(accepted, 16);
  EXPECT_EQ(ring->overflow(), 24u);
  Event out[32];
  EXPECT_EQ(ring->drain(out, 32), 16u);
  // Room again: the producer continues, sequences stay dense.
  EXPECT_TRUE(ring->try_emit(Event{}));
  ASSERT_EQ(ring->drain(out, 32), 1u);
  EXPECT_EQ(out[0].sequence, 16u);
}

TEST(EventRing, IdsOfDifferentBootsAndWorkersDiffer) {
  EXPECT_NE(make_event_id(1, 0, 5), make_event_id(2, 0, 5));
  EXPECT_NE(make_event_id(1, 0, 5), make_event_id(1, 1, 5));
  EXPECT_EQ(make_event_id(1, 2, 5) >> 44, 1u);
}

TEST(EventRecord, TextAndFixedStringsAreBounded) {
  Event ev;
  ev.set_class("a-class-name-longer-than-sixteen");
  EXPECT_EQ(ev.class_view(), "a-class-name-lon");
  ev.set_text(std::string(500, 'z'));
  EXPECT_EQ(ev.text_view().size(), sizeof ev.text);
  ev.set_zone("query_arg");
  EXPECT_EQ(ev.zone_view(), "query_arg");
}

}  // namespace
}  // namespace weir::dp
