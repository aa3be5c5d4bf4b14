// Flow of one feed(): read frame headers byte by byte (at most 14), then
// payload runs as they arrive: unmasked into a stack buffer, control
// payloads into the side's 125-byte buffer, data payloads into the message
// (inflated on the fly for permessage-deflate, so compressed bytes are never
// kept). A FIN data frame completes the message: decide, release, go on.
#include "parsers/websocket/websocket_parser.h"

#include <cstring>
#include <iterator>
#include <new>

#include "parsers/binary_content.h"
#include "parsers/websocket/ws_message_envelope.h"

namespace weir::parse {
namespace {

constexpr uint8_t kContinuation = 0x0;
constexpr uint8_t kText = 0x1;
constexpr uint8_t kBinary = 0x2;
constexpr uint8_t kClose = 0x8;
constexpr uint8_t kPing = 0x9;
constexpr uint8_t kPong = 0xA;
constexpr size_t kUnmaskStep = 4096;
constexpr size_t kScratch = 8192;

bool is_control(uint8_t opcode) { return (opcode & 0x8) != 0; }

// RFC 6455 7.4: codes a peer may send in a Close frame (1004-1006 and 1015
// are reserved for local use, 1016-2999 unassigned, 3000-4999 registered or
// private).
bool valid_close_code(uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

bool looks_like_json(const uint8_t* p, size_t n) {
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) ++i;
  return i < n && (p[i] == '{' || p[i] == '[');
}

size_t copy_bounded(char* dst, size_t cap, std::string_view src) {
  const size_t n = src.size() < cap ? src.size() : cap;
  std::memcpy(dst, src.data(), n);
  return n;
}

// What each WebSocketParser::Note kind is reported as, in enum order.
struct NoteText {
  std::string_view name;
  std::string_view detail;
};
constexpr NoteText kNoteText[] = {
    {"ws.non_minimal_length", "16-bit length for a short payload"},
    {"ws.non_minimal_length", "64-bit length for a short payload"},
    {"ws.unmasked_client_frame", "client frame without a mask (RFC 6455 5.1)"},
    {"ws.masked_server_frame", "server frame with a mask (RFC 6455 5.1)"},
    {"ws.rsv_bits", "RSV2/RSV3 set without an extension"},
    {"ws.rsv_bits", "RSV1 set where no extension allows it"},
    {"ws.reserved_opcode", "reserved control opcode"},
    {"ws.reserved_opcode", "reserved data opcode; payload inspected as binary"},
    {"ws.fragmented_control", "control frame without FIN"},
    {"ws.control_too_long", "control frame payload over 125 bytes"},
    {"ws.data_after_close", "data frame after this side sent Close"},
    {"ws.unexpected_continuation", "continuation frame without a message to continue"},
    {"ws.interleaved_message", "new data message before the fragmented one ended"},
    {"ws.message_too_large", "message longer than max_ws_message_bytes; prefix inspected"},
    {"ws.bomb", "compressed message past the decode caps"},
    {"ws.bad_close_payload", "Close payload of one byte"},
    {"ws.bad_close_code", "Close code a peer may not send"},
    {"ws.invalid_utf8", "Close reason is not UTF-8"},
    {"ws.invalid_utf8", "text message is not UTF-8"},
};

}  // namespace

Parser* make_websocket_parser(void* storage, ParserWorkspace& workspace) {
  return new (storage) WebSocketParser(workspace, WebSocketHandshake{});
}

Parser* make_websocket_parser_for(void* storage, ParserWorkspace& workspace,
                                  const WebSocketHandshake& handshake) {
  return new (storage) WebSocketParser(workspace, handshake);
}

WebSocketParser::WebSocketParser(ParserWorkspace& workspace, const WebSocketHandshake& handshake)
    : ws_(workspace) {
  extensions_ = parse_websocket_extensions(handshake.extensions, deflate_);
  channel_len_ = static_cast<uint32_t>(copy_bounded(channel_, kMaxChannel, handshake.path));
  host_len_ = static_cast<uint32_t>(copy_bounded(host_, kMaxHost, handshake.host));
  sides_[0].dir = Direction::Request;
  sides_[0].no_context_takeover = deflate_.client_no_context_takeover;
  sides_[1].dir = Direction::Response;
  sides_[1].no_context_takeover = deflate_.server_no_context_takeover;
}

WebSocketParser::~WebSocketParser() {
  for (Side& s : sides_) {
    ws_.body_slabs().release(s.kept);
    s.inflater.close();
    ws_.inflate_slabs().release(s.inflate_slab);
  }
}

FeedResult WebSocketParser::feed(const StreamChunk& chunk, TransactionSink& sink) {
  FeedResult result;
  if (refuse_when_settled(state_, error_, UpgradeKind::None, result)) return result;
  ws_.arena().reset();
  sink_ = &sink;
  result_ = &result;
  Side& s = sides_[static_cast<int>(chunk.direction)];
  const uint8_t* const begin = chunk.bytes.data();
  const uint8_t* const end = begin + chunk.bytes.size();
  const uint8_t* p = begin;
  const uint8_t* frame_begin = s.header_have == 0 && !s.in_payload ? begin : nullptr;
  while (p < end && state_ == State::Active) {
    if (!s.in_payload) {
      if (s.header_have == 0) frame_begin = p;
      s.header[s.header_have++] = *p++;
      if (s.header_have == 2) {
        const uint8_t len7 = s.header[1] & 0x7f;
        s.header_need = static_cast<uint8_t>(2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) +
                                             ((s.header[1] & 0x80) != 0 ? 4 : 0));
      }
      if (s.header_have == s.header_need) header_complete(s);
      continue;
    }
    const size_t avail = static_cast<size_t>(end - p);
    const size_t n = s.payload_left < avail ? static_cast<size_t>(s.payload_left) : avail;
    const bool ok = payload(s, p, n);
    p += n;
    s.payload_left -= n;
    if (ok && s.payload_left == 0) frame_complete(s);
  }

