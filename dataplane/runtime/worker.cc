#include "dataplane/runtime/worker.h"

#include <cstdio>
#include <cstring>

#include <rte_cycles.h>
#include <rte_log.h>
#include <rte_ethdev.h>
#include <rte_prefetch.h>

#include "dataplane/decode/packet_decoder_inline.h"
#include "dataplane/events/event_ring.h"
#include "dataplane/flow/flow_key.h"
#include "dataplane/flow/frame_flow_key.h"

namespace weir::dp {
namespace {

DefragConfig defrag_config_from(const config::DefragConfig& c, uint64_t tsc_hz) {
  DefragConfig d;
  d.max_datagrams = c.max_datagrams;
  d.max_fragments = c.max_fragments;
  d.max_bytes = uint64_t{c.memory_mb} << 20;
  d.timeout_tsc = uint64_t{c.timeout_s} * tsc_hz;
  return d;
}

// Fragments of one datagram carry no ports past the first: their owner is
// chosen by addresses, protocol, VLAN and pair only.
uint32_t fragment_hash(const Packet& pkt) {
  Packet p = pkt;
  p.src_port = p.dst_port = 0;
  bool src_is_lo;
  return flow_hash(make_flow_key(p, src_is_lo));
}

// L2 header bytes before the IP header, for the MTU check of non-IP frames.
uint32_t l2_overhead(const Packet& p) { return p.l3_offset != 0 ? p.l3_offset : 14u; }

}  // namespace

Worker::Worker(unsigned index, unsigned lcore, DataplaneContext& ctx)
    : index_(index),
      lcore_(lcore),
      ctx_(ctx),
      flows_(ctx.cfg->flow.capacity, make_flow_timeouts(ctx.cfg->flow, ctx.tsc_hz), ctx.tsc_hz),
      stream_(ctx.cfg->stream, ctx.cfg->flow.capacity),
      defrag_(defrag_config_from(ctx.cfg->defrag, ctx.tsc_hz)),
      l7_(ctx.cfg->flow.capacity, ctx.cfg->rules.parser_slots, parse::ParseLimits{}, parse::WorkspaceSizes{}),
      inspector_(ctx.cfg->flow.capacity, ctx.cfg->rules.stream_scanners, ctx.stream_db, &l7_) {
  flows_.set_remove_hook(&Worker::on_flow_removed, this);
  l7_.set_parser_policies(ctx.cfg->parsers.graphql, ctx.cfg->parsers.xml);
  l7_.set_parser_tables(&ctx.cfg->parsers.apis, ctx.cfg->parsers.protoset_names.get());
  const auto& discovery = ctx.cfg->discovery;
  l7_.enable_observations(discovery.in_flight_per_worker, ctx.tsc_hz);
  l7_.configure_observations(discovery.enabled, discovery.sample_rate_per_s, discovery.sample_burst);
  std::vector<detect::CustomDetectorConfig> custom;
  for (const auto& d : discovery.custom_detectors) custom.push_back({d.name, d.regex, d.keys});
  if (std::string err; !l7_.use_custom_detectors(custom, err))
    RTE_LOG(ERR, USER1, "worker %u: %s; custom sensitive-data detectors are off\n", index_, err.c_str());
  tsc_per_ns_x1024_ = (ctx.tsc_hz << 10) / 1000000000ull;
  if (tsc_per_ns_x1024_ == 0) tsc_per_ns_x1024_ = 1;
}

bool Worker::bind_to_this_thread(std::string& err) {
  return inspector_.bind_to_this_thread(err);
}

void Worker::expire_flows(uint64_t now_tsc) {
  flows_.expire(now_tsc, 256);
  for (DefragResult r = defrag_.expire(now_tsc); r.status != DefragStatus::None; r = defrag_.expire(now_tsc)) {
    for (void* h : r.handles) rte_pktmbuf_free(static_cast<rte_mbuf*>(h));
  }
}

void Worker::emit_fragment_finding(const Packet& pkt, DefragReason reason) {
  counters_.fragment_findings++;
  if (index_ >= ctx_.event_rings.size()) return;
  Event ev;
  ev.kind = EventKind::Alert;
  ev.severity = Severity::Medium;
  ev.rule_id = 9100 + static_cast<uint32_t>(reason);
  ev.proto = pkt.ip_proto;
  ev.client_addr = pkt.src;
  ev.server_addr = pkt.dst;
  ev.set_class("evasion");
  ev.set_zone("ip");
  char text[128];
  std::snprintf(text, sizeof text, "ip fragment %s: id %u offset %u", defrag_reason_name(reason), pkt.frag_id,
                pkt.frag_offset);
  ev.set_text(text);
  ctx_.event_rings[index_]->try_emit(ev);
}

void Worker::release_fragments(const DefragResult& r, const Packet& pkt, bool forward) {
  uint16_t out = ctx_.pairs[pkt.pair].port[static_cast<int>(peer_of(pkt.side))];
  for (void* h : r.handles) {
    auto* m = static_cast<rte_mbuf*>(h);
    if (forward)
      enqueue_tx(out, m);
    else
      rte_pktmbuf_free(m);
  }
}

void Worker::handle_fragment(rte_mbuf* m, const Packet& pkt, bool handed_off, uint64_t now_tsc) {
  DefragResult r = defrag_.add(pkt, m, now_tsc);
  const bool monitor = ctx_.monitor_mode.load(std::memory_order_relaxed);
  switch (r.status) {
    case DefragStatus::None:
    case DefragStatus::Held:
      return;
    case DefragStatus::Returned:
      if (r.reason == DefragReason::Duplicate) {
        release_fragments(r, pkt, false);  // the receiver discards it too
        return;
      }
      if (defrag_reason_is_finding(r.reason)) emit_fragment_finding(pkt, r.reason);
      release_fragments(r, pkt, monitor && defrag_reason_is_finding(r.reason));
      return;
    case DefragStatus::Complete:
      break;
  }
  // The whole datagram is inspected as one packet; the originals follow its verdict.
  Packet dgram;
  DecodeStatus st = decode_packet(r.datagram.data(), static_cast<uint32_t>(r.datagram.size()), dgram);
  dgram.pair = pkt.pair;
  dgram.side = pkt.side;
  if (st != DecodeStatus::Ok) {
    counters_.malformed_dropped++;
    release_fragments(r, pkt, false);
    return;
  }
  bool src_is_lo = true;
  FlowKey key = make_flow_key(dgram, src_is_lo);
  uint32_t hash = flow_hash(key);
  unsigned owner = hash % ctx_.n_workers;
  if (owner != index_ && !handed_off) {
    // The flow lives elsewhere: its owner reassembles the same originals again.
    for (void* h : r.handles) {
      if (rte_ring_sp_enqueue(ctx_.handoff[index_][owner], h) == 0) {
        counters_.handoff_sent++;
      } else {
        counters_.handoff_ring_full++;
        counters_.exception_overload_drop++;
        rte_pktmbuf_free(static_cast<rte_mbuf*>(h));
      }
    }
    return;
  }
  counters_.datagrams_reassembled++;
  Action a = handle_owned(dgram, key, hash, src_is_lo, ctx_.pairs[pkt.pair], now_tsc);
  release_fragments(r, pkt, a == Action::Forward);
}

void Worker::on_flow_removed(void* self, const Flow& flow, FlowEnd) {
  auto* w = static_cast<Worker*>(self);
  if (flow.key.proto == 6) {
    uint32_t slot = w->flows_.slot_of(flow);
    w->stream_.release(slot);
    w->inspector_.release(slot);
  }
}

void Worker::send_reset(const ResetFrame& r, const Packet& pkt, const PortPair& pair) {
  rte_mbuf* m = ctx_.pool != nullptr ? rte_pktmbuf_alloc(ctx_.pool) : nullptr;
  if (m == nullptr) {
    counters_.resets_failed++;
    return;
  }
  char* dst = rte_pktmbuf_append(m, static_cast<uint16_t>(r.len));
  if (dst == nullptr) {
    rte_pktmbuf_free(m);
    counters_.resets_failed++;
    return;
  }
  std::memcpy(dst, r.frame, r.len);
  int side = static_cast<int>(pkt.side);
  uint16_t port = pair.port[r.toward_sender ? side : 1 - side];
  m->port = port;
  counters_.resets_sent++;
  enqueue_tx(port, m);
}

bool Worker::send_block_page(const ResetFrame& r, const Packet& pkt, const PortPair& pair) {
  rte_mbuf* m = ctx_.pool != nullptr ? rte_pktmbuf_alloc(ctx_.pool) : nullptr;
  if (m == nullptr) return false;
  char* dst = rte_pktmbuf_append(m, static_cast<uint16_t>(kMaxBlockPageFrame));
  const uint32_t len = dst == nullptr ? 0
      : build_block_page_frame(r, pkt, l7_.block_page().request_id, reinterpret_cast<uint8_t*>(dst), kMaxBlockPageFrame);
  if (len == 0) {
    rte_pktmbuf_free(m);
    return false;
  }
  rte_pktmbuf_trim(m, static_cast<uint16_t>(kMaxBlockPageFrame - len));
  const int side = static_cast<int>(pkt.side);
  const uint16_t port = pair.port[r.toward_sender ? side : 1 - side];
  m->port = port;
  counters_.resets_sent++;  // the page ends the client's side as its RST would have
  enqueue_tx(port, m);
  return true;
}

void Worker::emit_segment_finding(const Flow& flow, const Packet& pkt, SegmentReason reason) {
  counters_.segment_findings++;
  if (policy_->cfg.stream.segment_findings != config::SegmentFindings::Alert ||
      index_ >= ctx_.event_rings.size())
    return;
  Event ev;
  ev.kind = EventKind::Alert;
  ev.severity = Severity::Medium;
  ev.rule_id = 9000 + static_cast<uint32_t>(reason);
  ev.proto = flow.key.proto;
  bool lo_is_client = flow.initiator_is_lo;
  ev.client_addr = lo_is_client ? flow.key.lo_addr : flow.key.hi_addr;
  ev.client_port = lo_is_client ? flow.key.lo_port : flow.key.hi_port;
  ev.server_addr = lo_is_client ? flow.key.hi_addr : flow.key.lo_addr;
  ev.server_port = lo_is_client ? flow.key.hi_port : flow.key.lo_port;
  ev.set_class("evasion");
  ev.set_zone("tcp");
  char text[128];
  std::snprintf(text, sizeof text, "tcp segment %s: seq %u len %u", segment_reason_name(reason), pkt.tcp_seq,
                pkt.payload_len);
  ev.set_text(text);
  ctx_.event_rings[index_]->try_emit(ev);
}

Worker::Action Worker::inspect_tcp(Flow& flow, const Packet& pkt, bool from_initiator, const PortPair& pair) {
  const bool monitor_mode = ctx_.monitor_mode.load(std::memory_order_relaxed);
  inspector_.begin(flow, flows_.slot_of(flow), index_ < ctx_.event_rings.size() ? ctx_.event_rings[index_] : nullptr,
                   monitor_mode);
  StreamOutcome& out = stream_outcome_;
  stream_.on_segment(flows_.slot_of(flow), pkt, from_initiator, inspector_, out);
  if (segment_reason_is_finding(out.verdict.reason)) emit_segment_finding(flow, pkt, out.verdict.reason);
  const bool monitor = ctx_.monitor_mode.load(std::memory_order_relaxed);
  switch (out.verdict.action) {
    case SegmentAction::Forward:
      return Action::Forward;
    case SegmentAction::Bypass:
      counters_.stream_bypassed++;
      return Action::Forward;
    case SegmentAction::Drop:
      // Monitor mode decides and alerts, never drops.
      if (monitor) return Action::Forward;
      for (uint8_t i = 0; i < out.n_resets; ++i) send_reset(out.resets[i], pkt, pair);
      return Action::Drop;
    case SegmentAction::Block:
      counters_.flows_blocked++;
      for (uint8_t i = 0; i < out.n_resets; ++i) {
        // block_response: page — the client gets the 403 instead of its RST.
        if (out.resets[i].toward_sender == from_initiator && l7_.block_page().wanted &&
            send_block_page(out.resets[i], pkt, pair))
          continue;
        send_reset(out.resets[i], pkt, pair);
      }
      return Action::Drop;
  }
  return Action::Forward;
}

void Worker::flush_tx(uint64_t now_tsc) {
  for (uint16_t i = 0; i < n_tx_ports_used_; ++i) {
    uint16_t port = tx_ports_used_[i];
    TxQueue& q = tx_[port];
    // Time-in-box samples are read before TX: the PMD may free the mbuf.
    // One pass: bytes out, and the time-in-box of sampled frames.
    const uint64_t flag = ctx_.rx_tsc_flag;
    for (uint16_t k = 0; k < q.n; ++k) {
      rte_mbuf* m = q.pkts[k];
      counters_.tx_bytes += rte_pktmbuf_pkt_len(m);
      if ((m->ol_flags & flag) == 0) continue;
      m->ol_flags &= ~flag;
      uint64_t rx = rx_tsc_of(m, ctx_.rx_tsc_dynfield);
      if (now_tsc > rx) latency_.add(((now_tsc - rx) << 10) / tsc_per_ns_x1024_);
    }
    uint16_t sent = 0;
    if (sink_) {
      for (uint16_t k = 0; k < q.n; ++k) sink_(port, q.pkts[k]);
      sent = q.n;
    } else {
      // A full TX ring gets two more tries, then the frames are counted and freed:
      // a worker never waits on a port.
      for (int attempt = 0; attempt < 3 && sent < q.n; ++attempt)
        sent += rte_eth_tx_burst(port, static_cast<uint16_t>(index_), q.pkts + sent,
                                 static_cast<uint16_t>(q.n - sent));
      for (uint16_t k = sent; k < q.n; ++k) {
        counters_.tx_bytes -= rte_pktmbuf_pkt_len(q.pkts[k]);
        rte_pktmbuf_free(q.pkts[k]);
      }
      counters_.tx_dropped += q.n - sent;
    }
    counters_.tx_packets += sent;
    q.n = 0;
  }
  n_tx_ports_used_ = 0;
}

void Worker::forward_uninspected(const PortPair& pair, int side, rte_mbuf** pkts, uint16_t n) {
  counters_.rx_packets += n;
  (pair.configured_mode == PairMode::Bypass ? counters_.bypassed_packets : counters_.fail_open_bypassed) += n;
  uint16_t out = pair.port[1 - side];
  if (sink_) {
    for (uint16_t i = 0; i < n; ++i) enqueue_tx(out, pkts[i]);
    return;
  }
  uint16_t sent = 0;
  for (int attempt = 0; attempt < 3 && sent < n; ++attempt)
    sent += rte_eth_tx_burst(out, static_cast<uint16_t>(index_), pkts + sent, static_cast<uint16_t>(n - sent));
  counters_.tx_packets += sent;
  counters_.tx_dropped += n - sent;
  for (uint16_t i = sent; i < n; ++i) rte_pktmbuf_free(pkts[i]);
}

Worker::Action Worker::handle_owned(const Packet& pkt, const FlowKey& key, uint32_t hash,
                                    bool src_is_lo, const PortPair& pair, uint64_t now_tsc, bool looked_up,
                                    Flow* found) {
  if (blocklist_ != nullptr && !blocklist_->empty() &&
      (blocklist_->contains(pkt.src) || blocklist_->contains(pkt.dst))) {
    // An operator's block is enforced in monitor mode too: monitor mode
    // softens Weir's own verdicts, not explicit operator decisions.
    counters_.blocked_packets++;
    return Action::Drop;
  }
  bool created = looked_up && found == nullptr;
  Flow* flow = !looked_up ? flows_.find_or_create(key, hash, src_is_lo, now_tsc, created)
               : created  ? flows_.create_missing(key, hash, src_is_lo, now_tsc)
                          : found;
  if (created) flow->in_scope = policy_->scope.in_scope(key);
  bool from_initiator = src_is_lo == flow->initiator_is_lo;
  const uint8_t flags = pkt.is_tcp() ? pkt.tcp_flags : 0;
  if (!flow->in_scope) {
    flows_.on_packet(*flow, from_initiator, flags, pkt.payload_len, now_tsc);
    counters_.out_of_scope_packets++;
    return Action::Forward;
  }
  counters_.inspected_packets++;
  if (!pkt.is_tcp() || pkt.is_fragment) {
    flows_.on_packet(*flow, from_initiator, flags, pkt.payload_len, now_tsc);
    return Action::Forward;
  }
  // API discovery: the requests of this flow come in on the initiator's side.
  const int in_side = static_cast<int>(from_initiator ? pkt.side : peer_of(pkt.side));
  l7_.set_clock(now_tsc, pair.port[in_side], pair.port[1 - in_side]);
  Action a = inspect_tcp(*flow, pkt, from_initiator, pair);
  // The flow's TCP state follows only what the endpoints will accept: a
  // dropped segment changes nothing, and an RST counts only when its sequence
  // number was exact — or a forged RST would close (and expire) the flow and
  // blind Weir to what follows on it.
  const SegmentVerdict& v = stream_outcome_.verdict;
  uint8_t accepted = flags;
  if (v.action == SegmentAction::Drop || v.action == SegmentAction::Block) {
    accepted = 0;
  } else if ((flags & tcp_flag::kRst) != 0 && v.reason != SegmentReason::RstAccepted &&
             v.action != SegmentAction::Bypass) {
    accepted = static_cast<uint8_t>(flags & ~tcp_flag::kRst);
  }
  flows_.on_packet(*flow, from_initiator, accepted, pkt.payload_len, now_tsc);
  return a;
}

// The fast path of staging: a plain frame (see frame_flow_key.h) is keyed
// from its bytes; its Packet is decoded later only if the flow stage needs
// it. The checks are those of the full decode for a frame decoded Ok that is
// not a fragment; the callers count as for one.
[[gnu::always_inline]] inline Worker::Keyed Worker::key_plain(rte_mbuf* m, const PortMapEntry& where, uint32_t mtu,
                                                              Staged& out) {
  const uint32_t frame_len = rte_pktmbuf_data_len(m);
  // Straight into `out`: a local FrameFlowFields was kept on the stack and copied.
  if (m->nb_segs != 1 || !frame_flow_key(rte_pktmbuf_mtod(m, const uint8_t*), frame_len, where.pair, out.key,
                                         out.hash, out.src_is_lo, out.fields))
    return Keyed::NotPlain;
  if (frame_len - out.fields.l3_offset > mtu) return Keyed::OverMtu;
  out.decoded = false;
  return Keyed::Ok;
}

// The per-packet staging of the hand-off drain and of bursts of a pair not in
// Inspect mode; process_burst() has its own loop with the per-burst lookups hoisted.
[[gnu::always_inline]] inline Worker::Action Worker::stage(rte_mbuf* m, const PortMapEntry& where,
                                                           bool handed_off, Staged& out) {
  const PortPair& pair = ctx_.pairs[where.pair];
  PairMode mode = pair.mode.load(std::memory_order_relaxed);
  if (mode == PairMode::FailClosed) {
    counters_.fail_closed_dropped++;
    return Action::Drop;
  }
  if (m->nb_segs != 1) return multi_segment_action(pair);

  if (mode != PairMode::Bypass) {
    const Keyed k = key_plain(m, where, policy_->cfg.dataplane.mtu, out);
    if (k != Keyed::NotPlain) [[likely]] {
      if (!handed_off) counters_.decode_status[static_cast<size_t>(DecodeStatus::Ok)]++;
      if (k == Keyed::OverMtu) {
        counters_.oversize_dropped++;
        return Action::Drop;
      }
      if (!handed_off) counters_.decoded_ip++;
      return stage_keyed(m, where, pair, handed_off, out);
    }
  }
  return stage_decoded(m, where, pair, mode, handed_off, out);
}

Worker::Action Worker::multi_segment_action(const PortPair& pair) {
  // Frames are decoded in place; a chained mbuf means the pool's data room
  // is smaller than the MTU allows: an internal error, handled by policy.
  counters_.multi_segment++;
  bool drop = policy_->cfg.exceptions.internal_error == config::ExceptionAction::Drop ||
              pair.fail == config::FailMode::Closed;
  (drop ? counters_.exception_internal_drop : counters_.exception_internal_pass)++;
  return drop ? Action::Drop : Action::Forward;
}

Worker::Action Worker::hand_off(rte_mbuf* m, unsigned owner, const PortPair& pair) {
  if (rte_ring_sp_enqueue(ctx_.handoff[index_][owner], m) == 0) {
    counters_.handoff_sent++;
    return Action::HandedOff;  // the owner frees or forwards it now
  }
  counters_.handoff_ring_full++;
  bool drop = policy_->cfg.exceptions.overload == config::ExceptionAction::Drop ||
              pair.fail == config::FailMode::Closed;
  (drop ? counters_.exception_overload_drop : counters_.exception_overload_pass)++;
  return drop ? Action::Drop : Action::Forward;
}

// Out of line: the burst loop keeps only the fast path's registers live.
[[gnu::noinline]] Worker::Action Worker::stage_decoded(rte_mbuf* m, const PortMapEntry& where,
                                                       const PortPair& pair, PairMode mode, bool handed_off,
                                                       Staged& out) {
  const uint8_t* data = rte_pktmbuf_mtod(m, const uint8_t*);
  const uint32_t frame_len = rte_pktmbuf_data_len(m);
  Packet& pkt = out.pkt;
  DecodeStatus st = decode_packet_inline(data, frame_len, pkt);
  pkt.pair = where.pair;
  pkt.side = where.side;
  if (!handed_off) counters_.decode_status[static_cast<size_t>(st)]++;

  const uint32_t l2_len = l2_overhead(pkt);
  if (frame_len > l2_len && frame_len - l2_len > policy_->cfg.dataplane.mtu) {
    counters_.oversize_dropped++;
    return Action::Drop;
  }
  if (pkt.is_fragment && mode != PairMode::Bypass) {
    if (!handed_off) (st == DecodeStatus::Ok ? counters_.decoded_ip : counters_.fragments_malformed)++;
    // Fragments (including a first fragment too short for its L4 header,
    // which decode reports as malformed) go to the defragmenter of the worker
    // that owns their datagram.
    if (handed_off) return Action::Fragment;
    unsigned owner = fragment_hash(pkt) % ctx_.n_workers;
    if (owner == index_) return Action::Fragment;
    if (rte_ring_sp_enqueue(ctx_.handoff[index_][owner], m) == 0) {
      counters_.handoff_sent++;
      return Action::HandedOff;
    }
    counters_.handoff_ring_full++;
    counters_.exception_overload_drop++;
    return Action::Drop;  // a fragment cannot pass uninspected: its datagram would reach the server unread
  }
  if (st == DecodeStatus::NotIp) {
    bool drop = policy_->cfg.dataplane.non_ip == config::PacketAction::Drop;
    (drop ? counters_.non_ip_dropped : counters_.non_ip_forwarded)++;
    return drop ? Action::Drop : Action::Forward;
  }
  if (is_malformed(st)) {
    bool drop = policy_->cfg.dataplane.malformed == config::PacketAction::Drop;
    (drop ? counters_.malformed_dropped : counters_.malformed_forwarded)++;
    return drop ? Action::Drop : Action::Forward;
  }
  if (!handed_off) counters_.decoded_ip++;
  if (mode == PairMode::Bypass) {
    counters_.fail_open_bypassed++;
    return Action::Forward;
  }

  out.hash = make_flow_key_hashed(pkt, out.key, out.src_is_lo);
  out.decoded = true;
  out.fields.tcp_flags = pkt.is_tcp() ? pkt.tcp_flags : 0;
  out.fields.payload_len = pkt.payload_len;
  return stage_keyed(m, where, pair, handed_off, out);
}

[[gnu::always_inline]] inline Worker::Action Worker::stage_keyed(rte_mbuf* m, const PortMapEntry& where,
                                                                 const PortPair& pair, bool handed_off,
                                                                 Staged& out) {
  if (ctx_.n_workers > 1 && out.hash % ctx_.n_workers != index_) {
    if (!handed_off) return hand_off(m, out.hash % ctx_.n_workers, pair);
    counters_.flow_owner_violations++;  // cannot happen: the sender computed the same owner
  }
  out.m = m;
  out.where = &where;
  flows_.prefetch(out.hash);
  return Action::Owned;
}

void Worker::dispatch(rte_mbuf* m, const PortMapEntry& where, Action a) {
  if (a == Action::Forward)
    enqueue_tx(where.peer_port, m);
  else if (a == Action::Drop)
    rte_pktmbuf_free(m);
}

void Worker::decode_staged(Staged& s) {
  decode_packet_inline(rte_pktmbuf_mtod(s.m, const uint8_t*), rte_pktmbuf_data_len(s.m), s.pkt);
  s.pkt.pair = s.where->pair;
  s.pkt.side = s.where->side;
  s.decoded = true;
}

void Worker::run_staged(Staged* staged, uint16_t n, uint64_t now_tsc) {
  // The flow buckets were prefetched while the rest of the burst was decoded.
  // Each packet looks its flow up right before it is handled: with no
  // recency list to prefetch for, a lookup pass of its own was slower at 10k
  // flows (22.07 -> 22.56 Mpps per CPU-second merged) though faster at 1M
  // (10.88 -> 10.53), where more flows' loads overlap in the shorter loop.
  // It also needs no second lookup after a creation evicts a flow.
  const bool blocklist = blocklist_ != nullptr && !blocklist_->empty();
  uint64_t out_of_scope = 0;
  // The fast path's forwards go straight into the peer port's TX queue with
  // its fill level in a register: room and flush_tx() registration are
  // settled once per run of packets from one port, not per packet. Before
  // anything else may queue or flush (the slow path), the level is written back.
  TxQueue* fq = nullptr;
  const PortMapEntry* fq_where = nullptr;
  uint16_t fq_n = 0;
  const auto fq_close = [&] {
    if (fq == nullptr) return;
    fq->n = fq_n;
    fq = nullptr;
    fq_where = nullptr;
  };
  for (uint16_t i = 0; i < n; ++i) {
    Staged& s = staged[i];
    Flow* found = flows_.find(s.key, s.hash);
    if (found != nullptr && !found->in_scope && !blocklist) {
      // handle_owned() for a known out-of-scope flow, inline: flow bookkeeping only.
      flows_.on_packet(*found, found->from_initiator(s.src_is_lo), s.fields.tcp_flags, s.fields.payload_len,
                       now_tsc);
      ++out_of_scope;
      if (s.where != fq_where) [[unlikely]] {
        fq_close();
        const uint16_t out = s.where->peer_port;
        TxQueue* q = &tx_[out];
        if (q->n + (n - i) > kMaxBurst * 2) flush_tx(rte_rdtsc());
        if (q->n == 0) tx_ports_used_[n_tx_ports_used_++] = out;
        fq = q;
        fq_where = s.where;
        fq_n = q->n;
      }
      fq->pkts[fq_n++] = s.m;
      continue;
    }
    fq_close();
    if (!s.decoded) decode_staged(s);
    const Action a =
        handle_owned(s.pkt, s.key, s.hash, s.src_is_lo, ctx_.pairs[s.where->pair], now_tsc, true, found);
    if (a == Action::Forward)
      enqueue_tx(s.where->peer_port, s.m);
    else if (a == Action::Drop)
      rte_pktmbuf_free(s.m);
  }
  fq_close();
  counters_.out_of_scope_packets += out_of_scope;
}

void Worker::process_burst(rte_mbuf** pkts, uint16_t n, uint64_t now_tsc) {
  const uint16_t n_staged = stage_rx_burst(pkts, n, now_tsc, staged_);
  run_staged(staged_, n_staged, now_tsc);
}

uint16_t Worker::stage_rx_burst(rte_mbuf** pkts, uint16_t n, uint64_t now_tsc, Staged* staged) {
  constexpr uint16_t kPrefetchAhead = 3;
  if (n == 0) return 0;
  for (uint16_t i = 0; i < n && i < kPrefetchAhead; ++i) rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void*));
  if (ctx_.rx_tsc_dynfield >= 0) {
    // One packet in N carries its RX time; the flag lives in ol_flags (first
    // cache line), so unsampled packets never touch the mbuf's second line.
    // The countdown is per packet; the burst jumps from sample to sample.
    uint32_t left = n;
    while (sample_countdown_ <= left) {
      left -= sample_countdown_;
      rte_mbuf* m = pkts[n - left - 1];
      rx_tsc_of(m, ctx_.rx_tsc_dynfield) = now_tsc;
      m->ol_flags |= ctx_.rx_tsc_flag;
      sample_countdown_ = policy_->cfg.telemetry.latency_sample_every;
    }
    sample_countdown_ -= left;
  }
  // An RX burst comes from one port: its pair, side, peer port, mode and the
  // MTU are looked up once, not per packet.
  const PortMapEntry& where = ctx_.port_map[pkts[0]->port];
  const PortPair& pair = ctx_.pairs[where.pair];
  if (pair.mode.load(std::memory_order_relaxed) != PairMode::Inspect) {
    stage_burst(pkts, n, now_tsc, staged);
    return 0;
  }
  const uint32_t mtu = policy_->cfg.dataplane.mtu;
  const unsigned n_workers = ctx_.n_workers;
  uint16_t n_staged = 0;
  uint32_t n_plain = 0;     // keyed by the fast path: decoded Ok
  uint32_t n_oversize = 0;  // of those, over the MTU (not counted as decoded IP)
  uint64_t rx_bytes = 0;
  for (uint16_t i = 0; i < n; ++i) {
    rte_prefetch0(rte_pktmbuf_mtod(pkts[i + kPrefetchAhead < n ? i + kPrefetchAhead : n - 1], void*));
    rte_mbuf* m = pkts[i];
    rx_bytes += rte_pktmbuf_pkt_len(m);
    Staged& s = staged[n_staged];
    Action a;
    const Keyed k = key_plain(m, where, mtu, s);
    if (k != Keyed::NotPlain) [[likely]] {
      ++n_plain;
      if (k == Keyed::OverMtu) {
        ++n_oversize;
        rte_pktmbuf_free(m);
        continue;
      }
      if (n_workers > 1 && s.hash % n_workers != index_) {
        a = hand_off(m, s.hash % n_workers, pair);
      } else {
        s.m = m;
        s.where = &where;
        flows_.prefetch(s.hash);
        ++n_staged;
        continue;
      }
    } else if (m->nb_segs != 1) {
      a = multi_segment_action(pair);
    } else {
      a = stage_decoded(m, where, pair, PairMode::Inspect, false, s);
      if (a == Action::Owned) {
        ++n_staged;
        continue;
      }
      if (a == Action::Fragment) {
        handle_fragment(m, s.pkt, false, now_tsc);
        continue;
      }
    }
    dispatch(m, where, a);
  }
  // Counted once per burst.
  counters_.decode_status[static_cast<size_t>(DecodeStatus::Ok)] += n_plain;
  counters_.decoded_ip += n_plain - n_oversize;
  counters_.oversize_dropped += n_oversize;
  counters_.rx_packets += n;
  counters_.rx_bytes += rx_bytes;
  return n_staged;
}

