// StreamScanner: patterns across chunks, directions kept apart, excerpts
// across chunk boundaries, end-of-stream matches, gaps and retransmissions.

#include "detect/stream_signature/stream_scanner.h"

#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "stream_test_rules.h"

namespace weir::detect {
namespace {

using testing::SavingSink;
using testing::stream_db_from;
using testing::stream_rule;

class StreamScannerTest : public ::testing::Test {
 protected:
  void use(const std::string& rules_yaml, uint32_t capacity = 16) {
    db_ = stream_db_from("rules:\n" + rules_yaml);
    ASSERT_FALSE(db_->empty());
    pool_ = std::make_unique<StreamStatePool>(db_->stream_state_bytes(), capacity);
    ASSERT_TRUE(pool_->bind_to_this_thread());
    ASSERT_TRUE(scratch_.prepare(*db_));
  }
  void TearDown() override { StreamStatePool::unbind_this_thread(); }

  // Feeds `data` in chunks of `chunk` bytes from offset `base`.
  void feed(StreamScanner& s, const std::string& data, size_t chunk, uint64_t base = 0) {
    for (size_t i = 0; i < data.size(); i += chunk) {
      StreamScanResult r = s.scan(scratch_, std::string_view(data).substr(i, chunk), base + i, sink_);
      ASSERT_EQ(r.status, StreamScanStatus::Scanned);
    }
  }

