// IpDefragmenter on IPv4 and IPv6 (Fragment header right after the fixed
// header, and after hop-by-hop + routing headers): in-order, out-of-order,
// identical and differing overlaps in both orders, duplicates, tiny first
// fragments, TCP header rewrites, caps, inconsistent lengths, oversize and
// timeouts. Each checks the status, the reason, which originals come back
// and, when complete, the reassembled datagram through decode_packet().

#include "dataplane/defrag/ip_defragmenter.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "dataplane/decode/packet_decoder.h"
#include "tests/unit/dataplane/frame_builder.h"

namespace weir::dp::test {
namespace {

enum class Family { V4, V6, V6Ext };

// A TCP segment (20-byte header, 44 bytes of data) as the datagram payload.
std::string datagram_payload() {
  std::string s = {char(0x9c), 0x40, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18,
                   char(0xff), char(0xff), 0, 0, 0, 0};
  for (int i = 0; i < 44; ++i) s.push_back(static_cast<char>('A' + i % 26));
  return s;
}

class Frags {
 public:
  explicit Frags(Family f) : family_(f) {}

  /// Fragment [off, off + bytes.size()) of the datagram with identification `id`.
  const Packet& frag(uint16_t off, const std::string& bytes, bool more, uint32_t id = 7) {
    FrameBuilder b;
    b.eth();
    if (family_ == Family::V4) {
      b.type(0x0800).ipv4("198.18.0.1", "198.18.1.1", 6, {},
                          static_cast<uint16_t>((more ? 0x2000 : 0) | off / 8),
                          static_cast<uint16_t>(id));
    } else {
      b.type(0x86dd);
      if (family_ == Family::V6Ext) {
        b.ipv6("2001:2::1", "2001:2::2", 0).ext(43).ext(44);  // hop-by-hop, routing, fragment
      } else {
        b.ipv6("2001:2::1", "2001:2::2", 44);
      }
      b.frag6(6, off, more, id);
    }
    b.payload(bytes);
    frames_.push_back(b.build());
    packets_.emplace_back();
    decode_packet(frames_.back().data(), static_cast<uint32_t>(frames_.back().size()), packets_.back());
    return packets_.back();
  }

 private:
  Family family_;
  std::deque<std::vector<uint8_t>> frames_;
  std::deque<Packet> packets_;
};

void* h(uintptr_t i) { return reinterpret_cast<void*>(i); }
std::vector<void*> handles(const DefragResult& r) { return {r.handles.begin(), r.handles.end()}; }

class Defrag : public ::testing::TestWithParam<Family> {
 protected:
  DefragConfig cfg{.max_datagrams = 8, .max_fragments = 8, .max_bytes = 1 << 20, .timeout_tsc = 100};
  Frags f{GetParam()};
  const std::string p = datagram_payload();

  void expect_datagram(const DefragResult& r) {
    ASSERT_EQ(r.status, DefragStatus::Complete);
    Packet d;
    ASSERT_EQ(decode_packet(r.datagram.data(), static_cast<uint32_t>(r.datagram.size()), d),
              DecodeStatus::Ok);
    EXPECT_FALSE(d.is_fragment);
    ASSERT_TRUE(d.is_tcp());
    EXPECT_EQ(d.src_port, 40000);
    EXPECT_EQ(d.dst_port, 80);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(d.payload()), d.payload_len), p.substr(20));
  }
};

TEST_P(Defrag, InOrderCompletesAndGivesBackOriginals) {
  IpDefragmenter df(cfg);
  EXPECT_EQ(df.add(f.frag(0, p.substr(0, 24), true), h(1), 0).status, DefragStatus::Held);
  EXPECT_EQ(df.add(f.frag(24, p.substr(24, 24), true), h(2), 0).status, DefragStatus::Held);
  EXPECT_EQ(df.fragments_held(), 2u);
  const DefragResult r = df.add(f.frag(48, p.substr(48), false), h(3), 0);
  expect_datagram(r);
  EXPECT_EQ(handles(r), (std::vector<void*>{h(1), h(2), h(3)}));
  EXPECT_EQ(df.datagrams_in_flight(), 0u);
  EXPECT_EQ(df.bytes_held(), 0u);
  EXPECT_EQ(df.stats().count(DefragReason::Complete), 1u);
}

