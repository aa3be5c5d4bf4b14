// EventSpool: append/read/ack cursors, cap, truncation, crash recovery.
#include "dataplane/events/event_spool.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <vector>

namespace weir::dp {
namespace {

std::string temp_path(const char* name) {
  char dir[] = "/tmp/weir_spool_XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  return std::string(dir) + "/" + name;
}

std::vector<Event> make_events(size_t n, uint64_t first) {
  std::vector<Event> v(n);
  for (size_t i = 0; i < n; ++i) v[i].id = first + i;
  return v;
}

off_t file_size(const std::string& path) {
  struct stat st{};
  stat(path.c_str(), &st);
  return st.st_size;
}

TEST(EventSpool, AppendReadAckTruncates) {
  const std::string path = temp_path("spool.bin");
  EventSpool spool;
  std::string err;
  ASSERT_TRUE(spool.open(path, 1 << 20, err)) << err;
  auto evs = make_events(10, 100);
  EXPECT_EQ(spool.append(evs.data(), 10), 10u);
  EXPECT_EQ(spool.pending_records(), 10u);
  Event out[4];
  ASSERT_EQ(spool.read_next(out, 4), 4u);
  EXPECT_EQ(out[0].id, 100u);
  EXPECT_EQ(out[3].id, 103u);
  const uint64_t first_end = spool.read_offset();
  spool.ack_to(first_end);
  EXPECT_EQ(spool.pending_records(), 6u);
  // A disconnect rewinds to the acked point, not to the start.
  ASSERT_EQ(spool.read_next(out, 4), 4u);
  spool.rewind();
  ASSERT_EQ(spool.read_next(out, 4), 4u);
  EXPECT_EQ(out[0].id, 104u);
  Event rest[8];
  ASSERT_EQ(spool.read_next(rest, 8), 2u);
  EXPECT_EQ(rest[1].id, 109u);
  EXPECT_FALSE(spool.has_unread());
  spool.ack_to(spool.read_offset());
  EXPECT_FALSE(spool.has_unacked());
  EXPECT_EQ(file_size(path), static_cast<off_t>(EventSpool::kHeaderSize));
}

TEST(EventSpool, CapLimitsAppends) {
  const std::string path = temp_path("spool.bin");
  EventSpool spool;
  std::string err;
  ASSERT_TRUE(spool.open(path, EventSpool::kHeaderSize + 5 * sizeof(Event), err)) << err;
  auto evs = make_events(8, 0);
  EXPECT_EQ(spool.append(evs.data(), 8), 5u);
  EXPECT_EQ(spool.append(evs.data(), 1), 0u);
  Event out[8];
  ASSERT_EQ(spool.read_next(out, 8), 5u);
  spool.ack_to(spool.read_offset());
  EXPECT_EQ(spool.append(evs.data(), 3), 3u);  // room again once drained
}

TEST(EventSpool, ReopenKeepsRecordsAndCutsTornTail) {
  const std::string path = temp_path("spool.bin");
  std::string err;
  {
    EventSpool spool;
    ASSERT_TRUE(spool.open(path, 1 << 20, err)) << err;
    auto evs = make_events(3, 7);
    ASSERT_EQ(spool.append(evs.data(), 3), 3u);
  }
  {
    std::ofstream f(path, std::ios::app | std::ios::binary);
    f << "torn";  // a crash in the middle of a record
  }
  EventSpool spool;
  ASSERT_TRUE(spool.open(path, 1 << 20, err)) << err;
  EXPECT_EQ(spool.pending_records(), 3u);
  Event out[4];
  ASSERT_EQ(spool.read_next(out, 4), 3u);
  EXPECT_EQ(out[2].id, 9u);
  EXPECT_EQ(file_size(path), static_cast<off_t>(EventSpool::kHeaderSize + 3 * sizeof(Event)));
}

TEST(EventSpool, ForeignFileIsReplaced) {
  const std::string path = temp_path("spool.bin");
  {
    std::ofstream f(path, std::ios::binary);
    f << std::string(1000, 'q');
  }
  EventSpool spool;
  std::string err;
  ASSERT_TRUE(spool.open(path, 1 << 20, err)) << err;
  EXPECT_EQ(spool.pending_records(), 0u);
}

}  // namespace
}  // namespace weir::dp
