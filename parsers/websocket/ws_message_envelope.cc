// Socket.IO: https://socket.io/docs/v4/socket-io-protocol/ (packet encoding:
// type digit(s), then "/nsp," unless the main namespace, then the ack id,
// then the JSON payload); Engine.IO adds its own leading type digit ("4").
// STOMP: https://stomp.github.io/stomp-specification-1.2.html (frames).
#include "parsers/websocket/ws_message_envelope.h"

namespace weir::parse {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool starts_json(std::string_view s) { return !s.empty() && (s.front() == '{' || s.front() == '['); }

// 42["event",...] / 42/nsp,17[...] / 451-["event",{"_placeholder":true}]
WsEnvelope socket_io(std::string_view m) {
  size_t i = 0;
  while (i < m.size() && i < 3 && is_digit(m[i])) ++i;
  if (i == 0) return {};
  // Binary-attachment count ("451-").
  if (i < m.size() && m[i] == '-') ++i;
  if (i < m.size() && m[i] == '/') {
    const size_t comma = m.find(',', i);
    if (comma == std::string_view::npos || comma - i > 128) return {};
    for (size_t k = i; k < comma; ++k) {
      if (m[k] == '[' || m[k] == '{' || m[k] == '"' || m[k] == ' ') return {};
    }
    i = comma + 1;
  }
  size_t ack = 0;
  while (i < m.size() && ack < 12 && is_digit(m[i])) {
    ++i;
    ++ack;
  }
  std::string_view rest = m.substr(i);
  if (!starts_json(rest)) return {};
  return {rest, {}};
}

constexpr std::string_view kStompCommands[] = {"SEND", "SUBSCRIBE", "UNSUBSCRIBE", "MESSAGE", "CONNECT", "STOMP",
                                               "BEGIN", "COMMIT", "ABORT", "ACK", "NACK", "DISCONNECT"};

WsEnvelope stomp(std::string_view m) {
  const size_t eol = m.find('\n');
  if (eol == std::string_view::npos) return {};
  std::string_view command = m.substr(0, eol);
  if (!command.empty() && command.back() == '\r') command.remove_suffix(1);
  bool known = false;
  for (std::string_view c : kStompCommands) known = known || command == c;
  if (!known) return {};
  size_t blank = m.find("\n\n", eol);
  size_t body = blank == std::string_view::npos ? std::string_view::npos : blank + 2;
  const size_t crlf = m.find("\r\n\r\n", eol == 0 ? 0 : eol - 1);
  if (crlf != std::string_view::npos && (blank == std::string_view::npos || crlf < blank)) body = crlf + 4;
  if (body == std::string_view::npos) return {};
  std::string_view payload = m.substr(body);
  // The frame ends at NUL (then optional EOLs).
  const size_t nul = payload.find('\0');
  if (nul != std::string_view::npos) payload = payload.substr(0, nul);
  size_t lead = 0;
  while (lead < payload.size() && (payload[lead] == ' ' || payload[lead] == '\t' || payload[lead] == '\r' || payload[lead] == '\n')) ++lead;
  payload.remove_prefix(lead);
  return {starts_json(payload) ? payload : std::string_view{}, m.substr(0, body)};
}

}  // namespace

WsEnvelope find_ws_envelope(std::string_view message) {
  if (message.empty()) return {};
  if (is_digit(message.front())) return socket_io(message);
  if (message.front() >= 'A' && message.front() <= 'Z') return stomp(message);
  return {};
}

}  // namespace weir::parse