  const FeedStop stop{static_cast<uint32_t>(chunk.bytes.size()), static_cast<uint32_t>(p - begin),
                      static_cast<uint32_t>((frame_begin != nullptr ? frame_begin : begin) - begin)};
  finish_feed(state_, stop, error_, UpgradeKind::None, result);
  sink_ = nullptr;
  result_ = nullptr;
  return result;
}

bool WebSocketParser::header_complete(Side& s) {
  const uint8_t b0 = s.header[0];
  const uint8_t b1 = s.header[1];
  s.fin = (b0 & 0x80) != 0;
  s.rsv1 = (b0 & 0x40) != 0;
  const bool rsv23 = (b0 & 0x30) != 0;
  s.opcode = b0 & 0x0f;
  s.masked = (b1 & 0x80) != 0;
  const uint8_t len7 = b1 & 0x7f;
  uint64_t len = len7;
  size_t at = 2;
  if (len7 == 126) {
    len = static_cast<uint64_t>(s.header[2]) << 8 | s.header[3];
    at = 4;
    if (len < 126) note(s, Note::NonMinimalLength16);
  } else if (len7 == 127) {
    len = 0;
    for (int i = 0; i < 8; ++i) len = len << 8 | s.header[2 + i];
    at = 10;
    if ((len >> 63) != 0) {
      fail(s, "ws.bad_length", "64-bit payload length with the top bit set");
      return false;
    }
    if (len < 65536) note(s, Note::NonMinimalLength64);
  }
  if (s.masked) std::memcpy(s.mask, s.header + at, 4);
  s.header_have = 0;
  s.header_need = 2;

  if (s.dir == Direction::Request && !s.masked) {
    note(s, Note::UnmaskedClientFrame);
  }
  if (s.dir == Direction::Response && s.masked) {
    note(s, Note::MaskedServerFrame);
  }
  const bool opaque_rsv = extensions_ == ExtensionsStatus::UnknownExtension;
  if (rsv23 && !opaque_rsv) note(s, Note::RsvBits23);
  if (s.rsv1 && !opaque_rsv &&
      (!deflate_.enabled || is_control(s.opcode) || s.opcode == kContinuation)) {
    note(s, Note::RsvBits1);
  }
  s.payload_left = len;
  s.payload_done = 0;
  if (is_control(s.opcode)) {
    if (s.opcode != kClose && s.opcode != kPing && s.opcode != kPong) {
      note(s, Note::ReservedControlOpcode);
    }
    if (!s.fin) note(s, Note::FragmentedControl);
    if (len > kMaxControl) note(s, Note::ControlTooLong);
    s.control_len = 0;
  } else if (!start_data_frame(s)) {
    return false;
  }
  s.in_payload = true;
  if (len == 0) return frame_complete(s);
  return true;
}