void Worker::stage_burst(rte_mbuf** pkts, uint16_t n, uint64_t now_tsc, Staged* staged) {
  uint16_t n_staged = 0;
  uint64_t rx_bytes = 0;
  for (uint16_t i = 0; i < n; ++i) {
    rte_mbuf* m = pkts[i];
    rx_bytes += rte_pktmbuf_pkt_len(m);
    const PortMapEntry& where = ctx_.port_map[m->port];
    Action a = stage(m, where, false, staged[n_staged]);
    if (a == Action::Owned)
      ++n_staged;
    else if (a == Action::Fragment)
      handle_fragment(m, staged[n_staged].pkt, false, now_tsc);
    else
      dispatch(m, where, a);
  }
  counters_.rx_packets += n;
  counters_.rx_bytes += rx_bytes;
  run_staged(staged, n_staged, now_tsc);
}

void Worker::drain_handoff(uint64_t now_tsc) {
  rte_mbuf* pkts[kMaxBurst];
  for (unsigned from = 0; from < ctx_.n_workers; ++from) {
    if (from == index_) continue;
    unsigned got = rte_ring_sc_dequeue_burst(ctx_.handoff[from][index_], reinterpret_cast<void**>(pkts),
                                             kMaxBurst, nullptr);
    counters_.handoff_received += got;
    Staged* staged = staged_;
    uint16_t n_staged = 0;
    for (unsigned i = 0; i < got; ++i) {
      rte_mbuf* m = pkts[i];
      const PortMapEntry& where = ctx_.port_map[m->port];
      Action a = stage(m, where, true, staged[n_staged]);  // never HandedOff again
      if (a == Action::Owned)
        ++n_staged;
      else if (a == Action::Fragment)
        handle_fragment(m, staged[n_staged].pkt, true, now_tsc);
      else
        dispatch(m, where, a);
    }
    run_staged(staged, n_staged, now_tsc);
  }
}

