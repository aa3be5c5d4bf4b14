// ExportSpool: order, durability across reopen, head persistence, torn
// tails, the size bound (oldest dropped) and compaction.
#include "control/export/export_spool.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace weir::ctl {
namespace {

std::string temp_spool() {
  char dir[] = "/tmp/weir_spool_XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  return std::string(dir) + "/x.spool";
}

off_t file_size(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

TEST(ExportSpool, KeepsOrderAndSurvivesReopen) {
  const std::string path = temp_spool();
  {
    ExportSpool s(path, 1 << 20);
    EXPECT_TRUE(s.empty());
    EXPECT_EQ(s.append({"a", "bb", "ccc"}), 0u);
    EXPECT_EQ(s.records(), 3u);
    EXPECT_EQ(s.bytes(), 6u);
    EXPECT_EQ(s.peek(2), (std::vector<std::string>{"a", "bb"}));
    s.pop(1);
  }
  ExportSpool s(path, 1 << 20);
  EXPECT_EQ(s.peek(10), (std::vector<std::string>{"bb", "ccc"}));
  s.pop(2);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(file_size(path), 0);  // emptied spools are truncated
}

TEST(ExportSpool, TornTailIsCutOff) {
  const std::string path = temp_spool();
  {
    ExportSpool s(path, 1 << 20);
    s.append({"one", "two"});
  }
  // A crash mid-append: a length prefix promising more than was written.
  const int fd = open(path.c_str(), O_WRONLY | O_APPEND);
  const uint32_t len = 100;
  ASSERT_EQ(write(fd, &len, 4), 4);
  ASSERT_EQ(write(fd, "par", 3), 3);
  close(fd);
  ExportSpool s(path, 1 << 20);
  EXPECT_EQ(s.peek(10), (std::vector<std::string>{"one", "two"}));
  s.append({"three"});
  ExportSpool again(path, 1 << 20);
  EXPECT_EQ(again.peek(10), (std::vector<std::string>{"one", "two", "three"}));
}

TEST(ExportSpool, BoundDropsOldestAndCountsThem) {
  const std::string path = temp_spool();
  ExportSpool s(path, 10);
  EXPECT_EQ(s.append({"1234", "5678"}), 0u);
  EXPECT_EQ(s.append({"abcd"}), 1u);  // 12 bytes > 10: "1234" goes
  EXPECT_EQ(s.peek(10), (std::vector<std::string>{"5678", "abcd"}));
  EXPECT_EQ(s.append({std::string(11, 'x')}), 1u);  // larger than the bound itself
  EXPECT_EQ(s.records(), 2u);
}

TEST(ExportSpool, CompactsALongDeadPrefix) {
  const std::string path = temp_spool();
  ExportSpool s(path, 64u << 20);
  const std::string big(1000, 'p');
  std::vector<std::string> batch(3000, big);
  s.append(batch);
  s.append({"last"});
  const off_t before = file_size(path);
  s.pop(2999);  // ~3 MB dead, more than half the file
  EXPECT_LT(file_size(path), before / 100);
  EXPECT_EQ(s.peek(5), (std::vector<std::string>{big, "last"}));
  ExportSpool again(path, 64u << 20);
  EXPECT_EQ(again.records(), 2u);
  EXPECT_EQ(again.peek(5)[1], "last");
}

}  // namespace
}  // namespace weir::ctl