bool WebSocketParser::start_data_frame(Side& s) {
  if (s.opcode != kContinuation && s.opcode != kText && s.opcode != kBinary) {
    note(s, Note::ReservedDataOpcode);
  }
  if (s.closed) note(s, Note::DataAfterClose);
  if (s.opcode == kContinuation) {
    if (s.in_message) return true;
    note(s, Note::UnexpectedContinuation);
  } else if (s.in_message) {
    // The server fails the connection here; we still show what we have.
    note(s, Note::InterleavedMessage);
    if (!message_complete(s)) return false;
  }
  s.in_message = true;
  s.text = s.opcode == kText;
  s.binary = s.opcode == kBinary;
  s.compressed = s.opcode != kContinuation && s.rsv1 && deflate_.enabled;
  s.message_bomb = s.too_large_reported = false;
  s.wire_bytes = s.message_bytes = 0;
  s.kept_len = 0;
  s.utf8.reset();
  s.kept = ws_.body_slabs().acquire();
  if (s.kept == nullptr) {
    out_of_memory("no message buffer free");
    return false;
  }
  if (!s.compressed) return true;
  if (s.inflate_lost) {
    fail(s, "ws.inflate_lost", "compressed message after the inflate context was lost");
    return false;
  }
  if (s.inflate_slab == nullptr) {
    s.inflate_slab = ws_.inflate_slabs().acquire();
    if (s.inflate_slab == nullptr || !s.inflater.open(s.inflate_slab, InflateStream::Format::Raw)) {
      out_of_memory("no inflate buffer free");
      return false;
    }
  }
  return true;
}

bool WebSocketParser::payload(Side& s, const uint8_t* p, size_t n) {
  uint8_t buf[kUnmaskStep];
  while (n > 0 && state_ == State::Active) {
    const size_t k = n < kUnmaskStep ? n : kUnmaskStep;
    const uint8_t* data = p;
    if (s.masked) {
      for (size_t i = 0; i < k; ++i) buf[i] = p[i] ^ s.mask[(s.payload_done + i) & 3];
      data = buf;
    }
    if (is_control(s.opcode)) {
      const size_t room = kMaxControl - s.control_len;
      const size_t take = k < room ? k : room;
      std::memcpy(s.control + s.control_len, data, take);
      s.control_len = static_cast<uint8_t>(s.control_len + take);
    } else if (!message_data(s, data, k)) {
      return false;
    }
    s.payload_done += k;
    p += k;
    n -= k;
  }
  return state_ == State::Active;
}

void WebSocketParser::keep(Side& s, const uint8_t* p, size_t n) {
  const size_t limit = ws_.limits().max_body_inspect;
  if (s.kept_len >= limit) return;
  const size_t take = n < limit - s.kept_len ? n : limit - s.kept_len;
  std::memcpy(s.kept + s.kept_len, p, take);
  s.kept_len += static_cast<uint32_t>(take);
}

bool WebSocketParser::message_data(Side& s, const uint8_t* p, size_t n) {
  s.wire_bytes += n;
  if (s.compressed) return inflate_data(s, p, n);
  if (s.text) s.utf8.feed(p, n);
  keep(s, p, n);
  s.message_bytes += n;
  if (s.message_bytes > ws_.limits().max_ws_message_bytes && !s.too_large_reported) {
    s.too_large_reported = true;
    note(s, Note::MessageTooLarge);
  }
  return true;
}

