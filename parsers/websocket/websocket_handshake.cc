// Only the request that asked for a WebSocket upgrade is recorded: with
// pipelining the 101 answers that request, and a later request on the same
// connection cannot overwrite it (the HTTP/1 parser stops at the switch).
#include "parsers/websocket/websocket_handshake.h"

#include <cstring>

#include "parsers/http1/head_scan.h"

namespace weir::parse {
namespace {

uint16_t copy_into(char* dst, size_t cap, std::string_view src, bool* cut = nullptr) {
  const size_t n = src.size() < cap ? src.size() : cap;
  std::memcpy(dst, src.data(), n);
  if (cut != nullptr) *cut = src.size() > cap;
  return static_cast<uint16_t>(n);
}

}  // namespace

void WebSocketHandshakeRecord::observe(const Transaction& txn) {
  if (txn.protocol != Protocol::Http1 || txn.point != DecisionPoint::EndOfHeaders) return;
  if (txn.direction == Direction::Request) {
    if (requested_) return;
    for (const Field& f : txn.fields) {
      if (f.zone == Zone::Header && f.name == "upgrade" && upgrade_kind_of_value(f.value) == UpgradeKind::WebSocket) {
        requested_ = true;
        path_len_ = copy_into(path_, kMaxPath, txn.target);
        host_len_ = copy_into(host_, kMaxHost, txn.host);
        return;
      }
    }
    return;
  }
  if (!requested_ || txn.status != 101) return;
  for (const Field& f : txn.fields) {
    if (f.zone == Zone::RespHeader && f.name == "sec-websocket-extensions") {
      // Several header lines form one list (RFC 6455 9.1).
      if (extensions_len_ > 0 && extensions_len_ < kMaxExtensions) extensions_[extensions_len_++] = ',';
      bool cut = false;
      extensions_len_ = static_cast<uint16_t>(
          extensions_len_ + copy_into(extensions_ + extensions_len_, kMaxExtensions - extensions_len_,
                                      f.value, &cut));
      extensions_cut_ = extensions_cut_ || cut;
    }
  }
}

WebSocketHandshake WebSocketHandshakeRecord::handshake() const {
  return WebSocketHandshake{.path = {path_, path_len_},
                            .host = {host_, host_len_},
                            .extensions = {extensions_, extensions_len_}};
}

}  // namespace weir::parse