void Worker::run_test_hooks() {
  if (uint32_t ms = test_stall_ms.exchange(0, std::memory_order_relaxed); ms != 0) {
    uint64_t until = rte_rdtsc() + ms * (ctx_.tsc_hz / 1000);
    while (rte_rdtsc() < until) rte_pause();  // a stuck worker: no heartbeat, no polling
  }
  uint32_t pending = test_alerts.load(std::memory_order_relaxed);
  if (pending == 0 || index_ >= ctx_.event_rings.size()) return;
  EventRing& ring = *ctx_.event_rings[index_];
  uint32_t sent = 0;
  for (; sent < pending && sent < 64; ++sent) {
    Event ev;
    ev.kind = EventKind::Alert;
    ev.severity = Severity::Low;
    ev.rule_id = 1;
    ev.set_class("test");
    ev.set_text("test alert raised in worker " + std::to_string(index_));
    if (!ring.try_emit(ev)) break;  // full: retried next loop, counted by the ring
  }
  test_alerts.fetch_sub(sent, std::memory_order_relaxed);
}

int Worker::run() {
  const auto& dp = ctx_.cfg->dataplane;
  const uint16_t burst = static_cast<uint16_t>(dp.burst < kMaxBurst ? dp.burst : kMaxBurst);
  const uint64_t expiry_period = ctx_.tsc_hz / 100;  // 10 ms
  rte_mbuf* pkts[kMaxBurst];
  unsigned idle_polls = 0;
  std::string bind_err;
  if (!bind_to_this_thread(bind_err)) {
    // Scanning without state memory would allocate on the packet path.
    RTE_LOG(ERR, USER1, "worker %u: %s; stream signatures are off on this worker\n", index_, bind_err.c_str());
  }
  rte_rcu_qsbr_thread_register(ctx_.qsbr, index_);
  rte_rcu_qsbr_thread_online(ctx_.qsbr, index_);

  while (!ctx_.quit.load(std::memory_order_relaxed)) {
    // Single writer: a plain load and store, not a locked add (a full
    // barrier that waits for the previous loop's stores to drain).
    heartbeat.store(heartbeat.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    counters_.loops++;
    if (ctx_.test_hooks) run_test_hooks();
    refresh_snapshots();
    uint64_t now = rte_rdtsc();
    uint32_t got = 0;
    for (const PortPair& pair : ctx_.pairs) {
      const bool bypass = pair.mode.load(std::memory_order_relaxed) == PairMode::Bypass;
      for (int s = 0; s < 2; ++s) {
        uint16_t n = rte_eth_rx_burst(pair.port[s], static_cast<uint16_t>(index_), pkts, burst);
        if (n == 0) continue;
        got += n;
        if (bypass)
          forward_uninspected(pair, s, pkts, n);
        else
          process_burst(pkts, n, now);
      }
    }
    drain_handoff(now);
    flush_tx(rte_rdtsc());
    if (now >= next_expiry_tsc_) {
      expire_flows(now);
      next_expiry_tsc_ = now + expiry_period;
      flow_dump.serve(flows_, index_, now, ctx_.tsc_hz);
    }
    // Quiescent: this worker holds no snapshot pointer past this line.
    blocklist_ = nullptr;
    policy_ = nullptr;
    rte_rcu_qsbr_quiescent(ctx_.qsbr, index_);

    if (got != 0) {
      idle_polls = 0;
    } else if (dp.idle_backoff_us != 0 && ++idle_polls >= dp.idle_polls_before_sleep) {
      // Idle backoff so a small box is not starved by busy polling. Offline
      // while asleep so RCU reclamation does not wait for us.
      counters_.idle_sleeps++;
      rte_rcu_qsbr_thread_offline(ctx_.qsbr, index_);
      sleeping.store(true, std::memory_order_relaxed);
      rte_delay_us_sleep(dp.idle_backoff_us);
      sleeping.store(false, std::memory_order_relaxed);
      rte_rcu_qsbr_thread_online(ctx_.qsbr, index_);
    }
  }
  rte_rcu_qsbr_thread_offline(ctx_.qsbr, index_);
  rte_rcu_qsbr_thread_unregister(ctx_.qsbr, index_);
  return 0;
}

}  // namespace weir::dp
