// Only the request that asked for a WebSocket upgrade is recorded: with
// pipelining the 101 answers that request, and a later request on the same
// connection cannot overwrite it (the HTTP/1 parser stops at the switch).
#include "parsers/websocket/websocket_handshake.h"

#include <cstring>

namespace weir::parse {
namespace {

bool equals_lower(std::string_view value, std::string_view lower) {
  if (value.size() != lower.size()) return false;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

bool asks_for_websocket(std::string_view upgrade) {
  // "websocket" or a list whose first protocol is websocket, as HTTP/1 reads it.
  const size_t comma = upgrade.find(',');
  std::string_view first = upgrade.substr(0, comma);
  while (!first.empty() && (first.front() == ' ' || first.front() == '\t')) first.remove_prefix(1);
  while (!first.empty() && (first.back() == ' ' || first.back() == '\t')) first.remove_suffix(1);
  return equals_lower(first, "websocket");
}

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
      if (f.zone == Zone::Header && f.name == "upgrade" && asks_for_websocket(f.value)) {
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
