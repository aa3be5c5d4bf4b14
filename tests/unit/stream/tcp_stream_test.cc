// TcpStream against the replay list of issue 4, at component level: each
// case is a handshake followed by a table of segments with the verdict each
// must get, and the byte stream the sink must have seen at the end.

#include "dataplane/stream/tcp_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/stream/stream_harness.h"

namespace weir::dp::test {
namespace {

using A = SegmentAction;
using R = SegmentReason;

enum class Who : uint8_t { Client, Server, ServerAck };

struct Step {
  Who who;
  uint32_t rel;  // sequence offset (ServerAck: the client offset acknowledged)
  std::string data;
  uint8_t flags;
  A action;
  R reason;
  SegmentHints hints = {};
  uint16_t window = 65535;
};

struct Case {
  const char* name;
  std::vector<Step> steps;
  std::string client_stream;
  std::string server_stream = "";
  bool client_eos = false;
  uint16_t server_window = 65535;  // in the SYN-ACK
};

constexpr uint8_t kData = flag::kAck | flag::kPsh;
constexpr uint8_t kFin = flag::kAck | flag::kFin;
constexpr uint8_t kRst = flag::kRst;
constexpr SegmentHints kBadSum{.bad_checksum = true};
constexpr SegmentHints kLowTtl{.ttl_expires = true};

Step c(uint32_t rel, std::string d, A a, R r, uint8_t f = kData, SegmentHints h = {}) {
  return Step{Who::Client, rel, std::move(d), f, a, r, h};
}
Step s(uint32_t rel, std::string d, A a, R r, uint8_t f = kData) {
  return Step{Who::Server, rel, std::move(d), f, a, r};
}
Step ack(uint32_t rel, uint16_t win = 65535) {
  return Step{Who::ServerAck, rel, "", flag::kAck, A::Forward, R::Control, {}, win};
}

std::vector<Case> cases() {
  std::vector<Case> v;
  v.push_back({"in_order",
               {c(0, "GET / HTTP/1.1\r\n", A::Forward, R::InOrder),
                c(16, "Host: a\r\n\r\n", A::Forward, R::InOrder),
                s(0, "HTTP/1.1 200 OK\r\n", A::Forward, R::InOrder)},
               "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
               "HTTP/1.1 200 OK\r\n"});
  {
    Case k{"one_byte_segments", {}, "attack"};
    const std::string m = "attack";
    for (uint32_t i = 0; i < m.size(); ++i) k.steps.push_back(c(i, m.substr(i, 1), A::Forward, R::InOrder));
    v.push_back(k);
  }
  {
    Case k{"one_byte_segments_reversed", {}, "attack"};
    const std::string m = "attack";
    for (uint32_t i = static_cast<uint32_t>(m.size()) - 1; i > 0; --i) {
      k.steps.push_back(c(i, m.substr(i, 1), A::Forward, R::OutOfOrder));
    }
    k.steps.push_back(c(0, "a", A::Forward, R::InOrder));
    v.push_back(k);
  }
  v.push_back({"out_of_order_then_gap_fill",
               {c(10, "KLMNO", A::Forward, R::OutOfOrder), c(5, "FGHIJ", A::Forward, R::OutOfOrder),
                c(0, "ABCDE", A::Forward, R::InOrder)},
               "ABCDEFGHIJKLMNO"});
  v.push_back({"retransmission_identical",
               {c(0, "hello", A::Forward, R::InOrder), c(0, "hello", A::Forward, R::Retransmission),
                c(2, "ll", A::Forward, R::Retransmission)},
               "hello"});
  v.push_back({"retransmission_different",
               {c(0, "hello", A::Forward, R::InOrder), c(0, "HELLO", A::Drop, R::OverlapMismatch),
                c(5, " you", A::Forward, R::InOrder)},
               "hello you"});
  // Overlaps against inspected (in-order) bytes: old = [0,10).
  v.push_back({"overlap_end_same",
               {c(0, "0123456789", A::Forward, R::InOrder), c(7, "789abc", A::Forward, R::InOrder)},
               "0123456789abc"});
  v.push_back({"overlap_end_different",
               {c(0, "0123456789", A::Forward, R::InOrder), c(7, "7X9abc", A::Drop, R::OverlapMismatch)},
               "0123456789"});
  v.push_back({"overlap_middle_same",
               {c(0, "0123456789", A::Forward, R::InOrder), c(3, "3456", A::Forward, R::Retransmission)},
               "0123456789"});
  v.push_back({"overlap_middle_different",
               {c(0, "0123456789", A::Forward, R::InOrder), c(3, "3X56", A::Drop, R::OverlapMismatch)},
               "0123456789"});
  // Overlaps against forwarded out-of-order bytes: old = [4,8), gap [0,4).
  v.push_back({"ooo_overlap_start_same",
               {c(4, "4567", A::Forward, R::OutOfOrder), c(2, "2345", A::Forward, R::OutOfOrder),
                c(0, "01", A::Forward, R::InOrder)},
               "01234567"});
  v.push_back({"ooo_overlap_start_different",
               {c(4, "4567", A::Forward, R::OutOfOrder), c(2, "23X5", A::Drop, R::OverlapMismatch),
                c(0, "0123", A::Forward, R::InOrder)},
               "01234567"});
  v.push_back({"ooo_overlap_end_different",
               {c(4, "4567", A::Forward, R::OutOfOrder), c(6, "6X89", A::Drop, R::OverlapMismatch),
                c(0, "0123", A::Forward, R::InOrder)},
               "01234567"});
  v.push_back({"ooo_new_covers_old_same",
               {c(4, "45", A::Forward, R::OutOfOrder), c(2, "234567", A::Forward, R::OutOfOrder),
                c(0, "01", A::Forward, R::InOrder)},
               "01234567"});
  v.push_back({"ooo_new_covers_old_different",
               {c(4, "45", A::Forward, R::OutOfOrder), c(2, "23XY67", A::Drop, R::OverlapMismatch),
                c(0, "0123", A::Forward, R::InOrder)},
               "012345"});
  // Both orders: the differing copy first wins, because it was forwarded.
  v.push_back({"ooo_different_first_then_original",
               {c(4, "4X67", A::Forward, R::OutOfOrder), c(4, "4567", A::Drop, R::OverlapMismatch),
                c(0, "0123", A::Forward, R::InOrder)},
               "01234X67"});
  v.push_back({"gap_filler_overlapping_ooo_different",
               {c(4, "4567", A::Forward, R::OutOfOrder), c(0, "012345X7", A::Drop, R::OverlapMismatch),
                c(0, "01234567", A::Forward, R::InOrder)},
               "01234567"});
  v.push_back({"bad_checksum_decoy",
               {c(0, "EVIL", A::Drop, R::BadChecksum, kData, kBadSum), c(0, "GOOD", A::Forward, R::InOrder)},
               "GOOD"});
  v.push_back({"low_ttl_decoy",
               {c(0, "EVIL", A::Drop, R::TtlExpires, kData, kLowTtl), c(0, "GOOD", A::Forward, R::InOrder)},
               "GOOD"});
  v.push_back({"beyond_window",
               {c(200, "x", A::Drop, R::OutOfWindow), c(95, "0123456789", A::Drop, R::OutOfWindow),
                c(0, "ok", A::Forward, R::InOrder), ack(2, 200), c(192, "0123456789", A::Forward, R::OutOfOrder),
                c(193, "0123456789", A::Drop, R::OutOfWindow)},
               "ok",
               "",
               false,
               100});
  v.push_back({"zero_window_probe",
               {ack(0, 0), c(0, "p", A::Drop, R::ZeroWindowProbe), c(0, "pq", A::Drop, R::OutOfWindow),
                ack(0, 10), c(0, "p", A::Forward, R::InOrder)},
               "p",
               "",
               false,
               0});
  v.push_back({"data_after_fin",
               {c(0, "bye", A::Forward, R::InOrder, kFin), c(3, "more", A::Drop, R::AfterFin),
                c(0, "bye", A::Forward, R::Retransmission, kFin), c(1, "ye!", A::Drop, R::AfterFin)},
               "bye",
               "",
               true});
  v.push_back({"fin_out_of_order",
               {c(3, "def", A::Forward, R::OutOfOrder, kFin), c(6, "g", A::Drop, R::AfterFin),
                c(0, "abc", A::Forward, R::InOrder)},
               "abcdef",
               "",
               true});
  v.push_back({"fin_before_forwarded_data",
               {c(5, "later", A::Forward, R::OutOfOrder), c(0, "ab", A::Drop, R::AfterFin, kFin),
                c(0, "abcde", A::Forward, R::InOrder)},
               "abcdelater"});
  v.push_back({"rst_exact_sequence",
               {c(0, "abc", A::Forward, R::InOrder), c(3, "", A::Forward, R::RstAccepted, kRst),
                c(3, "def", A::Drop, R::AfterRst)},
               "abc"});
  v.push_back({"rst_wrong_sequence_does_not_blind",
               {c(0, "abc", A::Forward, R::InOrder), c(10, "", A::Drop, R::InvalidRst, kRst),
                c(2, "", A::Drop, R::InvalidRst, kRst), c(4, "", A::Drop, R::InvalidRst, kRst | flag::kAck),
                c(3, "def", A::Forward, R::InOrder)},
               "abcdef"});
  v.push_back({"rst_from_server_exact",
               {c(0, "abc", A::Forward, R::InOrder), s(1, "", A::Drop, R::InvalidRst, kRst),
                s(0, "", A::Forward, R::RstAccepted, kRst)},
               "abc"});
  v.push_back({"acked_retransmission_is_harmless",
               {c(0, "hello", A::Forward, R::InOrder), ack(5),
                c(0, "HELLO", A::Forward, R::AckedRetransmission), c(3, "LO you", A::Forward, R::InOrder)},
               "hello you"});
  v.push_back({"partly_acked_block_still_compared",
               {c(0, "hello", A::Forward, R::InOrder), ack(2), c(0, "heLLo", A::Drop, R::OverlapMismatch)},
               "hello"});
  v.push_back({"pure_ack_and_response",
               {c(0, "ping", A::Forward, R::InOrder), ack(4), s(0, "pong", A::Forward, R::InOrder),
                s(4, "", A::Forward, R::InOrder, kFin)},
               "ping",
               "pong"});
  return v;
}

class ReplayCase : public ::testing::TestWithParam<Case> {};

TEST_P(ReplayCase, VerdictsAndStream) {
  const Case& k = GetParam();
  StreamHarness h;
  h.handshake({}, {}, 65535, k.server_window);
  for (size_t i = 0; i < k.steps.size(); ++i) {
    const Step& st = k.steps[i];
    SegmentVerdict v;
    switch (st.who) {
      case Who::Client: v = h.c(st.rel, st.data, st.flags, st.hints); break;
      case Who::Server: v = h.s(st.rel, st.data, st.flags); break;
      case Who::ServerAck: v = h.server_ack(st.rel, st.window); break;
    }
    EXPECT_EQ(v.action, st.action) << "step " << i;
    EXPECT_STREQ(segment_reason_name(v.reason), segment_reason_name(st.reason)) << "step " << i;
    if (st.who == Who::Server && st.action == A::Forward) h.server_sent = st.rel + static_cast<uint32_t>(st.data.size());
  }
  EXPECT_EQ(h.sink.stream[0], k.client_stream);
  EXPECT_EQ(h.sink.stream[1], k.server_stream);
  EXPECT_EQ(h.sink.eos[0], k.client_eos);
  h.stream.release(h.ctx);
  EXPECT_EQ(h.ctx.memory.in_use(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Issue4, ReplayCase, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.name); });

}  // namespace
}  // namespace weir::dp::test
