// TcpReassembler: every segment is handled in two passes over the blocks it
// overlaps. The first compares overlapping bytes and counts the blocks the
// new bytes need, and may drop the segment without having changed anything;
// the second stores the new bytes. Then whatever became contiguous at
// next_seq is delivered to the sink.

#include "dataplane/stream/tcp_reassembler.h"

#include <algorithm>
#include <cstring>
#include <span>

#include "dataplane/stream/tcp_seq.h"

namespace weir::dp {
namespace {

// Larger than any TCP window (65535 << 14); sequence numbers further away
// than this from next_seq are ambiguous in serial arithmetic and outside any
// window the receiver can have, so it discards them.
constexpr uint32_t kMaxDistance = 1u << 30;

inline uint32_t blocks_for(uint32_t bytes) {
  return (bytes + StreamBlock::kDataBytes - 1) / StreamBlock::kDataBytes;
}

inline SegmentVerdict drop(SegmentReason r) { return {SegmentAction::Drop, r, 0}; }

}  // namespace

void TcpReassembler::start(uint32_t next_seq, bool acked_known) {
  next_seq_ = floor_ = acked_ = next_seq;
  acked_known_ = acked_known;
  started_ = true;
}

void TcpReassembler::release(StreamMemory& mem) {
  drop_storage(mem);
  *this = TcpReassembler{};
}

void TcpReassembler::drop_storage(StreamMemory& mem) {
  for (uint32_t b = head_; b != 0;) {
    const uint32_t n = mem.block(b).next;
    mem.release(b);
    b = n;
  }
  head_ = last_delivered_ = blocks_ = 0;
  floor_ = next_seq_;
}

void TcpReassembler::on_receiver_ack(uint32_t ack, StreamMemory& mem) {
  if (!started_) return;
  if (seq_gt(ack, next_seq_)) ack = next_seq_;
  if (!acked_known_ || seq_gt(ack, acked_)) acked_ = ack;
  acked_known_ = true;
  // Only history blocks can end at or below acked_ (out-of-order runs start
  // past next_seq), so this frees inspected bytes the receiver holds.
  while (head_ != 0 && seq_le(mem.block(head_).end(), acked_)) {
    const StreamBlock& b = mem.block(head_);
    const uint32_t n = b.next;
    floor_ = b.end();
    if (head_ == last_delivered_) last_delivered_ = 0;
    mem.release(head_);
    --blocks_;
    head_ = n;
  }
}

void TcpReassembler::on_receiver_window(uint32_t right_edge) {
  if (!window_known_ || seq_gt(right_edge, right_edge_)) right_edge_ = right_edge;
  window_known_ = true;
}

uint32_t TcpReassembler::find_first(const StreamMemory& mem, uint32_t seq,
                                    uint32_t& before) const {
  before = 0;
  uint32_t b = head_;
  // In-order traffic lands at the history tail: start there, not at the head.
  if (last_delivered_ != 0 && seq_ge(seq, mem.block(last_delivered_).seq)) b = last_delivered_;
  while (b != 0 && seq_le(mem.block(b).end(), seq)) {
    before = b;
    b = mem.block(b).next;
  }
  return b;
}

uint32_t TcpReassembler::gap_blocks(const StreamMemory& mem, uint32_t prev, uint32_t from,
                                    uint32_t to) const {
  const uint32_t n = to - from;
  const uint32_t room =
      prev != 0 && mem.block(prev).end() == from ? mem.block(prev).room() : 0;
  return n > room ? blocks_for(n - room) : 0;
}

void TcpReassembler::fill_gap(StreamMemory& mem, uint32_t& prev, uint32_t from, uint32_t to,
                              const uint8_t* src) {
  if (prev != 0) {
    StreamBlock& p = mem.block(prev);
    if (p.end() == from && p.room() > 0) {
      const uint32_t n = std::min(p.room(), to - from);
      std::memcpy(p.data + p.len, src, n);
      p.len = static_cast<uint16_t>(p.len + n);
      from += n;
      src += n;
    }
  }
  while (from != to) {
    const uint32_t idx = mem.allocate();
    if (idx == 0) return;  // counted beforehand; cannot happen
    StreamBlock& b = mem.block(idx);
    const uint32_t n = std::min(StreamBlock::kDataBytes, to - from);
    b.seq = from;
    b.len = static_cast<uint16_t>(n);
    std::memcpy(b.data, src, n);
    if (prev == 0) {
      b.next = head_;
      head_ = idx;
    } else {
      b.next = mem.block(prev).next;
      mem.block(prev).next = idx;
    }
    ++blocks_;
    prev = idx;
    from += n;
    src += n;
  }
}

void TcpReassembler::store(StreamMemory& mem, uint32_t seq, uint32_t end, const uint8_t* data) {
  uint32_t prev;
  uint32_t b = find_first(mem, seq, prev);
  uint32_t cur = seq;
  while (cur != end) {
    if (b != 0 && seq_le(mem.block(b).seq, cur)) {
      cur = seq_min(end, seq_max(cur, mem.block(b).end()));
      prev = b;
      b = mem.block(b).next;
      continue;
    }
    const uint32_t to = b != 0 && seq_lt(mem.block(b).seq, end) ? mem.block(b).seq : end;
    fill_gap(mem, prev, cur, to, data + (cur - seq));
    cur = to;
  }
}

SinkVerdict TcpReassembler::deliver(parse::Direction dir, StreamSink& sink, StreamMemory& mem,
                                    uint32_t& delivered) {
  uint32_t c = head_;
  if (last_delivered_ != 0) {
    const StreamBlock& l = mem.block(last_delivered_);
    c = l.end() == next_seq_ ? l.next : last_delivered_;
  }
  while (c != 0) {
    const StreamBlock& k = mem.block(c);
    if (seq_gt(k.seq, next_seq_) || seq_le(k.end(), next_seq_)) break;
    const uint32_t off = next_seq_ - k.seq;
    const uint32_t n = k.len - off;
    next_seq_ += n;
    delivered += n;
    last_delivered_ = c;
    const uint64_t at = stream_offset_;
    stream_offset_ += n;
    const parse::StreamChunk chunk{dir, std::span<const uint8_t>(k.data + off, n), false};
    if (sink.on_chunk(chunk, at) == SinkVerdict::Block) return SinkVerdict::Block;
    c = k.next;
  }
  return SinkVerdict::Continue;
}

SegmentVerdict TcpReassembler::on_data(uint32_t seq, const uint8_t* data, uint32_t len, bool fin,
                                       parse::Direction dir, StreamSink& sink,
                                       StreamMemory& mem, const Limits& limits) {
  const uint32_t end = seq + len;
  if (seq - next_seq_ > kMaxDistance && next_seq_ - seq > kMaxDistance) {
    return drop(SegmentReason::OutOfWindow);
  }
  if (len > 0 && seq_gt(end, next_seq_ + kMaxDistance)) return drop(SegmentReason::OutOfWindow);
  if (fin_known_) {
    // The FIN fixed where the stream ends: nothing may lie past it, and a
    // FIN elsewhere contradicts it.
    if (len > 0 && seq_gt(end, fin_seq_)) return drop(SegmentReason::AfterFin);
    if (fin && end != fin_seq_) return drop(SegmentReason::AfterFin);
  }
  if (fin && (fin_done_ || seq_lt(end, next_seq_))) fin = false;  // already consumed or stale
  if (len > 0 && window_known_ && seq_gt(end, right_edge_)) {
    // A zero-window probe carries the next byte; inspecting it would be
    // right too, but the receiver discards it, so Weir does as well.
    const bool probe = len == 1 && seq == next_seq_ && right_edge_ == next_seq_;
    return drop(probe ? SegmentReason::ZeroWindowProbe : SegmentReason::OutOfWindow);
  }

  uint32_t s = seq;
  const uint8_t* p = data;
  bool old_part = false;
  if (len > 0 && seq_lt(s, floor_)) {
    // Below the stored history: harmless only if the receiver acknowledged
    // it (its RCV.NXT is past, it discards the bytes); otherwise we cannot
    // tell what it would read.
    const uint32_t old_end = seq_min(end, floor_);
    if (!acked_known_ || seq_gt(old_end, acked_)) {
      return drop(SegmentReason::UnverifiableRetransmission);
    }
    p += old_end - s;
    s = old_end;
    old_part = true;
  }

  // Pass 1: compare with stored bytes, count blocks for the new ones.
  uint32_t need = 0;
  uint32_t new_bytes = 0;
  uint32_t gaps = 0;
  uint32_t gap_from = 0;
  uint32_t gap_to = 0;
  if (s != end) {
    uint32_t prev;
    uint32_t cur = s;
    for (uint32_t b = find_first(mem, s, prev); b != 0; b = mem.block(b).next) {
      const StreamBlock& k = mem.block(b);
      if (seq_ge(k.seq, end)) break;
      if (seq_lt(cur, k.seq)) {
        need += gap_blocks(mem, prev, cur, k.seq);
        new_bytes += k.seq - cur;
        if (gaps++ == 0) {
          gap_from = cur;
          gap_to = k.seq;
        }
        cur = k.seq;
      }
      const uint32_t ov_end = seq_min(end, k.end());
      if (seq_lt(cur, ov_end)) {
        if (std::memcmp(k.data + (cur - k.seq), p + (cur - s), ov_end - cur) != 0) {
          return drop(SegmentReason::OverlapMismatch);
        }
        cur = ov_end;
      }
      prev = b;
    }
    if (cur != end) {
      need += gap_blocks(mem, prev, cur, end);
      new_bytes += end - cur;
      if (gaps++ == 0) {
        gap_from = cur;
        gap_to = end;
      }
    }
  }
  if (fin && !fin_known_) {
    // A FIN before bytes already forwarded past it contradicts them (the
    // receiver would purge them at the FIN, Weir would have inspected them).
    for (uint32_t b = last_delivered_ != 0 ? last_delivered_ : head_; b != 0; b = mem.block(b).next) {
      if (seq_gt(mem.block(b).end(), end)) return drop(SegmentReason::AfterFin);
    }
  }
  bool unstored = false;
  if (need > 0) {
    const SegmentReason cap = blocks_ + need > limits.max_blocks ? SegmentReason::FlowMemoryCap
                              : need > mem.available()          ? SegmentReason::MemoryCap
                                                                : SegmentReason::Count;
    if (cap != SegmentReason::Count) {
      // Dropping is the rule at a cap (the sender retransmits), except for a
      // segment whose only new bytes are the run at next_seq when dropping
      // cannot end: out-of-order data fills the cap (or the worker's pool is
      // spent by other flows) and would wait for this very run forever. That
      // run is inspected straight from the packet and kept as no history: a
      // retransmission of it is unverifiable until the receiver ACKs it.
      const uint32_t after_history =
          last_delivered_ != 0 ? mem.block(last_delivered_).next : head_;
      const bool stuck = cap == SegmentReason::MemoryCap || after_history != 0;
      if (gaps != 1 || gap_from != next_seq_ || !stuck) return drop(cap);
      unstored = true;
    }
  }

  // Pass 2: accepted; store, then deliver what is now in order.
  if (fin) {
    fin_known_ = true;
    fin_seq_ = end;
  }
  SegmentVerdict v{SegmentAction::Forward, SegmentReason::Retransmission, 0};
  if (unstored) {
    // History below next_seq is useless once a run is missing from it.
    while (head_ != 0 && seq_le(mem.block(head_).end(), next_seq_)) {
      const uint32_t n = mem.block(head_).next;
      mem.release(head_);
      --blocks_;
      head_ = n;
    }
    last_delivered_ = 0;
    const uint32_t n = gap_to - next_seq_;
    const parse::StreamChunk chunk{dir, std::span<const uint8_t>(p + (next_seq_ - s), n), false};
    const uint64_t at = stream_offset_;
    stream_offset_ += n;
    next_seq_ = floor_ = gap_to;
    v.delivered = n;
    if (sink.on_chunk(chunk, at) == SinkVerdict::Block) {
      v.action = SegmentAction::Block;
      v.reason = SegmentReason::SinkBlocked;
      return v;
    }
  } else if (new_bytes > 0) {
    store(mem, s, end, p);
  }
  if (deliver(dir, sink, mem, v.delivered) == SinkVerdict::Block) {
    v.action = SegmentAction::Block;
    v.reason = SegmentReason::SinkBlocked;
    return v;
  }
  bool fin_now = false;
  if (fin_known_ && !fin_done_ && next_seq_ == fin_seq_) {
    fin_done_ = true;
    fin_now = true;
    ++next_seq_;  // the FIN takes one sequence number
    const parse::StreamChunk eos{dir, {}, true};
    if (sink.on_chunk(eos, stream_offset_) == SinkVerdict::Block) {
      v.action = SegmentAction::Block;
      v.reason = SegmentReason::SinkBlocked;
      return v;
    }
  }
  if (unstored) {
    v.reason = SegmentReason::InOrderUnstored;
  } else if (v.delivered > 0 || fin_now) {
    v.reason = SegmentReason::InOrder;
  } else if (new_bytes > 0) {
    v.reason = SegmentReason::OutOfOrder;
  } else if (old_part) {
    v.reason = SegmentReason::AckedRetransmission;
  } else if (len == 0 && !fin) {
    v.reason = SegmentReason::Control;
  }
  return v;
}

}  // namespace weir::dp
