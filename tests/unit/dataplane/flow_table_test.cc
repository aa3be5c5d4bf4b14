// FlowTable with a fake TSC (1 MHz: one wheel tick is 10'000 units).

#include "dataplane/flow/flow_table.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "tests/unit/dataplane/frame_builder.h"

namespace weir::dp {
namespace {

using namespace tcp_flag;
using test::ip;

constexpr uint64_t kHz = 1'000'000;
constexpr uint64_t kSec = kHz;
constexpr uint64_t kT0 = 5'000 * kSec;  // a TSC that does not start at zero

FlowTimeouts timeouts() {
  return FlowTimeouts{.syn_tsc = 1 * kSec,
                      .established_tsc = 300 * kSec,  // longer than one wheel turn
                      .closed_tsc = kSec / 2,
                      .udp_tsc = 3 * kSec,
                      .other_tsc = 2 * kSec,
                      .lifetime_tsc = 1000 * kSec};
}

struct Endpoints {
  const char* client;
  uint16_t cport;
  const char* server;
  uint16_t sport;
  uint8_t proto = 6;
};

Packet packet(const Endpoints& e, bool from_client) {
  Packet p;
  p.src = ip(from_client ? e.client : e.server);
  p.dst = ip(from_client ? e.server : e.client);
  p.src_port = from_client ? e.cport : e.sport;
  p.dst_port = from_client ? e.sport : e.cport;
  p.ip_proto = e.proto;
  return p;
}

// What the worker does per packet: key, hash, find_or_create, on_packet.
struct Seen {
  Flow* flow;
  bool created;
  bool from_initiator;
};
Seen feed(FlowTable& t, const Endpoints& e, bool from_client, uint8_t flags, uint64_t now,
          uint32_t payload = 0) {
  bool src_is_lo = false;
  const FlowKey k = make_flow_key(packet(e, from_client), src_is_lo);
  const uint32_t h = flow_hash(k);
  t.prefetch(h);
  bool created = false;
  Flow* f = t.find_or_create(k, h, src_is_lo, now, created);
  const bool fwd = f->from_initiator(src_is_lo);
  t.on_packet(*f, fwd, flags, payload, now);
  return {f, created, fwd};
}

Flow* lookup(FlowTable& t, const Endpoints& e) {
  bool lo = false;
  const FlowKey k = make_flow_key(packet(e, true), lo);
  return t.find(k, flow_hash(k));
}

Endpoints client(int i, uint8_t proto = 6) {
  return {"198.18.0.1", static_cast<uint16_t>(10000 + i), "198.19.0.2", 443, proto};
}

TEST(FlowTable, CreateAndFindBothDirections) {
  FlowTable t(64, timeouts(), kHz);
  const Endpoints e = client(1);
  const Seen a = feed(t, e, true, kSyn, kT0);
  EXPECT_TRUE(a.created);
  EXPECT_TRUE(a.from_initiator);
  const Seen b = feed(t, e, false, kSyn | kAck, kT0 + 10, 0);
  EXPECT_FALSE(b.created);
  EXPECT_EQ(a.flow, b.flow);
  EXPECT_FALSE(b.from_initiator);
  feed(t, e, true, kAck, kT0 + 20, 100);
  feed(t, e, true, kAck | kPsh, kT0 + 30, 50);
  feed(t, e, false, kAck | kPsh, kT0 + 40, 700);
  const Flow* f = lookup(t, e);
  ASSERT_EQ(f, a.flow);
  EXPECT_EQ(f->tcp_state, TcpState::Established);
  EXPECT_EQ(f->packets[0], 3u);
  EXPECT_EQ(f->packets[1], 2u);
  EXPECT_EQ(f->bytes[0], 150u);
  EXPECT_EQ(f->bytes[1], 700u);
  EXPECT_EQ(f->created_tsc, kT0);
  EXPECT_EQ(f->last_seen_tsc, kT0 + 40);
  EXPECT_EQ(t.stats().active, 1u);
  EXPECT_EQ(t.stats().created, 1u);
  EXPECT_EQ(lookup(t, client(2)), nullptr);
}

TEST(FlowTable, InitiatorIsTheFirstSender) {
  FlowTable t(8, timeouts(), kHz);
  const Endpoints e = client(1);
  const Seen first = feed(t, e, false, kAck, kT0);  // the server speaks first
  EXPECT_TRUE(first.from_initiator);
  EXPECT_FALSE(feed(t, e, true, kAck, kT0 + 1).from_initiator);
  EXPECT_EQ(first.flow->tcp_state, TcpState::MidStream);
}

TEST(FlowTable, TcpCloseLingersThenCountsClosed) {
  FlowTable t(8, timeouts(), kHz);
  const Endpoints e = client(1);
  feed(t, e, true, kSyn, kT0);
  feed(t, e, false, kSyn | kAck, kT0 + 1);
  feed(t, e, true, kAck, kT0 + 2);
  // Past the SYN timeout: the timer entry is re-armed for the 300 s idle.
  EXPECT_EQ(t.expire(kT0 + 2 * kSec, 100), 0u);
  const uint64_t t1 = kT0 + 2 * kSec;
  feed(t, e, true, kFin | kAck, t1);
  EXPECT_EQ(lookup(t, e)->tcp_state, TcpState::Closing);
  feed(t, e, false, kFin | kAck, t1 + 1);
  EXPECT_EQ(lookup(t, e)->tcp_state, TcpState::Closed);
  EXPECT_EQ(t.expire(t1 + kSec / 4, 100), 0u);  // lingering for the last ACK
  EXPECT_NE(lookup(t, e), nullptr);
  // The close must have re-armed the 300 s timer to the 0.5 s linger.
  EXPECT_EQ(t.expire(t1 + kSec * 6 / 10, 100), 1u);
  EXPECT_EQ(lookup(t, e), nullptr);
  EXPECT_EQ(t.stats().closed, 1u);
  EXPECT_EQ(t.stats().expired, 0u);
  EXPECT_EQ(t.stats().active, 0u);
}

TEST(FlowTable, ResetClosesQuickly) {
  FlowTable t(8, timeouts(), kHz);
  const Endpoints e = client(1);
  feed(t, e, true, kAck, kT0);  // mid-stream: 300 s idle timeout
  EXPECT_EQ(t.expire(kT0 + 2 * kSec, 100), 0u);
  feed(t, e, false, kRst, kT0 + 2 * kSec);
  EXPECT_EQ(t.expire(kT0 + 2 * kSec + kSec * 4 / 10, 100), 0u);
  EXPECT_EQ(t.expire(kT0 + 2 * kSec + kSec * 6 / 10, 100), 1u);
  EXPECT_EQ(t.stats().closed, 1u);
}

TEST(FlowTable, IdleTimeoutsByProtocolAndState) {
  FlowTable t(16, timeouts(), kHz);
  const Endpoints syn_only = client(1);
  const Endpoints established = client(2);
  const Endpoints udp = client(3, 17);
  const Endpoints icmp = {"198.18.0.1", 0, "198.19.0.2", 0, 1};
  feed(t, syn_only, true, kSyn, kT0);
  feed(t, established, true, kSyn, kT0);
  feed(t, established, false, kSyn | kAck, kT0);
  feed(t, established, true, kAck, kT0);
  feed(t, udp, true, 0, kT0);
  feed(t, icmp, true, 0, kT0);

  EXPECT_EQ(t.expire(kT0 + kSec - 1, 100), 0u);
  EXPECT_EQ(t.expire(kT0 + kSec + kSec / 50, 100), 1u);  // SYN timeout
  EXPECT_EQ(lookup(t, syn_only), nullptr);
  EXPECT_EQ(t.expire(kT0 + 2 * kSec + kSec / 50, 100), 1u);  // other (ICMP)
  EXPECT_EQ(t.expire(kT0 + 3 * kSec + kSec / 50, 100), 1u);  // UDP
  EXPECT_EQ(lookup(t, udp), nullptr);
  // Established outlives several turns of the wheel (~41 s each).
  EXPECT_EQ(t.expire(kT0 + 299 * kSec, 100), 0u);
  EXPECT_NE(lookup(t, established), nullptr);
  EXPECT_EQ(t.expire(kT0 + 300 * kSec + kSec / 50, 100), 1u);
  EXPECT_EQ(t.stats().expired, 4u);
  EXPECT_EQ(t.stats().active, 0u);
}

TEST(FlowTable, ActivityPostponesExpiry) {
  FlowTable t(8, timeouts(), kHz);
  const Endpoints udp = client(1, 17);
  feed(t, udp, true, 0, kT0);
  for (uint64_t s = 1; s <= 20; ++s) {
    EXPECT_EQ(t.expire(kT0 + s * kSec, 100), 0u) << s;
    feed(t, udp, s % 2 == 0, 0, kT0 + s * kSec);
  }
  EXPECT_EQ(t.expire(kT0 + 22 * kSec, 100), 0u);
  EXPECT_EQ(t.expire(kT0 + 23 * kSec + kSec / 50, 100), 1u);
}

TEST(FlowTable, LifetimeLimitRemovesActiveFlows) {
  FlowTimeouts to = timeouts();
  to.lifetime_tsc = 10 * kSec;
  FlowTable t(8, to, kHz);
  const Endpoints udp = client(1, 17);
  uint64_t now = kT0;
  uint32_t removed = 0;
  for (; now < kT0 + 12 * kSec && removed == 0; now += kSec / 2) {
    if (lookup(t, udp) == nullptr && now > kT0) break;
    feed(t, udp, true, 0, now);
    removed = t.expire(now, 100);
  }
  EXPECT_EQ(removed, 1u);
  EXPECT_GE(now, kT0 + 10 * kSec);
  EXPECT_LE(now, kT0 + 10 * kSec + kSec);
  EXPECT_EQ(t.stats().lifetime, 1u);
  EXPECT_EQ(t.stats().expired, 0u);
}

TEST(FlowTable, SynFloodEvictsHalfOpenFlowsBeforeAnEstablishedOne) {
  using namespace tcp_flag;
  FlowTable t(4, timeouts(), kHz);
  // An established connection, then quiet while half-open flows arrive.
  feed(t, client(0, 6), true, kSyn, kT0);
  feed(t, client(0, 6), false, kSyn | kAck, kT0 + 1);
  feed(t, client(0, 6), true, kAck, kT0 + 2);
  ASSERT_EQ(lookup(t, client(0, 6))->tcp_state, TcpState::Established);
  for (int i = 1; i < 40; ++i) feed(t, client(i, 6), true, kSyn, kT0 + i * kSec / 100);
  EXPECT_EQ(t.stats().evicted, 36u);
  // The established flow is the least recently seen, yet it survived the flood.
  ASSERT_NE(lookup(t, client(0, 6)), nullptr);
  EXPECT_EQ(lookup(t, client(0, 6))->tcp_state, TcpState::Established);
}

TEST(FlowTable, EvictsLeastRecentlySeenAtCapacity) {
  FlowTable t(4, timeouts(), kHz);
  for (int i = 0; i < 4; ++i) feed(t, client(i, 17), true, 0, kT0 + i * kSec / 10);
  feed(t, client(0, 17), true, 0, kT0 + kSec / 2);  // 0 is now the most recent
  const uint32_t slot1 = t.slot_of(*lookup(t, client(1, 17)));
  struct Log {
    std::vector<uint16_t> ports;
    std::vector<FlowEnd> why;
  } log;
  t.set_remove_hook(
      [](void* ctx, const Flow& f, FlowEnd why) {
        static_cast<Log*>(ctx)->ports.push_back(f.key.lo_port);
        static_cast<Log*>(ctx)->why.push_back(why);
      },
      &log);
  const Seen s = feed(t, client(4, 17), true, 0, kT0 + kSec * 6 / 10);
  EXPECT_TRUE(s.created);
  EXPECT_EQ(t.stats().evicted, 1u);
  EXPECT_EQ(t.stats().active, 4u);
  EXPECT_EQ(t.stats().created, 5u);
  EXPECT_EQ(lookup(t, client(1, 17)), nullptr);
  EXPECT_NE(lookup(t, client(0, 17)), nullptr);
  EXPECT_GE(t.slot_of(*s.flow), 1u);
  EXPECT_LE(t.slot_of(*s.flow), 4u);
  ASSERT_EQ(log.ports.size(), 1u);
  EXPECT_EQ(log.ports[0], 10001);
  EXPECT_EQ(log.why[0], FlowEnd::Evicted);
  EXPECT_EQ(t.slot_of(*s.flow), slot1);  // the new flow took the evicted one's slot
  feed(t, client(5, 17), true, 0, kT0 + kSec * 7 / 10);
  EXPECT_EQ(lookup(t, client(2, 17)), nullptr);
  EXPECT_EQ(t.stats().evicted, 2u);
  // The evicted flows' timers went with them: nothing left to expire but the 4.
  EXPECT_EQ(t.expire(kT0 + 10 * kSec, 100), 4u);
  EXPECT_EQ(t.stats().active, 0u);
}

// A table larger than the eviction window: each eviction takes the least
// recently seen flow of the window, and the window slides past it, so the
// oldest flows go first and recent ones stay.
TEST(FlowTable, EvictionTakesTheOldestOfASlidingWindow) {
  FlowTable t(64, timeouts(), kHz);
  for (int i = 0; i < 64; ++i) feed(t, client(i, 17), true, 0, kT0 + i);
  for (int i = 8; i < 64; ++i) feed(t, client(i, 17), true, 0, kT0 + kSec / 10 + i);  // 0..7 stay old
  std::vector<uint16_t> evicted;
  t.set_remove_hook(
      [](void* ctx, const Flow& f, FlowEnd) { static_cast<std::vector<uint16_t>*>(ctx)->push_back(f.key.lo_port); },
      &evicted);
  for (int i = 0; i < 8; ++i) feed(t, client(100 + i, 17), true, 0, kT0 + kSec / 5 + i);
  EXPECT_EQ(t.stats().evicted, 8u);
  ASSERT_EQ(evicted.size(), 8u);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(evicted[static_cast<size_t>(i)], client(i, 17).cport) << i;
  for (int i = 8; i < 64; ++i) EXPECT_NE(lookup(t, client(i, 17)), nullptr) << i;
}

TEST(FlowTable, BudgetBoundsExpiryWork) {
  FlowTable t(256, timeouts(), kHz);
  for (int i = 0; i < 100; ++i) feed(t, client(i, 17), true, 0, kT0);
  const uint64_t later = kT0 + 5 * kSec;
  uint32_t total = 0;
  int calls = 0;
  while (t.stats().active > 0 && calls < 100) {
    const uint32_t n = t.expire(later, 10);
    EXPECT_LE(n, 10u);
    total += n;
    ++calls;
  }
  EXPECT_EQ(total, 100u);
  EXPECT_EQ(calls, 10);
  EXPECT_EQ(t.stats().expired, 100u);
}

TEST(FlowTable, CatchesUpAfterALongPause) {
  FlowTable t(64, timeouts(), kHz);
  for (int i = 0; i < 50; ++i) feed(t, client(i, 17), true, 0, kT0 + i);
  EXPECT_EQ(t.expire(kT0 + 100000 * kSec, 1000), 50u);
  feed(t, client(1, 17), true, 0, kT0 + 100001 * kSec);
  EXPECT_EQ(t.expire(kT0 + 100002 * kSec, 1000), 0u);
  EXPECT_EQ(t.expire(kT0 + 100005 * kSec, 1000), 1u);
}

// An expiry pass cut short by its budget, then a pause longer than a turn of
// the wheel: entries examined before the cut (not yet due then) must still be
// removed by the catch-up.
TEST(FlowTable, CatchUpAfterABudgetCut) {
  FlowTable t(64, timeouts(), kHz);  // 64 wheel slots: one turn is 0.64 s
  // Three flows due at the same tick share one slot.
  for (int i = 0; i < 3; ++i) feed(t, client(i, 17), true, 0, kT0);
  // The first turn reaches that slot, examines two entries (not due) and stops.
  EXPECT_EQ(t.expire(kT0 + kSec / 2, 2), 0u);
  EXPECT_EQ(t.expire(kT0 + 50 * kSec, 1000), 3u);
  EXPECT_EQ(t.stats().active, 0u);
}

TEST(FlowTable, ForEachAndClear) {
  FlowTable t(32, timeouts(), kHz);
  for (int i = 0; i < 10; ++i) feed(t, client(i), true, kSyn, kT0 + i);
  std::set<uint16_t> seen;  // each active flow once (the walk follows the timer wheel)
  int n = 0;
  t.for_each([&](const Flow& f) {
    ++n;
    seen.insert(f.key.lo_port);
  });
  EXPECT_EQ(n, 10);
  EXPECT_EQ(seen.size(), 10u);
  t.clear();
  EXPECT_EQ(t.stats().active, 0u);
  EXPECT_EQ(lookup(t, client(3)), nullptr);
  n = 0;
  t.for_each([&](const Flow&) { ++n; });
  EXPECT_EQ(n, 0);
  // The table is usable again at full capacity without evicting.
  for (int i = 0; i < 32; ++i) feed(t, client(100 + i), true, kSyn, kT0 + 100);
  EXPECT_EQ(t.stats().evicted, 0u);
  EXPECT_EQ(t.stats().active, 32u);
}

TEST(FlowTable, PortReuseAfterCloseRestartsHandshake) {
  FlowTable t(8, timeouts(), kHz);
  const Endpoints e = client(1);
  feed(t, e, true, kAck, kT0);
  feed(t, e, true, kRst, kT0 + 1);
  const Seen again = feed(t, e, true, kSyn, kT0 + 2);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.flow->tcp_state, TcpState::SynSent);
  EXPECT_EQ(t.expire(kT0 + kSec * 6 / 10, 100), 0u);  // not the closed linger any more
}

TEST(FlowTable, BytesPerFlowCountsEveryAllocation) {
  FlowTable big(1 << 16, timeouts(), kHz);
  EXPECT_GE(big.bytes_per_flow(), sizeof(Flow) + sizeof(uint32_t));
  EXPECT_LE(big.bytes_per_flow(), sizeof(Flow) + 2 * sizeof(uint32_t) + 1);
  // A tiny table: the sentinel slot and the 64-slot wheel are shared by 4 flows.
  FlowTable tiny(4, timeouts(), kHz);
  EXPECT_EQ(tiny.bytes_per_flow(), (5 * sizeof(Flow) + 4 * 4 + 64 * 4 + 3) / 4);
  EXPECT_EQ(sizeof(Flow) % 64, 0u);
}

TEST(FlowTable, TimeoutsFromConfig) {
  config::FlowConfig cfg;
  cfg.tcp_syn_timeout_s = 7;
  cfg.udp_timeout_s = 11;
  const FlowTimeouts to = make_flow_timeouts(cfg, 2'000'000'000ull);
  EXPECT_EQ(to.syn_tsc, 14'000'000'000ull);
  EXPECT_EQ(to.udp_tsc, 22'000'000'000ull);
  EXPECT_EQ(to.lifetime_tsc, 86400ull * 2'000'000'000ull);
}

}  // namespace
}  // namespace weir::dp