TEST_P(Defrag, OutOfOrderCompletesOnTheLastArrival) {
  IpDefragmenter df(cfg);
  EXPECT_EQ(df.add(f.frag(48, p.substr(48), false), h(3), 0).status, DefragStatus::Held);
  EXPECT_EQ(df.add(f.frag(0, p.substr(0, 24), true), h(1), 0).status, DefragStatus::Held);
  const DefragResult r = df.add(f.frag(24, p.substr(24, 24), true), h(2), 0);
  expect_datagram(r);
  EXPECT_EQ(handles(r), (std::vector<void*>{h(3), h(1), h(2)}));  // arrival order
}

TEST_P(Defrag, IdenticalOverlapIsCountedAndKept) {
  IpDefragmenter df(cfg);
  df.add(f.frag(0, p.substr(0, 32), true), h(1), 0);
  EXPECT_EQ(df.add(f.frag(24, p.substr(24, 24), true), h(2), 0).reason, DefragReason::OverlapIdentical);
  const DefragResult r = df.add(f.frag(40, p.substr(40), false), h(3), 0);
  expect_datagram(r);
  EXPECT_EQ(r.handles.size(), 3u);
  EXPECT_EQ(df.stats().count(DefragReason::OverlapIdentical), 2u);
}

TEST_P(Defrag, DifferingOverlapDropsTheWholeDatagramBothOrders) {
  std::string evil = p.substr(24, 24);
  evil[12] = '!';  // byte 36: past the first fragment, so only the two copies differ
  for (bool evil_first : {false, true}) {
    IpDefragmenter df(cfg);
    df.add(f.frag(0, p.substr(0, 32), true), h(1), 0);
    const std::string first = evil_first ? evil : p.substr(24, 24);
    const std::string second = evil_first ? p.substr(24, 24) : evil;
    EXPECT_EQ(df.add(f.frag(24, first, true), h(2), 0).status, DefragStatus::Held);
    const DefragResult r = df.add(f.frag(24, second, true), h(3), 0);
    EXPECT_EQ(r.status, DefragStatus::Returned);
    EXPECT_EQ(r.reason, DefragReason::OverlapMismatch);
    EXPECT_EQ(handles(r), (std::vector<void*>{h(1), h(2), h(3)}));
    EXPECT_TRUE(defrag_reason_is_finding(r.reason));
    EXPECT_EQ(df.datagrams_in_flight(), 0u);
    EXPECT_EQ(df.bytes_held(), 0u);
  }
}

TEST_P(Defrag, DifferingOverlapOfTheFirstFragmentsHeader) {
  IpDefragmenter df(cfg);
  df.add(f.frag(24, p.substr(24), false), h(1), 0);
  df.add(f.frag(0, p.substr(0, 32), true), h(2), 0);  // overlaps [24,32) identically: completes
  IpDefragmenter df2(cfg);
  std::string other = p.substr(0, 32);
  other[30] ^= 0x20;
  df2.add(f.frag(24, p.substr(24), false), h(1), 0);
  EXPECT_EQ(df2.add(f.frag(0, other, true), h(2), 0).reason, DefragReason::OverlapMismatch);
}

