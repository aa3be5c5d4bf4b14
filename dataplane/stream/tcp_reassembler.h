#pragma once
// TcpReassembler: one direction of a TCP connection (sender -> receiver) as
// the receiver will read it. Keeps, in blocks of the worker's StreamMemory,
// every byte that was forwarded and may still matter to the receiver:
//  * history: inspected bytes [floor, next_seq) not yet acknowledged by the
//    receiver (a retransmission of them is compared byte by byte);
//  * out-of-order runs past next_seq, forwarded but not yet inspected
//    (inspected together with the segment that fills the gap).
// Bytes below the receiver's highest ACK are freed: the receiver's RCV.NXT
// is past them, so it discards any retransmission of them whatever it holds.
// next_seq() is the receiver's RCV.NXT as far as Weir forwarded data: the
// exact sequence number an RST toward the receiver needs. Connection-level
// logic (SYN, RST, windows, sides) lives in TcpStream, which owns two of these.

#include <cstdint>

#include "dataplane/stream/segment_verdict.h"
#include "dataplane/stream/stream_memory.h"
#include "dataplane/stream/stream_sink.h"

namespace weir::dp {

class TcpReassembler {
 public:
  /// Starts the direction with `next_seq` as the first byte to deliver.
  /// `acked_known`: the receiver holds nothing before it (after a SYN);
  /// false on a mid-stream pick-up, where older bytes cannot be verified.
  void start(uint32_t next_seq, bool acked_known);
  /// Frees every block and returns to the unstarted state.
  void release(StreamMemory& mem);
  /// Frees every block but keeps the sequence state (a blocked stream still
  /// needs next_seq() for its RSTs; it inspects nothing more).
  void drop_storage(StreamMemory& mem);

  bool started() const { return started_; }
  uint32_t next_seq() const { return next_seq_; }
  bool fin_done() const { return fin_done_; }
  uint32_t blocks() const { return blocks_; }
  uint64_t delivered_bytes() const { return stream_offset_; }

  /// The receiver acknowledged up to `ack`: frees history below it. An ACK
  /// past next_seq is clamped (it cannot acknowledge bytes not forwarded).
  void on_receiver_ack(uint32_t ack, StreamMemory& mem);
  /// The receiver's window reaches `right_edge` (ACK + scaled window); the
  /// edge only moves forward, as RFC 7323 forbids shrinking.
  void on_receiver_window(uint32_t right_edge);

  struct Limits {
    uint32_t max_blocks;  ///< per-direction block cap
  };

  /// Handles the payload [seq, seq + len) and FIN of one segment: window and
  /// FIN checks, comparison with stored bytes, storage, and delivery of
  /// whatever became in-order to `sink`. No state changes on a Drop.
  SegmentVerdict on_data(uint32_t seq, const uint8_t* data, uint32_t len, bool fin,
                         parse::Direction dir, StreamSink& sink, StreamMemory& mem,
                         const Limits& limits);

  /// Lowest stored byte (history start); bytes in [floor, next_seq) are all stored.
  uint32_t floor() const { return floor_; }
  bool acked_known() const { return acked_known_; }
  uint32_t acked() const { return acked_; }

 private:
  // First block ending past `seq`; `before` is the block preceding it (0: none).
  uint32_t find_first(const StreamMemory& mem, uint32_t seq, uint32_t& before) const;
  // Blocks needed to store [from, to) after block `prev` (which it may extend).
  uint32_t gap_blocks(const StreamMemory& mem, uint32_t prev, uint32_t from, uint32_t to) const;
  void fill_gap(StreamMemory& mem, uint32_t& prev, uint32_t from, uint32_t to,
                const uint8_t* src);
  void store(StreamMemory& mem, uint32_t seq, uint32_t end, const uint8_t* data);
  SinkVerdict deliver(parse::Direction dir, StreamSink& sink, StreamMemory& mem,
                      uint32_t& delivered);

  uint32_t next_seq_ = 0;
  uint32_t floor_ = 0;
  uint32_t acked_ = 0;
  uint32_t right_edge_ = 0;
  uint32_t fin_seq_ = 0;
  uint32_t head_ = 0;            // first block (lowest seq)
  uint32_t last_delivered_ = 0;  // block holding byte next_seq - 1, or 0
  uint32_t blocks_ = 0;
  uint64_t stream_offset_ = 0;
  bool started_ = false;
  bool acked_known_ = false;
  bool window_known_ = false;
  bool fin_known_ = false;
  bool fin_done_ = false;
};

}  // namespace weir::dp
