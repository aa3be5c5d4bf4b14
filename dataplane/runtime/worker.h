#pragma once
// Worker: one poll-mode loop pinned to one lcore. It owns one RX and one TX
// queue on every port, its flow table and its counters (share-nothing). Per
// burst: rx -> decode -> ownership check (hand off to the owner worker if the
// flow is not ours) -> blocklist -> flow -> forward to the pair's peer port.

#include <atomic>
#include <cstdint>
#include <functional>

#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "dataplane/decode/packet_decoder.h"
#include "dataplane/defrag/ip_defragmenter.h"
#include "dataplane/flow/flow_key.h"
#include "dataplane/flow/frame_flow_key.h"
#include "dataplane/flow/flow_table.h"
#include "dataplane/runtime/dataplane_context.h"
#include "dataplane/runtime/flow_dump.h"
#include "dataplane/runtime/latency_histogram.h"
#include "dataplane/runtime/stream_inspector.h"
#include "dataplane/runtime/stream_stage.h"
#include "dataplane/runtime/worker_counters.h"

namespace weir::dp {

/// Where forwarded frames go when not to a real port (offline replay).
using FrameSink = std::function<void(uint16_t out_port, rte_mbuf* m)>;

class Worker {
 public:
  static constexpr uint16_t kMaxBurst = 64;

  Worker(unsigned index, unsigned lcore, DataplaneContext& ctx);

  /// The poll loop; returns when ctx.quit is set.
  int run();

  /// Processes one RX burst: frames all received on one port (pkts[0]->port
  /// tells pair and side).
  void process_burst(rte_mbuf** pkts, uint16_t n, uint64_t now_tsc);
  /// Loads the snapshots (blocklist) a burst reads; run() does it every loop.
  void refresh_snapshots() {
    blocklist_ = ctx_.blocklist->get();
    policy_ = ctx_.policy->get();
    // Discovery on/off and its budget follow the live config.
    if (policy_ != nullptr && policy_->generation != discovery_generation_) {
      discovery_generation_ = policy_->generation;
      const auto& d = policy_->cfg.discovery;
      l7_.configure_observations(d.enabled, d.sample_rate_per_s, d.sample_burst);
      // So do the parser policies (config `parsers:`).
      l7_.set_parser_policies(policy_->cfg.parsers.graphql, policy_->cfg.parsers.xml);
      l7_.set_parser_tables(&policy_->cfg.parsers.apis, policy_->cfg.parsers.protoset_names.get());
    }
    // Detection switches by generation number, never by pointer (an address
    // may be reused while this worker slept offline).
    const DetectionGeneration* d = ctx_.detection ? ctx_.detection->get() : nullptr;
    if ((d != nullptr ? d->generation : 0) != detection_generation_) {
      detection_generation_ = d != nullptr ? d->generation : 0;
      const bool ok = d != nullptr && index_ < d->engines.size();
      l7_.use(ok ? d->snapshot.get() : nullptr, ok ? d->engines[index_].get() : nullptr);
    }
  }
  /// Flow timeouts; run() calls it every 10 ms, replay per capture time.
  void expire_flows(uint64_t now_tsc);
  /// Sends what process_burst queued.
  void flush_tx(uint64_t now_tsc);
  /// Replay mode: forwarded frames go to `sink` instead of a TX queue.
  void set_frame_sink(FrameSink sink) { sink_ = std::move(sink); }
  /// Replay mode: write the in-order bytes of every TCP stream to `dir`.
  void dump_streams_to(const std::string& dir) { inspector_.dump_streams_to(dir); }
  /// Binds per-thread detection state (Hyperscan stream state pool, scratch)
  /// to the calling thread; run() does it itself, replay calls it.
  bool bind_to_this_thread(std::string& err);
  const StreamInspector& inspector() const { return inspector_; }
  const L7Inspector& l7() const { return l7_; }

  unsigned index() const { return index_; }
  unsigned lcore() const { return lcore_; }
  const WorkerCounters& counters() const { return counters_; }
  const LatencyHistogram& latency() const { return latency_; }
  const FlowTable& flows() const { return flows_; }
  const StreamStage& stream() const { return stream_; }
  const IpDefragmenter& defrag() const { return defrag_; }

  // Written by the worker, read by the watchdog on the main lcore.
  std::atomic<uint64_t> heartbeat{0};
  std::atomic<bool> sleeping{false};
  // Test hook (--enable-test-hooks): the worker spins this many ms once.
  std::atomic<uint32_t> test_stall_ms{0};
  // Test hook: the worker raises this many test alerts through its event ring.
  std::atomic<uint32_t> test_alerts{0};
  /// `weirctl flows`: the main lcore posts a request, the worker answers between bursts.
  FlowDumpMailbox flow_dump;

 private:
  enum class Action : uint8_t { Forward, Drop, HandedOff, Owned, Fragment };
  /// A packet keyed in the first pass, handled in the second.
  /// What the fast path writes comes first, the Packet last (two cache
  /// lines per staged packet are written, not four).
  struct alignas(64) Staged {
    rte_mbuf* m;
    FlowKey key;
    uint32_t hash;
    bool src_is_lo;
    bool decoded;          ///< false: keyed by frame_flow_key(), pkt not filled yet
    /// tcp_flags (pkt.tcp_flags for TCP, 0 otherwise) and payload_len are
    /// set on both paths; l3_offset and is_tcp by the fast path only.
    FrameFlowFields fields;
    const PortMapEntry* where;  ///< the port it arrived on: pair, side, and the peer port it leaves on
    Packet pkt;  ///< valid when `decoded`; else decode_staged() fills it when needed
  };