TEST_P(Defrag, DuplicateIsGivenBackAlone) {
  IpDefragmenter df(cfg);
  df.add(f.frag(0, p.substr(0, 24), true), h(1), 0);
  const DefragResult d = df.add(f.frag(0, p.substr(0, 24), true), h(9), 0);
  EXPECT_EQ(d.status, DefragStatus::Returned);
  EXPECT_EQ(d.reason, DefragReason::Duplicate);
  EXPECT_EQ(handles(d), (std::vector<void*>{h(9)}));
  EXPECT_EQ(df.datagrams_in_flight(), 1u);
  df.add(f.frag(24, p.substr(24, 24), true), h(2), 0);
  const DefragResult r = df.add(f.frag(48, p.substr(48), false), h(3), 0);
  expect_datagram(r);
  EXPECT_EQ(r.handles.size(), 3u);
}

TEST_P(Defrag, TinyFirstFragmentSplittingTheTcpHeader) {
  IpDefragmenter df(cfg);
  df.add(f.frag(8, p.substr(8), false), h(1), 0);  // held (offset 8 is also RFC 1858's case)
  const DefragResult r = df.add(f.frag(0, p.substr(0, 8), true), h(2), 0);
  EXPECT_EQ(r.reason, DefragReason::TinyFirstFragment);
  IpDefragmenter df2(cfg);
  EXPECT_EQ(df2.add(f.frag(0, p.substr(0, 16), true), h(1), 0).reason,
            DefragReason::TinyFirstFragment);
  EXPECT_EQ(df2.datagrams_in_flight(), 0u);
}

TEST_P(Defrag, TcpFragmentAtOffsetEightRewritesTheHeader) {
  IpDefragmenter df(cfg);
  df.add(f.frag(0, p.substr(0, 24), true), h(1), 0);
  const DefragResult r = df.add(f.frag(8, p.substr(8, 16), true), h(2), 0);
  EXPECT_EQ(r.reason, DefragReason::TcpHeaderOverlap);
  EXPECT_EQ(handles(r), (std::vector<void*>{h(1), h(2)}));
}

TEST_P(Defrag, TooManyFragments) {
  cfg.max_fragments = 4;
  IpDefragmenter df(cfg);
  for (uint16_t i = 0; i < 4; ++i) {
    EXPECT_EQ(df.add(f.frag(static_cast<uint16_t>(24 + 8 * i), p.substr(24 + 8 * i, 8), true), h(i + 1), 0).status,
              DefragStatus::Held);
  }
  const DefragResult r = df.add(f.frag(56, p.substr(56), false), h(5), 0);
  EXPECT_EQ(r.reason, DefragReason::TooManyFragments);
  EXPECT_EQ(r.handles.size(), 5u);
}

TEST_P(Defrag, TooManyDatagramsAndMemoryCap) {
  cfg.max_datagrams = 2;
  IpDefragmenter df(cfg);
  df.add(f.frag(0, p.substr(0, 24), true, 1), h(1), 0);
  df.add(f.frag(0, p.substr(0, 24), true, 2), h(2), 0);
  const DefragResult r = df.add(f.frag(0, p.substr(0, 24), true, 3), h(3), 0);
  EXPECT_EQ(r.reason, DefragReason::TooManyDatagrams);
  EXPECT_EQ(handles(r), (std::vector<void*>{h(3)}));

  cfg.max_datagrams = 8;
  cfg.max_bytes = 110;  // room for one first-fragment frame (58..102 bytes), not two
  IpDefragmenter small(cfg);
  EXPECT_EQ(small.add(f.frag(0, p.substr(0, 24), true), h(1), 0).status, DefragStatus::Held);
  const DefragResult m = small.add(f.frag(24, p.substr(24, 24), true), h(2), 0);
  EXPECT_EQ(m.reason, DefragReason::MemoryCap);
  EXPECT_EQ(handles(m), (std::vector<void*>{h(1), h(2)}));
  EXPECT_EQ(small.bytes_held(), 0u);
}