  std::unique_ptr<StreamSignatureDatabase> db_;
  std::unique_ptr<StreamStatePool> pool_;
  StreamScratch scratch_;
  SavingSink sink_;
};

const std::string kMarker = "WEIR-TEST-MARKER-7f3a";

TEST_F(StreamScannerTest, PatternSplitIntoOneByteChunksIsFoundOnce) {
  use(stream_rule("m", kMarker, "    action: block\n"));
  StreamScanner s;
  ASSERT_EQ(s.open(*db_), StreamOpenStatus::Open);
  const std::string data = "hello " + kMarker + " and again " + kMarker + " bye";
  feed(s, data, 1);
  ASSERT_EQ(sink_.got.size(), 1u);
  EXPECT_EQ(sink_.got[0].rule_id, "m");
  EXPECT_EQ(sink_.got[0].message, "msg m");
  EXPECT_EQ(sink_.got[0].action, RuleAction::Block);
  EXPECT_EQ(sink_.got[0].match_end, 6 + kMarker.size());
  EXPECT_EQ(sink_.got[0].excerpt, "hello " + kMarker);
  EXPECT_FALSE(sink_.got[0].at_close);
  s.close(scratch_, sink_);
  EXPECT_EQ(sink_.got.size(), 1u);
  EXPECT_EQ(pool_->in_use(), 0u);
}

TEST_F(StreamScannerTest, ScanResultListsTheRuleAndTheBlockAction) {
  use(stream_rule("a", "alpha-one") + stream_rule("b", "beta-two", "    action: block\n"));
  StreamScanner s;
  ASSERT_EQ(s.open(*db_), StreamOpenStatus::Open);
  StreamScanResult r = s.scan(scratch_, "xx alpha-one yy", 0, sink_);
  EXPECT_EQ(r.findings, 1u);
  EXPECT_EQ(r.first_rule, 0u);
  EXPECT_EQ(r.first_match_end, 12u);
  EXPECT_FALSE(r.block);
  r = s.scan(scratch_, " beta-two alpha-one", 15, sink_);
  EXPECT_EQ(r.findings, 1u);  // alpha-one reported once per stream
  ASSERT_EQ(r.rule_count, 1u);
  EXPECT_EQ(r.rules[0], 1u);
  EXPECT_TRUE(r.block);
}

TEST_F(StreamScannerTest, ARuleWithSeveralPatternsReportsOncePerStream) {
  use("  - id: two\n    message: m\n    class: other\n    severity: error\n    zones: [stream]\n"
      "    patterns: [\"first-thing\", \"second-thing\"]\n");
  StreamScanner s;
  ASSERT_EQ(s.open(*db_), StreamOpenStatus::Open);
  feed(s, "first-thing second-thing first-thing", 5);
  EXPECT_EQ(sink_.got.size(), 1u);
}

TEST_F(StreamScannerTest, TwoDirectionsAreScannedSeparately) {
  use(stream_rule("m", kMarker));
  StreamScanner to_server, to_client;
  ASSERT_EQ(to_server.open(*db_), StreamOpenStatus::Open);
  ASSERT_EQ(to_client.open(*db_), StreamOpenStatus::Open);
  EXPECT_EQ(pool_->in_use(), 2u);
  // Half a marker in each direction, interleaved: neither direction has it.
  to_server.scan(scratch_, "WEIR-TEST-", 0, sink_);
  to_client.scan(scratch_, "MARKER-7f3a", 0, sink_);
  to_client.scan(scratch_, "WEIR-TEST-", 11, sink_);
  EXPECT_TRUE(sink_.got.empty());
  to_server.scan(scratch_, "MARKER-7f3a", 10, sink_);
  ASSERT_EQ(sink_.got.size(), 1u);
  EXPECT_EQ(sink_.got[0].excerpt, kMarker);
  to_server.close(scratch_, sink_);
  to_client.close(scratch_, sink_);
  EXPECT_EQ(sink_.got.size(), 1u);
  EXPECT_EQ(pool_->in_use(), 0u);
}

TEST_F(StreamScannerTest, ExcerptSpansChunkBoundaries) {
  use(stream_rule("m", kMarker));
  StreamScanner s;
  ASSERT_EQ(s.open(*db_), StreamOpenStatus::Open);
  std::string data;
  for (int i = 0; i < 100; ++i) data += static_cast<char>('a' + i % 26);
  data += kMarker + "tail";
  feed(s, data, 7);  // the excerpt's 64 bytes come from ~10 chunks
  ASSERT_EQ(sink_.got.size(), 1u);
  const size_t end = 100 + kMarker.size();
  EXPECT_EQ(sink_.got[0].match_end, end);
  EXPECT_EQ(sink_.got[0].excerpt, data.substr(end - kStreamExcerptBytes, kStreamExcerptBytes));
}

TEST_F(StreamScannerTest, ExcerptInsideOneLargeChunkAndAfterALargeChunk) {
  use(stream_rule("m", kMarker));
  StreamScanner s;
  ASSERT_EQ(s.open(*db_), StreamOpenStatus::Open);
  std::string first(200, 'q');
  first += "WEIR-TEST-MAR";
  s.scan(scratch_, first, 0, sink_);
  s.scan(scratch_, "KER-7f3a", first.size(), sink_);
  ASSERT_EQ(sink_.got.size(), 1u);
  const std::string all = first + "KER-7f3a";
  EXPECT_EQ(sink_.got[0].excerpt, all.substr(all.size() - kStreamExcerptBytes));
}

TEST_F(StreamScannerTest, CloseReportsEndAnchoredMatches) {
  use(stream_rule("end", "goodbye$") + stream_rule("mid", "hello"));
  StreamScanner s;
  ASSERT_EQ(s.open(*db_), StreamOpenStatus::Open);
  feed(s, "hello, goodbye", 3);
  ASSERT_EQ(sink_.got.size(), 1u);  // only 'mid': the end is not known yet
  EXPECT_EQ(sink_.got[0].rule_id, "mid");
  StreamScanResult r = s.close(scratch_, sink_);
  EXPECT_EQ(r.findings, 1u);
  ASSERT_EQ(sink_.got.size(), 2u);
  EXPECT_EQ(sink_.got[1].rule_id, "end");
  EXPECT_TRUE(sink_.got[1].at_close);
  EXPECT_EQ(sink_.got[1].match_end, 14u);
  EXPECT_EQ(sink_.got[1].excerpt, "hello, goodbye");
  EXPECT_FALSE(s.is_open());
  EXPECT_EQ(pool_->in_use(), 0u);
}

// `$` also matches before a final newline: the match ends one byte before
// the newest byte, and its excerpt must still be a full 64 bytes.
TEST_F(StreamScannerTest, EndAnchorBeforeAFinalNewlineKeepsAFullExcerpt) {
  use(stream_rule("end", "ba$"));
  StreamScanner s;
  ASSERT_EQ(s.open(*db_), StreamOpenStatus::Open);
  std::string data(100, 'x');
  data += "ba\n";
  feed(s, data, 9);
  s.close(scratch_, sink_);
  ASSERT_EQ(sink_.got.size(), 1u);
  EXPECT_EQ(sink_.got[0].match_end, 102u);
  EXPECT_EQ(sink_.got[0].excerpt, data.substr(102 - kStreamExcerptBytes, kStreamExcerptBytes));
}

TEST_F(StreamScannerTest, DiscardReportsNothingAndFreesTheState) {
  use(stream_rule("end", "goodbye$"));
  StreamScanner s;
  ASSERT_EQ(s.open(*db_), StreamOpenStatus::Open);
  s.scan(scratch_, "goodbye", 0, sink_);
  s.discard();
  s.discard();
  EXPECT_TRUE(sink_.got.empty());
  EXPECT_EQ(pool_->in_use(), 0u);
  EXPECT_EQ(s.scan(scratch_, "goodbye", 7, sink_).status, StreamScanStatus::Idle);
}

TEST_F(StreamScannerTest, RetransmittedBytesAreSkippedAndAGapResyncs) {
  use(stream_rule("m", kMarker));
  StreamScanner s;
  ASSERT_EQ(s.open(*db_), StreamOpenStatus::Open);
  s.scan(scratch_, "WEIR-TEST-MARK", 0, sink_);
  // Overlaps the last 4 bytes: only "ER-7f3a" is new.
  StreamScanResult r = s.scan(scratch_, "MARKER-7f3a", 10, sink_);
  EXPECT_EQ(r.status, StreamScanStatus::Scanned);
  ASSERT_EQ(sink_.got.size(), 1u);
  EXPECT_EQ(sink_.got[0].match_end, kMarker.size());
  EXPECT_EQ(s.next_offset(), kMarker.size());
  // Fully old bytes: nothing scanned, nothing reported.
  EXPECT_EQ(s.scan(scratch_, "WEIR", 0, sink_).findings, 0u);

  StreamScanner g;
  ASSERT_EQ(g.open(*db_), StreamOpenStatus::Open);
  g.scan(scratch_, "WEIR-TEST-", 0, sink_);
  r = g.scan(scratch_, "MARKER-7f3a", 500, sink_);  // bytes 10..499 never came
  EXPECT_EQ(r.status, StreamScanStatus::Resynced);
  EXPECT_EQ(r.findings, 0u);
  g.scan(scratch_, " " + kMarker, 511, sink_);
  ASSERT_EQ(sink_.got.size(), 2u);
  EXPECT_EQ(sink_.got[1].match_end, 512 + kMarker.size());
  EXPECT_EQ(sink_.got[1].excerpt, "MARKER-7f3a " + kMarker);  // nothing from before the gap
}

TEST_F(StreamScannerTest, MidStreamPickUpCountsOffsetsFromTheStart) {
  use(stream_rule("m", kMarker));
  StreamScanner s;
  ASSERT_EQ(s.open(*db_, 1000), StreamOpenStatus::Open);
  feed(s, "xx" + kMarker, 4, 1000);
  ASSERT_EQ(sink_.got.size(), 1u);
  EXPECT_EQ(sink_.got[0].match_end, 1002 + kMarker.size());
}

TEST_F(StreamScannerTest, CaselessAndMultilineFlagsApply) {
  use(stream_rule("smtp", "^mail from:<[^>]{0,8};", "    flags: [caseless, multiline]\n"));
  StreamScanner s;
  ASSERT_EQ(s.open(*db_), StreamOpenStatus::Open);
  feed(s, "EHLO x\r\nMAIL FROM:<;sleep 5;>\r\n", 2);
  ASSERT_EQ(sink_.got.size(), 1u);
  EXPECT_EQ(sink_.got[0].excerpt, "EHLO x\r\nMAIL FROM:<;");
}

// Hyperscan 5.4's AVX-512 VBMI literal matcher reads past the end of its
// buffer (intel/hyperscan#457): a chunk that ends right before an unmapped
// page must not crash the worker. Many short caseless literals select that
// matcher (the reproducer of vectorscan#322).
TEST_F(StreamScannerTest, ChunkEndingAtAnUnmappedPageIsScannedSafely) {
  use(stream_rule("teddy", "bat|cat|mat|rat|fat|sat|pat|hat|vat", "    flags: [caseless]\n"));
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  void* mem = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(mem, MAP_FAILED);
  ASSERT_EQ(mprotect(static_cast<char*>(mem) + page, page, PROT_NONE), 0);
  // gap: bytes between the chunk's end and the guard page (the scanner
  // copies the tail when fewer than 64 remain in the page).
  for (size_t gap : {0u, 1u, 40u, 63u, 64u, 65u, 100u})
    for (size_t len : {1u, 5u, 30u, 63u, 64u, 65u, 200u, 1460u}) {
      std::string text;
      while (text.size() < len) text += "VAt xyz qqq ";
      text.resize(len);
      if (len >= 3) text.replace(len - 3, 3, "hAT");
      char* chunk = static_cast<char*>(mem) + page - gap - len;
      std::memcpy(chunk, text.data(), len);
      SavingSink sink;
      StreamScanner s;
      ASSERT_EQ(s.open(*db_), StreamOpenStatus::Open);
      EXPECT_EQ(s.scan(scratch_, std::string_view(chunk, len), 0, sink).status,
                StreamScanStatus::Scanned);
      s.close(scratch_, sink);
      EXPECT_EQ(sink.got.size(), len >= 3 ? 1u : 0u) << len << " " << gap;
    }
  munmap(mem, 2 * page);
}

}  // namespace
}  // namespace weir::detect
