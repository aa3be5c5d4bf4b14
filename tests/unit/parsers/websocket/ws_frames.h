#pragma once
// Test helpers: RFC 6455 frames built byte by byte, a permessage-deflate
// compressor (zlib raw deflate, Z_SYNC_FLUSH, tail stripped as RFC 7692
// 7.2.1 says), and a harness feeding a WebSocketParser in pieces.

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "../recording_sink.h"
#include "parsers/parser_workspace.h"
#include "parsers/websocket/websocket_parser.h"

namespace weir::parse::testing {

struct FrameSpec {
  uint8_t opcode = 0x1;
  bool fin = true;
  bool mask = true;
  uint8_t rsv = 0;           // bits 0x40/0x20/0x10 of the first byte
  int length_form = 0;       // 0: minimal, 16 or 64: force that encoding
  uint32_t key = 0x37fa213d;
};

inline std::string frame(std::string_view payload, const FrameSpec& f = {}) {
  std::string out;
  out.push_back(static_cast<char>((f.fin ? 0x80 : 0) | f.rsv | f.opcode));
  const uint8_t m = f.mask ? 0x80 : 0;
  const uint64_t n = payload.size();
  if (f.length_form == 64 || (f.length_form == 0 && n > 0xffff)) {
    out.push_back(static_cast<char>(m | 127));
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>(n >> (8 * i)));
  } else if (f.length_form == 16 || (f.length_form == 0 && n > 125)) {
    out.push_back(static_cast<char>(m | 126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n));
  } else {
    out.push_back(static_cast<char>(m | n));
  }
  if (f.mask) {
    const uint8_t k[4] = {static_cast<uint8_t>(f.key >> 24), static_cast<uint8_t>(f.key >> 16),
                          static_cast<uint8_t>(f.key >> 8), static_cast<uint8_t>(f.key)};
    out.append(reinterpret_cast<const char*>(k), 4);
    for (size_t i = 0; i < payload.size(); ++i) {
      out.push_back(static_cast<char>(payload[i] ^ k[i & 3]));
    }
  } else {
    out.append(payload);
  }
  return out;
}

inline FrameSpec server(uint8_t opcode = 0x1) {
  FrameSpec f;
  f.opcode = opcode;
  f.mask = false;
  return f;
}

// permessage-deflate compressor; `takeover` false resets between messages.
class MessageDeflater {
 public:
  explicit MessageDeflater(bool takeover = true, int level = 6) : takeover_(takeover) {
    deflateInit2(&z_, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  }
  ~MessageDeflater() { deflateEnd(&z_); }
  std::string compress(std::string_view msg) {
    if (!takeover_) deflateReset(&z_);
    std::string out(msg.size() + msg.size() / 100 + 1024, '\0');
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(msg.data()));
    z_.avail_in = static_cast<uInt>(msg.size());
    size_t used = 0;
    do {
      if (used == out.size()) out.resize(out.size() * 2);
      z_.next_out = reinterpret_cast<Bytef*>(out.data() + used);
      z_.avail_out = static_cast<uInt>(out.size() - used);
      deflate(&z_, Z_SYNC_FLUSH);
      used = out.size() - z_.avail_out;
    } while (z_.avail_out == 0);
    out.resize(used);
    if (out.size() >= 4 && out.compare(out.size() - 4, 4, std::string("\0\0\xff\xff", 4)) == 0) {
      out.resize(out.size() - 4);
    }
    return out;
  }

 private:
  z_stream z_{};
  bool takeover_;
};

inline WorkspaceSizes ws_test_sizes() {
  WorkspaceSizes s;
  s.arena_bytes = 256 * 1024;
  s.head_slabs = 1;
  s.body_slabs = 4;
  s.inflate_slabs = 4;
  s.brotli_memory_bytes = 4096;
  return s;
}

class WsHarness {
 public:
  explicit WsHarness(std::string_view extensions = {}, const ParseLimits& limits = {},
                     const WorkspaceSizes& sizes = ws_test_sizes())
      : ws(limits, sizes),
        parser(std::make_unique<WebSocketParser>(
            ws, WebSocketHandshake{.path = "/chat?room=1", .host = "example.test",
                                   .extensions = extensions})) {}

  // Feeds `bytes` in pieces of `step` (0: one piece), each in its own
  // buffer that is overwritten after feed(); stops at the first non-Ok.
  FeedResult feed(std::string_view bytes, Direction dir = Direction::Request, size_t step = 0) {
    FeedResult total;
    size_t pos = 0;
    do {
      const size_t n = step == 0 ? bytes.size() - pos : std::min(step, bytes.size() - pos);
      std::string piece(bytes.substr(pos, n));
      FeedResult r = parser->feed(chunk_of(piece, dir), sink);
      piece.assign(piece.size(), '#');
      total.decisions += r.decisions;
      total.consumed += r.consumed;
      total.status = r.status;
      total.error = r.error;
      pos += n;
      if (r.status != FeedStatus::Ok) return total;
    } while (pos < bytes.size());
    return total;
  }

  ParserWorkspace ws;
  std::unique_ptr<WebSocketParser> parser;
  RecordingSink sink;
};

}  // namespace weir::parse::testing
