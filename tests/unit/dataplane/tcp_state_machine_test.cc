// tcp_next_state(): the transition table, one row per transition.

#include "dataplane/flow/tcp_state_machine.h"

#include <gtest/gtest.h>

#include <vector>

namespace weir::dp {
namespace {

using namespace tcp_flag;
using S = TcpState;

struct Step {
  bool from_initiator;
  uint8_t flags;
  S expected;
};

struct Case {
  const char* name;
  S start;
  std::vector<Step> steps;
};

TEST(TcpStateMachine, Transitions) {
  const std::vector<Case> cases = {
      {"handshake_and_close",
       S::None,
       {{true, kSyn, S::SynSent},
        {false, kSyn | kAck, S::SynReceived},
        {true, kAck, S::Established},
        {true, kAck | kPsh, S::Established},
        {true, kFin | kAck, S::Closing},
        {false, kAck, S::Closing},
        {false, kFin | kAck, S::Closed}}},
      {"responder_closes_first",
       S::Established,
       {{false, kFin | kAck, S::Closing}, {false, kFin | kAck, S::Closing},
        {true, kFin | kAck, S::Closed}}},
      {"syn_retransmit", S::None, {{true, kSyn, S::SynSent}, {true, kSyn, S::SynSent}}},
      {"synack_missed", S::None, {{true, kSyn, S::SynSent}, {true, kAck, S::Established}}},
      {"syn_ack_from_initiator_ignored", S::SynSent, {{true, kSyn | kAck, S::SynSent}}},
      {"reset_in_handshake", S::SynSent, {{false, kRst | kAck, S::Closed}}},
      {"reset_established", S::Established, {{true, kRst, S::Closed}}},
      {"reset_first", S::None, {{true, kRst, S::Closed}}},
      {"midstream_ack", S::None, {{true, kAck, S::MidStream}, {false, kAck, S::MidStream}}},
      {"midstream_synack_first", S::None, {{true, kSyn | kAck, S::MidStream}}},
      {"midstream_close", S::None,
       {{true, kAck | kPsh, S::MidStream}, {true, kFin | kAck, S::Closing},
        {false, kFin | kAck, S::Closed}}},
      {"fin_first", S::None, {{true, kFin | kAck, S::Closing}}},
      {"fin_in_syn_received", S::SynReceived, {{true, kFin | kAck, S::Closing}}},
      {"port_reuse_after_close", S::Closed,
       {{false, kSyn, S::Closed}, {true, kAck, S::Closed}, {true, kSyn, S::SynSent},
        {false, kSyn | kAck, S::SynReceived}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    S state = c.start;
    uint8_t fins = 0;
    if (c.start == S::Closed) fins = 3;
    for (size_t i = 0; i < c.steps.size(); ++i) {
      state = tcp_next_state(state, fins, c.steps[i].from_initiator, c.steps[i].flags);
      EXPECT_EQ(state, c.steps[i].expected) << "step " << i;
    }
  }
}

TEST(TcpStateMachine, FinBitsPerDirection) {
  uint8_t fins = 0;
  S s = tcp_next_state(S::Established, fins, false, kFin);
  EXPECT_EQ(fins, 2);
  s = tcp_next_state(s, fins, true, kFin);
  EXPECT_EQ(fins, 3);
  EXPECT_EQ(s, S::Closed);
  s = tcp_next_state(s, fins, true, kSyn);  // reuse clears them
  EXPECT_EQ(fins, 0);
  EXPECT_EQ(s, S::SynSent);
}

// The per-packet shortcut: whenever tcp_state_steady() says a packet cannot
// change the state, tcp_next_state() agrees, for every flag byte and direction;
// and the bulk case (an ACK in an open state) is steady.
TEST(TcpStateMachine, SteadyShortcutAgreesWithTheTable) {
  int steady = 0;
  for (int st = static_cast<int>(S::None); st <= static_cast<int>(S::MidStream); ++st) {
    for (int flags = 0; flags < 256; ++flags) {
      if (!tcp_state_steady(static_cast<S>(st), static_cast<uint8_t>(flags))) continue;
      ++steady;
      for (bool from_initiator : {true, false}) {
        for (uint8_t fin_seen = 0; fin_seen < 4; ++fin_seen) {
          uint8_t fins = fin_seen;
          EXPECT_EQ(tcp_next_state(static_cast<S>(st), fins, from_initiator, static_cast<uint8_t>(flags)),
                    static_cast<S>(st))
              << "state " << st << " flags " << flags;
          EXPECT_EQ(fins, fin_seen);
        }
      }
    }
  }
  EXPECT_GT(steady, 0);
  for (S st : {S::Established, S::MidStream, S::Closing, S::Closed}) {
    EXPECT_TRUE(tcp_state_steady(st, kAck));
    EXPECT_TRUE(tcp_state_steady(st, kAck | kPsh));
  }
  for (S st : {S::None, S::SynSent, S::SynReceived}) EXPECT_FALSE(tcp_state_steady(st, kAck));
  EXPECT_FALSE(tcp_state_steady(S::Established, kAck | kFin));
  EXPECT_FALSE(tcp_state_steady(S::Closed, kSyn));
  EXPECT_FALSE(tcp_state_steady(S::MidStream, kRst));
}

}  // namespace
}  // namespace weir::dp
