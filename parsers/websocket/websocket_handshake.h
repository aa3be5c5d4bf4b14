#pragma once
// WebSocketHandshakeRecord: what the dataplane keeps per flow between the
// HTTP/1 Upgrade request and its 101 response, so that it can build the
// WebSocketParser when HTTP/1 returns Upgraded(WebSocket). The sink's views
// die when on_decision() returns, so the record copies into fixed buffers
// (no allocation): the request target and Host at the request's
// EndOfHeaders, the negotiated Sec-WebSocket-Extensions at the response's.

#include <cstdint>

#include "parsers/transaction.h"
#include "parsers/websocket/websocket_extensions.h"

namespace weir::parse {

class WebSocketHandshakeRecord {
 public:
  static constexpr uint32_t kMaxPath = 256;
  static constexpr uint32_t kMaxHost = 128;
  static constexpr uint32_t kMaxExtensions = 256;

  /// Call with every HTTP/1 decision of the flow (cheap when not relevant).
  void observe(const Transaction& txn);
  /// The handshake to build the parser with; views into this record.
  WebSocketHandshake handshake() const;
  /// An Upgrade: websocket request was seen (and a 101 or not since).
  bool requested() const { return requested_; }
  /// The extensions value did not fit kMaxExtensions (the parser will see
  /// it cut and report ws.bad_extension).
  bool extensions_cut() const { return extensions_cut_; }
  void clear() { *this = WebSocketHandshakeRecord{}; }

 private:
  char path_[kMaxPath] = {};
  char host_[kMaxHost] = {};
  char extensions_[kMaxExtensions] = {};
  uint16_t path_len_ = 0;
  uint16_t host_len_ = 0;
  uint16_t extensions_len_ = 0;
  bool requested_ = false;
  bool extensions_cut_ = false;
};

}  // namespace weir::parse