TEST_P(Defrag, BadLengthsAndInconsistentEnds) {
  IpDefragmenter df(cfg);
  EXPECT_EQ(df.add(f.frag(24, p.substr(24, 12), true), h(1), 0).reason,
            DefragReason::BadFragmentLength);  // not a multiple of 8, not last
  df.add(f.frag(48, p.substr(48), false), h(2), 0);
  EXPECT_EQ(df.add(f.frag(40, p.substr(40, 16), false), h(3), 0).reason,
            DefragReason::InconsistentLength);
  EXPECT_EQ(df.datagrams_in_flight(), 0u);
  df.add(f.frag(0, p.substr(0, 24), true), h(4), 0);
  df.add(f.frag(48, p.substr(48), false), h(5), 0);
  const DefragResult r = df.add(f.frag(56, std::string(16, 'x'), true), h(6), 0);
  EXPECT_EQ(r.reason, DefragReason::InconsistentLength);  // data past the known end
  EXPECT_EQ(handles(r), (std::vector<void*>{h(4), h(5), h(6)}));
}

TEST_P(Defrag, OversizeDatagram) {
  IpDefragmenter df(cfg);
  EXPECT_EQ(df.add(f.frag(65528, std::string(16, 'x'), false), h(1), 0).reason,
            DefragReason::Oversize);
}

TEST_P(Defrag, TimeoutGivesBackOldestFirst) {
  IpDefragmenter df(cfg);
  df.add(f.frag(0, p.substr(0, 24), true, 1), h(1), 10);
  df.add(f.frag(24, p.substr(24, 24), true, 1), h(2), 20);
  df.add(f.frag(0, p.substr(0, 24), true, 2), h(3), 50);
  EXPECT_EQ(df.expire(109).status, DefragStatus::None);
  const DefragResult r = df.expire(110);
  EXPECT_EQ(r.reason, DefragReason::Timeout);
  EXPECT_EQ(handles(r), (std::vector<void*>{h(1), h(2)}));
  EXPECT_EQ(df.expire(110).status, DefragStatus::None);
  EXPECT_EQ(handles(df.expire(150)), (std::vector<void*>{h(3)}));
  EXPECT_EQ(df.datagrams_in_flight(), 0u);
  EXPECT_EQ(df.fragments_held(), 0u);
  EXPECT_EQ(df.stats().count(DefragReason::Timeout), 2u);
}

TEST_P(Defrag, DrainReturnsEverything) {
  IpDefragmenter df(cfg);
  df.add(f.frag(0, p.substr(0, 24), true, 1), h(1), 0);
  df.add(f.frag(0, p.substr(0, 24), true, 2), h(2), 0);
  EXPECT_EQ(df.drain().handles.size(), 1u);
  EXPECT_EQ(df.drain().handles.size(), 1u);
  EXPECT_EQ(df.drain().status, DefragStatus::None);
  EXPECT_EQ(df.bytes_held(), 0u);
}

TEST_P(Defrag, DatagramsAreKeyedById) {
  IpDefragmenter df(cfg);
  df.add(f.frag(0, p.substr(0, 24), true, 1), h(1), 0);
  df.add(f.frag(24, p.substr(24), false, 2), h(2), 0);
  EXPECT_EQ(df.datagrams_in_flight(), 2u);
  expect_datagram(df.add(f.frag(24, p.substr(24), false, 1), h(3), 0));
}

INSTANTIATE_TEST_SUITE_P(Families, Defrag, ::testing::Values(Family::V4, Family::V6, Family::V6Ext),
                         [](const ::testing::TestParamInfo<Family>& i) {
                           return std::string(i.param == Family::V4   ? "ipv4"
                                              : i.param == Family::V6 ? "ipv6"
                                                                      : "ipv6_ext");
                         });

TEST(DefragReasons, EveryReasonHasAName) {
  for (size_t i = 0; i < static_cast<size_t>(DefragReason::Count); ++i) {
    EXPECT_STRNE(defrag_reason_name(static_cast<DefragReason>(i)), "unknown");
  }
}

}  // namespace
}  // namespace weir::dp::test
