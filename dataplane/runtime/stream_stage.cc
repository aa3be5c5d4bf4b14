#include "dataplane/runtime/stream_stage.h"

#include "dataplane/stream/tcp_checksum.h"

namespace weir::dp {
namespace {

StreamConfig stream_config_from(const config::StreamConfig& c) {
  StreamConfig s;
  s.mid_stream = c.mid_stream == config::MidStream::Ignore ? MidStreamPolicy::Ignore : MidStreamPolicy::Accept;
  uint32_t per_dir = (c.max_kb_per_direction * 1024u + StreamBlock::kSize - 1) / StreamBlock::kSize;
  s.max_blocks_per_direction = per_dir == 0 ? 1 : per_dir;
  s.memory_blocks = static_cast<uint32_t>((uint64_t{c.memory_mb} << 20) / StreamBlock::kSize);
  s.paws = c.paws;
  s.check_side = c.check_side;
  return s;
}

}  // namespace

StreamStage::StreamStage(const config::StreamConfig& cfg, uint32_t flow_capacity)
    : ctx_(stream_config_from(cfg)), streams_(flow_capacity + 1), min_ttl_(cfg.min_ttl) {}

void StreamStage::on_segment(uint32_t slot, const Packet& pkt, bool from_initiator, StreamSink& sink,
                             StreamOutcome& out) {
  TcpStream& stream = streams_.at(slot);
  SegmentHints hints;
  // What the receiver would discard is not data: a bad checksum, or a TTL
  // that cannot reach it (decoys an evader sends to desync inspection).
  hints.bad_checksum = !tcp_checksum_ok(pkt);
  hints.ttl_expires = min_ttl_ != 0 && pkt.ttl < min_ttl_;
  out.verdict = stream.on_segment(ctx_, pkt, from_initiator, hints, sink);
  out.n_resets = 0;
  if (out.verdict.action == SegmentAction::Block) {
    build_resets(slot, pkt, from_initiator, out);
  } else if (out.verdict.reason == SegmentReason::Blocked && !hints.bad_checksum &&
             (pkt.tcp_flags & (tcp_flag::kRst | tcp_flag::kSyn)) == 0 && pkt.payload_len == 0 &&
             (pkt.tcp_flags & tcp_flag::kAck) != 0) {
    // A pure ACK on a blocked flow is the receiver's challenge ACK (RFC 5961)
    // to an RST it found inexact: its ACK number is its RCV.NXT, so an RST
    // with exactly that sequence number is accepted.
    ResetFrame& r = out.resets[0];
    r.len = build_tcp_reset(pkt, ResetTarget::Sender, pkt.tcp_ack, pkt.tcp_seq, r.frame, sizeof r.frame);
    r.toward_sender = true;
    if (r.len != 0) {
      out.n_resets = 1;
      ++resets_built_;
    }
  }
}

void StreamStage::block(uint32_t slot, const Packet& pkt, bool from_initiator, StreamOutcome& out) {
  streams_.at(slot).block(ctx_);
  out.verdict = SegmentVerdict{SegmentAction::Block, SegmentReason::SinkBlocked, 0};
  build_resets(slot, pkt, from_initiator, out);
}

void StreamStage::build_resets(uint32_t slot, const Packet& pkt, bool from_initiator, StreamOutcome& out) {
  const TcpStream& stream = streams_.at(slot);
  out.n_resets = 0;
  for (bool toward_initiator : {true, false}) {
    ResetNumbers n;
    if (!stream.reset_numbers(toward_initiator, n)) continue;
    // The packet's sender is the initiator when from_initiator.
    bool toward_sender = toward_initiator == from_initiator;
    ResetFrame& r = out.resets[out.n_resets];
    r.len = build_tcp_reset(pkt, toward_sender ? ResetTarget::Sender : ResetTarget::Receiver, n.seq, n.ack,
                            r.frame, sizeof r.frame);
    r.toward_sender = toward_sender;
    if (r.len != 0) {
      ++out.n_resets;
      ++resets_built_;
    }
  }
}

}  // namespace weir::dp