bool WebSocketParser::inflate_data(Side& s, const uint8_t* p, size_t n) {
  if (s.message_bomb) return true;
  const ParseLimits& limits = ws_.limits();
  const size_t keep_limit = limits.max_body_inspect;
  uint8_t scratch[kScratch];
  for (;;) {
    uint8_t* o = scratch;
    size_t room = kScratch;
    if (s.kept_len < keep_limit) {
      o = s.kept + s.kept_len;
      room = keep_limit - s.kept_len;
    }
    uint8_t* const o0 = o;
    const size_t left_before = n;
    const InflateStream::Step step = s.inflater.inflate(&p, &n, &o, &room);
    const auto made = static_cast<size_t>(o - o0);
    if (made > 0) {
      if (s.text) s.utf8.feed(o0, made);
      if (o0 != scratch) s.kept_len += static_cast<uint32_t>(made);
      s.message_bytes += made;
    }
    if (s.message_bytes > limits.max_ws_message_bytes && !s.too_large_reported) {
      s.too_large_reported = true;
      note(s, Note::MessageTooLarge);
    }
    const uint64_t base = s.wire_bytes > 0 ? s.wire_bytes : 1;
    if (s.message_bytes > limits.max_decoded_bytes ||
        (s.message_bytes > limits.decode_ratio_floor && s.message_bytes / base >= limits.max_decode_ratio)) {
      // Stop inflating: bounded work. With context takeover the next
      // messages depend on the bytes we skipped and cannot be read.
      note(s, Note::Bomb);
      s.message_bomb = true;
      if (!s.no_context_takeover) s.inflate_lost = true;
      return true;
    }
    switch (step) {
      case InflateStream::Step::End:
        // A final deflate block ends the stream; what follows starts anew.
        if (!s.inflater.reset(InflateStream::Format::Raw)) {
          out_of_memory("inflate reset");
          return false;
        }
        if (n == 0) return true;
        break;
      case InflateStream::Step::Error:
        fail(s, "ws.inflate_error", "permessage-deflate data does not inflate");
        return false;
      case InflateStream::Step::NoMemory:
        out_of_memory("inflate memory");
        return false;
      case InflateStream::Step::Progress:
        if (made == 0 && n == left_before) return true;  // needs more input
        break;
    }
  }
}

bool WebSocketParser::frame_complete(Side& s) {
  s.in_payload = false;
  if (is_control(s.opcode)) return control_complete(s);
  if (s.fin && s.in_message) return message_complete(s);
  return true;
}

bool WebSocketParser::control_complete(Side& s) {
  if (s.opcode == kClose && s.payload_done <= kMaxControl) {
    if (s.control_len == 1) {
      note(s, Note::BadClosePayload);
    } else if (s.control_len >= 2) {
      const auto code = static_cast<uint16_t>(s.control[0] << 8 | s.control[1]);
      if (!valid_close_code(code)) note(s, Note::BadCloseCode);
      Utf8Validator reason;
      reason.feed(s.control + 2, s.control_len - 2u);
      if (!reason.complete()) note(s, Note::InvalidUtf8Close);
    }
  }
  if (s.opcode == kClose) s.closed = true;
  if (s.pending != 0 && !s.in_message) return decide(s, false);
  return true;
}

bool WebSocketParser::message_complete(Side& s) {
  if (s.compressed && !s.message_bomb) {
    // RFC 7692 7.2.2: the sender removed this empty-block tail.
    static constexpr uint8_t kTail[4] = {0x00, 0x00, 0xff, 0xff};
    if (!inflate_data(s, kTail, sizeof(kTail))) return false;
  }
  if (s.text && !s.message_bomb && !s.utf8.complete()) {
    note(s, Note::InvalidUtf8Text);
  }
  if (s.compressed && s.no_context_takeover && s.inflate_slab != nullptr) {
    s.inflater.close();
    ws_.inflate_slabs().release(s.inflate_slab);
    s.inflate_slab = nullptr;
  }
  const bool ok = decide(s, true);
  end_message(s);
  return ok;
}

void WebSocketParser::end_message(Side& s) {
  ws_.body_slabs().release(s.kept);
  s.kept = nullptr;
  s.kept_len = 0;
  s.in_message = false;
  ++s.message_index;
  ws_.arena().reset();
}