  Action stage(rte_mbuf* m, const PortMapEntry& where, bool handed_off, Staged& out);
  /// stage() for a frame the fast path (frame_flow_key) did not take: full decode.
  Action stage_decoded(rte_mbuf* m, const PortMapEntry& where, const PortPair& pair, PairMode mode,
                       bool handed_off, Staged& out);
  enum class Keyed : uint8_t { NotPlain, OverMtu, Ok };
  /// Keys a plain frame into `out` (key, hash, direction, TCP flags, payload
  /// length); OverMtu: plain but over `mtu`; NotPlain: needs the full decode.
  Keyed key_plain(rte_mbuf* m, const PortMapEntry& where, uint32_t mtu, Staged& out);
  /// The flow-owner check and staging of a keyed packet (both paths of stage()).
  Action stage_keyed(rte_mbuf* m, const PortMapEntry& where, const PortPair& pair, bool handed_off,
                     Staged& out);
  /// A chained mbuf: counted and handled by the internal-error policy.
  Action multi_segment_action(const PortPair& pair);
  /// A packet owned by another worker goes there over the hand-off ring.
  Action hand_off(rte_mbuf* m, unsigned owner, const PortPair& pair);
  /// process_burst() for a pair not in Inspect mode: packet by packet through stage(),
  /// flow stage included, with `staged` as scratch.
  void stage_burst(rte_mbuf** pkts, uint16_t n, uint64_t now_tsc, Staged* staged);
  /// The first half of process_burst(): keys the burst's packets, stages the
  /// ones this worker's flow stage handles into `staged` (returns how many),
  /// prefetching their buckets and flows; everything else is dispatched here.
  /// run_staged() is the second half.
  uint16_t stage_rx_burst(rte_mbuf** pkts, uint16_t n, uint64_t now_tsc, Staged* staged);
  /// Decodes a packet staged by the fast path (its frame is plain: Ok).
  void decode_staged(Staged& s);
  /// The flow stage of `n` staged packets, their buckets prefetched.
  void run_staged(Staged* staged, uint16_t n, uint64_t now_tsc);
  void dispatch(rte_mbuf* m, const PortMapEntry& where, Action a);
  /// `looked_up`: the caller looked the flow up already (the burst loop
  /// does, for its fast path) and `found` is the result (null: not there,
  /// created here without a second lookup); otherwise looked up or created here.
  Action handle_owned(const Packet& pkt, const FlowKey& key, uint32_t hash, bool src_is_lo,
                      const PortPair& pair, uint64_t now_tsc, bool looked_up = false, Flow* found = nullptr);
  /// Inline: once per forwarded packet.
  void enqueue_tx(uint16_t out_port, rte_mbuf* m) {
    TxQueue& q = tx_[out_port];
    if (q.n == 0) tx_ports_used_[n_tx_ports_used_++] = out_port;
    q.pkts[q.n++] = m;
    if (q.n == kMaxBurst * 2) flush_tx(rte_rdtsc());
  }
  /// Bypass fast path: a whole burst straight to the peer port, no decode.
  void forward_uninspected(const PortPair& pair, int side, rte_mbuf** pkts, uint16_t n);
  void drain_handoff(uint64_t now_tsc);
  void run_test_hooks();
  Action inspect_tcp(Flow& flow, const Packet& pkt, bool from_initiator, const PortPair& pair);
  void send_reset(const ResetFrame& r, const Packet& pkt, const PortPair& pair);
  /// The 403 block page toward the client in place of reset `r`; false
  /// when it cannot be sent (no mbuf): the caller sends the reset.
  bool send_block_page(const ResetFrame& r, const Packet& pkt, const PortPair& pair);
  void emit_segment_finding(const Flow& flow, const Packet& pkt, SegmentReason reason);
  static void on_flow_removed(void* self, const Flow& flow, FlowEnd why);
  void handle_fragment(rte_mbuf* m, const Packet& pkt, bool handed_off, uint64_t now_tsc);
  void release_fragments(const DefragResult& r, const Packet& pkt, bool forward);
  void emit_fragment_finding(const Packet& pkt, DefragReason reason);

  unsigned index_;
  unsigned lcore_;
  DataplaneContext& ctx_;
  FlowTable flows_;
  StreamStage stream_;
  IpDefragmenter defrag_;
  L7Inspector l7_;
  StreamInspector inspector_;
  StreamOutcome stream_outcome_;
  WorkerCounters counters_;
  LatencyHistogram latency_;
  FrameSink sink_;
  const BlocklistSnapshot* blocklist_ = nullptr;  ///< refreshed once per loop
  const LivePolicy* policy_ = nullptr;            ///< refreshed once per loop
  uint64_t detection_generation_ = 0;             ///< the generation l7_ uses (0: none)
  uint64_t discovery_generation_ = UINT64_MAX;    ///< the policy generation discovery was set from
  uint32_t sample_countdown_ = 1;
  uint64_t tsc_per_ns_x1024_ = 0;
  uint64_t next_expiry_tsc_ = 0;

  struct TxQueue {
    uint16_t n = 0;
    rte_mbuf* pkts[kMaxBurst * 2];
  };
  TxQueue tx_[RTE_MAX_ETHPORTS];
  Staged staged_[kMaxBurst];
  uint16_t tx_ports_used_[RTE_MAX_ETHPORTS];
  uint16_t n_tx_ports_used_ = 0;
};

}  // namespace weir::dp
