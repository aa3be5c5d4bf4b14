// libFuzzer target for the WebSocket parser. Input: [extensions byte] then a
// script of chunks [control][length][bytes]...: control bit 0 picks the
// direction, bit 2 makes the sink block. The extensions byte picks what the
// handshake negotiated (none, permessage-deflate with or without context
// takeover, an unknown extension, bad parameters). Chunks are fresh heap
// buffers freed after feed(): a view that outlives its chunk is an ASan
// error. Small caps so truncation, size and bomb paths are reached.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "fuzz_reader.h"
#include "parsers/parser_workspace.h"
#include "parsers/websocket/websocket_parser.h"

namespace {

using namespace weir::parse;

class TouchingSink : public TransactionSink {
 public:
  SinkVerdict on_decision(const Transaction& txn) override {
    FUZZ_CHECK(txn.protocol == Protocol::WebSocket);
    for (const Field& f : txn.fields) {
      FUZZ_CHECK(f.zone == Zone::WsMessage);
      for (char c : f.name) checksum_ += static_cast<uint8_t>(c);
      for (char c : f.value) checksum_ += static_cast<uint8_t>(c);
    }
    for (const ParserFinding& f : txn.findings) FUZZ_CHECK(!f.name.empty());
    return block_ ? SinkVerdict::Block : SinkVerdict::Pass;
  }
  bool block_ = false;
  uint64_t checksum_ = 0;
};

ParseLimits small_limits() {
  ParseLimits l;
  l.max_body_inspect = 512;
  l.max_fields = 64;
  l.max_json_depth = 6;
  l.max_json_fields = 32;
  l.max_ws_message_bytes = 2048;
  l.max_decoded_bytes = 1 << 20;
  l.decode_ratio_floor = 16 * 1024;
  l.max_decode_ratio = 50;
  return l;
}

WorkspaceSizes small_sizes() {
  WorkspaceSizes s;
  s.arena_bytes = 64 * 1024;
  s.head_slabs = 1;
  s.body_slabs = 2;
  s.inflate_slabs = 2;
  s.brotli_memory_bytes = 4096;
  return s;
}

constexpr const char* kExtensions[] = {
    "",
    "permessage-deflate",
    "permessage-deflate; client_no_context_takeover; server_no_context_takeover",
    "permessage-deflate; server_max_window_bits=9; client_max_window_bits=8",
    "x-webkit-deflate-frame",
    "permessage-deflate; server_max_window_bits=99",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ParserWorkspace workspace(small_limits(), small_sizes());
  FuzzReader in(data, size);
  const char* ext = kExtensions[in.u8() % (sizeof(kExtensions) / sizeof(kExtensions[0]))];
  TouchingSink sink;
  {
    WebSocketParser parser(workspace, WebSocketHandshake{.path = "/ws", .host = "h", .extensions = ext});
    FeedStatus stopped = FeedStatus::Ok;
    while (!in.empty()) {
      const uint8_t control = in.u8();
      const std::string bytes = in.bytes(in.u8());
      auto buf = std::make_unique<uint8_t[]>(bytes.size() + 1);
      std::memcpy(buf.get(), bytes.data(), bytes.size());
      StreamChunk chunk;
      chunk.direction = (control & 1) ? Direction::Response : Direction::Request;
      chunk.bytes = {buf.get(), bytes.size()};
      sink.block_ = (control & 4) != 0;
      const FeedResult r = parser.feed(chunk, sink);
      buf.reset();
      FUZZ_CHECK(r.consumed <= bytes.size());
      if (stopped != FeedStatus::Ok) {
        // After a stop the parser refuses everything and repeats itself.
        FUZZ_CHECK(r.status == stopped && r.consumed == 0);
      } else if (r.status == FeedStatus::Ok) {
        FUZZ_CHECK(r.consumed == bytes.size());
      }
      stopped = r.status;
    }
  }
  // Every buffer went back to the pools.
  FUZZ_CHECK(workspace.body_slabs().available() == workspace.body_slabs().capacity());
  FUZZ_CHECK(workspace.inflate_slabs().available() == workspace.inflate_slabs().capacity());
  return static_cast<int>(sink.checksum_ & 0);
}
