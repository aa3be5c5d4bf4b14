#pragma once
// Test helper: one TcpStream between the fixed client and server of
// tcp_segment_builder.h, a sink that records what it saw (and blocks on a
// marker when asked), and shorthands for segments with sequence numbers
// relative to each side's first data byte.

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "dataplane/decode/packet_decoder.h"
#include "dataplane/stream/stream_context.h"
#include "dataplane/stream/tcp_stream.h"
#include "tests/unit/stream/tcp_segment_builder.h"

namespace weir::dp::test {

class RecordingSink : public StreamSink {
 public:
  SinkVerdict on_chunk(const parse::StreamChunk& chunk, uint64_t offset) override {
    const int d = chunk.direction == parse::Direction::Request ? 0 : 1;
    EXPECT_EQ(offset, stream[d].size()) << "chunks must arrive in order, exactly once";
    EXPECT_FALSE(eos[d]) << "no bytes after end of stream";
    stream[d].append(reinterpret_cast<const char*>(chunk.bytes.data()), chunk.bytes.size());
    if (chunk.end_of_stream) eos[d] = true;
    ++chunks[d];
    if (!block_marker.empty() && stream[d].find(block_marker) != std::string::npos) {
      return SinkVerdict::Block;
    }
    return SinkVerdict::Continue;
  }
  std::string stream[2];
  bool eos[2] = {false, false};
  int chunks[2] = {0, 0};
  std::string block_marker;
};

namespace flag = tcp_flag;

class StreamHarness {
 public:
  static StreamConfig small() {
    StreamConfig c;
    c.memory_blocks = 1024;
    return c;
  }
  explicit StreamHarness(StreamConfig cfg = small(), bool v6 = false) : ctx(cfg), v6_(v6) {}

  SegmentVerdict send(SegmentSpec spec, SegmentHints hints = {}) {
    spec.v6 = v6_;
    frames_.push_back(build_segment(spec));
    Packet p;
    EXPECT_EQ(decode_packet(frames_.back().data(), static_cast<uint32_t>(frames_.back().size()), p),
              DecodeStatus::Ok);
    p.side = spec.from_client != spoof_side ? Side::Client : Side::Server;
    return stream.on_segment(ctx, p, spec.from_client, hints, sink);
  }

  /// SYN, SYN-ACK, ACK with the given options and windows.
  void handshake(std::vector<uint8_t> copts = {}, std::vector<uint8_t> sopts = {},
                 uint16_t cwin = 65535, uint16_t swin = 65535) {
    SegmentSpec syn{.seq = cisn, .flags = flag::kSyn, .window = cwin, .options = copts};
    EXPECT_EQ(send(syn).reason, SegmentReason::Handshake);
    SegmentSpec synack{.from_client = false, .seq = sisn, .ack = cisn + 1,
                       .flags = flag::kSyn | flag::kAck, .window = swin, .options = sopts};
    EXPECT_EQ(send(synack).reason, SegmentReason::Handshake);
    SegmentSpec ack{.seq = cisn + 1, .ack = sisn + 1, .window = cwin};
    EXPECT_EQ(send(ack).reason, SegmentReason::Control);
  }

  /// Client data at `rel` (0 = first data byte).
  SegmentVerdict c(uint32_t rel, const std::string& data,
                   uint8_t flags = flag::kAck | flag::kPsh, SegmentHints hints = {}) {
    return send({.seq = cisn + 1 + rel, .ack = sisn + 1, .flags = flags, .payload = data}, hints);
  }
  SegmentVerdict s(uint32_t rel, const std::string& data,
                   uint8_t flags = flag::kAck | flag::kPsh) {
    return send({.from_client = false, .seq = sisn + 1 + rel, .ack = cisn + 1 + client_acked,
                 .flags = flags, .payload = data});
  }
  /// Server ACK of client bytes up to `rel` with window `win`.
  SegmentVerdict server_ack(uint32_t rel, uint16_t win = 65535) {
    client_acked = rel;
    return send({.from_client = false, .seq = sisn + 1 + server_sent, .ack = cisn + 1 + rel,
                 .window = win});
  }

  StreamContext ctx;
  TcpStream stream;
  RecordingSink sink;
  uint32_t cisn = 1000;
  uint32_t sisn = 5000;
  uint32_t client_acked = 0;
  uint32_t server_sent = 0;
  bool spoof_side = false;  // deliver on the other endpoint's port

 private:
  bool v6_;
  std::deque<std::vector<uint8_t>> frames_;
};

}  // namespace weir::dp::test
