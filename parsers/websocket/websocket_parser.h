#pragma once
// WebSocketParser: RFC 6455 frames in both directions after an HTTP/1
// Upgrade, with permessage-deflate (RFC 7692). Every complete data message
// is a decision point (DecisionPoint::EndOfMessage) whose fields are zone
// ws_message: JSON paths when the message is a JSON document, else the
// message as one field with an empty name. Protocol violations (masking,
// RSV bits, control frames, close codes, UTF-8, sizes) are ws.* findings
// shown at the next decision; only what makes framing impossible (a 64-bit
// length with its top bit set, a stream we can no longer inflate) is a
// ParseError. Byte-level state machine: decisions do not depend on how the
// stream is cut into chunks.

#include <cstdint>

#include "parsers/encoding/inflate_stream.h"
#include "parsers/feed_state.h"
#include "parsers/parser.h"
#include "parsers/parser_workspace.h"
#include "parsers/websocket/utf8_validator.h"
#include "parsers/websocket/websocket_extensions.h"

namespace weir::parse {

/// Registry entry: a WebSocket stream without extensions, channel unknown.
Parser* make_websocket_parser(void* storage, ParserWorkspace& workspace);
/// What the dataplane calls after HTTP/1 returned Upgraded(WebSocket).
Parser* make_websocket_parser_for(void* storage, ParserWorkspace& workspace,
                                  const WebSocketHandshake& handshake);

class WebSocketParser final : public Parser {
 public:
  static constexpr uint32_t kMaxChannel = 256;  ///< path bytes kept (longer: cut)
  static constexpr uint32_t kMaxHost = 128;

  WebSocketParser(ParserWorkspace& workspace, const WebSocketHandshake& handshake);
  ~WebSocketParser() override;
  WebSocketParser(const WebSocketParser&) = delete;
  WebSocketParser& operator=(const WebSocketParser&) = delete;

  FeedResult feed(const StreamChunk& chunk, TransactionSink& sink) override;

  const WebSocketDeflate& deflate() const { return deflate_; }

 private:
  static constexpr uint32_t kMaxControl = 125;

  // Every protocol violation a side can show at its next decision. One bit
  // per kind on the side: none is ever lost however many pile up (a list of
  // 8 dropped the 9th), and 4 bytes instead of 8 stored findings. Kinds that
  // share a finding name (two details) are adjacent; the first set wins.
  enum class Note : uint8_t {
    NonMinimalLength16,
    NonMinimalLength64,
    UnmaskedClientFrame,
    MaskedServerFrame,
    RsvBits23,
    RsvBits1,
    ReservedControlOpcode,
    ReservedDataOpcode,
    FragmentedControl,
    ControlTooLong,
    DataAfterClose,
    UnexpectedContinuation,
    InterleavedMessage,
    MessageTooLarge,
    Bomb,
    BadClosePayload,
    BadCloseCode,
    InvalidUtf8Close,
    InvalidUtf8Text,
    Count
  };
  static_assert(static_cast<unsigned>(Note::Count) <= 32, "pending is a uint32_t");

  using State = FeedState;  // never Upgraded

  // One direction of the connection.
  struct Side {
    Direction dir = Direction::Request;
    // Frame header being read.
    uint8_t header[14] = {};
    uint8_t header_have = 0;
    uint8_t header_need = 2;
    bool in_payload = false;
    // Current frame.
    uint8_t opcode = 0;
    bool fin = false;
    bool rsv1 = false;
    bool masked = false;
    uint8_t mask[4] = {};
    uint64_t payload_left = 0;
    uint64_t payload_done = 0;
    // Control frame payload (<= 125 bytes kept).
    uint8_t control[kMaxControl] = {};
    uint8_t control_len = 0;
    // Data message in progress (possibly over several frames).
    bool in_message = false;
    bool text = false;
    bool binary = false;  ///< the message's opcode is binary (0x2)
    bool compressed = false;
    bool message_bomb = false;
    bool too_large_reported = false;
    uint64_t wire_bytes = 0;     // payload bytes as sent
    uint64_t message_bytes = 0;  // bytes after inflation
    uint8_t* kept = nullptr;     // body slab: first max_body_inspect message bytes
    uint32_t kept_len = 0;
    Utf8Validator utf8;
    // permessage-deflate for what this side sends.
    InflateStream inflater;
    uint8_t* inflate_slab = nullptr;
    bool no_context_takeover = false;
    bool inflate_lost = false;  // context lost (bomb cut it): later messages cannot be read
    bool closed = false;        // sent a Close frame
    uint32_t message_index = 0;
    uint32_t pending = 0;  // bit per Note kind, cleared by decide()
  };

  bool header_complete(Side& s);
  bool start_data_frame(Side& s);
  bool payload(Side& s, const uint8_t* p, size_t n);
  bool message_data(Side& s, const uint8_t* p, size_t n);
  bool inflate_data(Side& s, const uint8_t* p, size_t n);
  void keep(Side& s, const uint8_t* p, size_t n);
  bool frame_complete(Side& s);
  bool control_complete(Side& s);
  bool message_complete(Side& s);
  void end_message(Side& s);
  bool decide(Side& s, bool with_message);
  static void note(Side& s, Note kind) { s.pending |= 1u << static_cast<unsigned>(kind); }
  void fail(Side& s, std::string_view name, std::string_view detail);
  void out_of_memory(std::string_view what);

  ParserWorkspace& ws_;
  WebSocketDeflate deflate_;
  ExtensionsStatus extensions_ = ExtensionsStatus::Ok;
  bool extensions_reported_ = false;
  char channel_[kMaxChannel] = {};
  uint32_t channel_len_ = 0;
  char host_[kMaxHost] = {};
  uint32_t host_len_ = 0;
  Side sides_[2];
  State state_ = State::Active;
  ParserFinding error_{};

  // Valid during one feed() call.
  TransactionSink* sink_ = nullptr;
  FeedResult* result_ = nullptr;
};

}  // namespace weir::parse