bool WebSocketParser::decide(Side& s, bool with_message) {
  Arena& arena = ws_.arena();
  static_assert(std::size(kNoteText) == static_cast<size_t>(Note::Count));
  FindingList findings(arena, static_cast<uint32_t>(Note::Count) + 2);
  if (!extensions_reported_ && extensions_ != ExtensionsStatus::Ok) {
    extensions_reported_ = true;
    if (extensions_ == ExtensionsStatus::UnknownExtension) {
      findings.add("ws.unknown_extension", "extension other than permessage-deflate; payloads as sent",
                   FindingSeverity::Notice);
    } else {
      findings.add("ws.bad_extension", "permessage-deflate parameters not understood",
                   FindingSeverity::Anomaly);
    }
  }
  std::string_view last_name;
  for (uint32_t bits = s.pending; bits != 0; bits &= bits - 1) {
    const NoteText& t = kNoteText[__builtin_ctz(bits)];
    if (t.name == last_name) continue;  // once per name and decision
    findings.add(t.name, t.detail, FindingSeverity::Anomaly);
    last_name = t.name;
  }
  s.pending = 0;
  FieldList fields(arena, ws_.limits().max_fields);
  if (with_message && s.kept != nullptr && s.kept_len > 0) {
    std::memset(s.kept + s.kept_len, 0, JsonFlattener::kPadding);
    const std::string_view message(reinterpret_cast<const char*>(s.kept), s.kept_len);
    const bool truncated = s.message_bytes > s.kept_len;
    if (truncated && !s.too_large_reported && !s.message_bomb) {
      findings.add("ws.message_truncated", "message longer than max_body_inspect; prefix inspected",
                   FindingSeverity::Notice);
    }
    const WsEnvelope envelope = truncated || looks_like_json(s.kept, s.kept_len) ? WsEnvelope{} : find_ws_envelope(message);
    if (!truncated && looks_like_json(s.kept, s.kept_len)) {
      ws_.json().flatten(message, Zone::WsMessage, arena, fields, findings);
    } else if (!envelope.json.empty()) {
      // Socket.IO / STOMP: the JSON inside by path, the STOMP head as sent.
      if (!envelope.head.empty()) fields.add(Zone::WsMessage, {}, envelope.head);
      ws_.json().flatten(envelope.json, Zone::WsMessage, arena, fields, findings);
    } else if (s.binary && looks_binary(message)) {
      // MessagePack, CBOR, compressed media: its strings, not its chance
      // byte runs (parsers/binary_content.h).
      const std::string_view text = text_runs(message, arena);
      if (!text.empty()) fields.add(Zone::WsMessage, {}, text);
    } else {
      fields.add(Zone::WsMessage, {}, message);
    }
  }
  Transaction txn;
  txn.protocol = Protocol::WebSocket;
  txn.index = s.message_index;
  txn.direction = s.dir;
  txn.point = DecisionPoint::EndOfMessage;
  txn.target = std::string_view(channel_, channel_len_);
  txn.host = std::string_view(host_, host_len_);
  txn.fields = fields.view();
  txn.findings = findings.view();
  ++result_->decisions;
  if (sink_->on_decision(txn) == SinkVerdict::Block) {
    state_ = State::Blocked;
    return false;
  }
  return true;
}

void WebSocketParser::fail(Side& s, std::string_view name, std::string_view detail) {
  error_ = ParserFinding{name, detail, FindingSeverity::Fatal};
  state_ = State::Failed;
  Transaction txn;
  txn.protocol = Protocol::WebSocket;
  txn.index = s.message_index;
  txn.direction = s.dir;
  txn.point = DecisionPoint::ParseError;
  txn.target = std::string_view(channel_, channel_len_);
  txn.host = std::string_view(host_, host_len_);
  txn.findings = {&error_, 1};
  ++result_->decisions;
  (void)sink_->on_decision(txn);  // the stream is unusable whatever the sink says
}

void WebSocketParser::out_of_memory(std::string_view what) {
  error_ = ParserFinding{"parse.resource_limit", what, FindingSeverity::Fatal};
  state_ = State::OutOfMemory;
}

}  // namespace weir::parse
