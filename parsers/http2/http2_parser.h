#pragma once
// Http2Parser: HTTP/2 (h2 after TLS, h2c with prior knowledge, h2c after an
// HTTP/1 Upgrade) for both directions of one connection, as a passive
// observer. Our own frame layer; HPACK through nghttp2's inflater, one per
// direction, with memory from the flow's share of the worker's BoundedHeap.
// Every stream is a transaction with the HTTP/1 request model (the same
// field code builds its fields); gRPC streams (content-type application/grpc,
// application/grpc-web[-text]) are split into messages decoded as protobuf.
//
// Decisions per stream and direction: EndOfHeaders at the end of a header
// block, EndOfMessage per gRPC message, EndOfBody at END_STREAM. A Block
// verdict stops the whole connection (FeedStatus::Blocked): one stream's
// frames cannot be dropped without desynchronising HPACK. Connection-level
// abuse and framing errors (floods, HPACK errors and bombs, frame size
// errors) are FeedStatus::ParseError with an `http2.*` finding.

#include <cstdint>
#include <string_view>

#include "parsers/bounded_heap.h"
#include "parsers/feed_state.h"
#include "parsers/field_list.h"
#include "parsers/grpc/grpc_framer.h"
#include "parsers/http2/hpack_decoder.h"
#include "parsers/http2/http2_frame.h"
#include "parsers/http2/http2_header_checks.h"
#include "parsers/http2/http2_limits.h"
#include "parsers/http2/http2_settings.h"
#include "parsers/parser.h"
#include "parsers/parser_workspace.h"

namespace weir::parse {

class ProtosetNames;

/// Registry entry: the client side starts with the connection preface
/// (h2 negotiated by ALPN, or h2c with prior knowledge seen from byte 0).
Parser* make_http2_parser(void* storage, ParserWorkspace& workspace);
/// After the HTTP/1 parser consumed the prior-knowledge preface and returned
/// Upgraded/H2c from a request-side feed: the client side starts with the
/// first frame (SETTINGS).
Parser* make_http2_parser_after_preface(void* storage, ParserWorkspace& workspace);

/// What the HTTP/1 Upgrade request that a 101 accepted left to HTTP/2.
struct H2cUpgrade {
  /// Its HTTP2-Settings header value (base64url SETTINGS payload; may be
  /// empty when unknown: defaults are assumed).
  std::string_view http2_settings;
  /// Its method (stream 1's response is the answer to it) and index.
  std::string_view method = "GET";
  uint32_t request_index = 0;
  /// Already decoded HTTP2-Settings (H2cUpgradeRecord): when set,
  /// `http2_settings` is not read.
  const Http2Settings* settings = nullptr;
  /// The request's HTTP2-Settings were invalid or repeated: the first feed
  /// fails with http2.bad_http2_settings.
  bool settings_invalid = false;
};
/// After an HTTP/1 101 to `Upgrade: h2c`: the client side starts with the
/// connection preface, the server side with its SETTINGS; stream 1 is the
/// upgraded request (half closed: only its response follows). An invalid
/// HTTP2-Settings makes the first feed fail (http2.bad_http2_settings).
Parser* make_http2_upgrade_parser(void* storage, ParserWorkspace& workspace,
                                  const H2cUpgrade& upgrade);

class Http2Parser final : public Parser {
 public:
  enum class Start : uint8_t { ClientPreface, AfterPreface };

  Http2Parser(ParserWorkspace& workspace, Start start, const Http2Limits& limits = {});
  ~Http2Parser() override;
  Http2Parser(const Http2Parser&) = delete;
  Http2Parser& operator=(const Http2Parser&) = delete;

  FeedResult feed(const StreamChunk& chunk, TransactionSink& sink) override;

  /// Turns a fresh parser into the h2c-upgrade one (see make_http2_upgrade_parser).
  void start_upgraded(const H2cUpgrade& upgrade);

  /// Names gRPC fields from a descriptor set (shared, read-only; must
  /// outlive the parser). nullptr: schemaless field numbers.
  void set_protoset(const ProtosetNames* names) { protoset_ = names; }

  /// Streams currently tracked.
  uint32_t open_streams() const { return open_streams_; }
  /// Header lists whose bytes were checked (names, values): one per header
  /// block, not one per decision (a gRPC stream decides at every message).
  uint32_t header_lists_checked() const { return header_lists_checked_; }
  /// Heap bytes this connection holds.
  size_t heap_used() const { return budget_.used(); }
  /// The HPACK table size in force for the decoder of `dir`'s header blocks.
  uint32_t decoder_table_size(Direction dir) const {
    return sides_[static_cast<int>(dir)].hpack.max_table_size();
  }

 private:
  static constexpr uint32_t kMaxStreams = 128;
  static constexpr uint32_t kMaxFindings = 32;
  static constexpr uint32_t kPrefaceBytes = 24;

  using State = FeedState;  // never Upgraded
  enum class HalfPhase : uint8_t { Idle, Body, Done };
  enum class BlockKind : uint8_t { Request, Response, Trailers, Discard };
  enum class BodyMode : uint8_t { Plain, Grpc, GrpcWebText };

  // One direction of one stream.
  struct Half {
    HalfPhase phase = HalfPhase::Idle;
    BodyMode mode = BodyMode::Plain;
    uint16_t header_count = 0;  // decoded records in `headers` (head, then trailers)
    uint16_t head_count = 0;    // records of the head
    uint32_t headers_len = 0;
    uint8_t* headers = nullptr;  // heap: [u32 name_len][u32 value_len][name][value]...
    uint8_t* body = nullptr;     // heap: body or current gRPC message (+ JSON padding)
    uint32_t body_len = 0;
    uint64_t body_total = 0;
    int64_t content_length = -1;
    bool bad_content_length = false;
    GrpcFramer framer;
    uint32_t message_len = 0;  // gRPC: bytes of the current message kept
    uint8_t b64[4] = {};       // grpc-web-text: partial base64 quantum
    uint8_t b64_have = 0;
  };

  struct Stream {
    uint32_t id = 0;  // 0: free slot
    uint32_t index = 0;
    Half half[2];
  };

  // One direction of the connection.
  struct Side {
    Direction dir = Direction::Request;
    uint32_t preface_have = kPrefaceBytes;  // request side: preface bytes matched
    bool seen_settings = false;

    uint8_t header[kHttp2FrameHeaderBytes] = {};
    uint8_t header_have = 0;
    bool in_frame = false;
    FrameHeader frame;
    uint32_t pos = 0;  // payload bytes consumed
    bool bounds_known = false;
    uint32_t content_begin = 0;
    uint32_t content_end = 0;
    uint8_t small[8] = {};  // fixed payloads and HEADERS/PUSH_PROMISE prefixes
    uint8_t small_have = 0;
    uint8_t setting[6] = {};
    uint8_t setting_have = 0;
    bool settings_invalid = false;

    Http2Settings acked;      // this side's settings the other side ACKed
    Http2Settings announcing;  // values of the SETTINGS frame being read
    PendingSettings pending;
    HpackDecoder hpack;  // decodes this side's header blocks

    bool in_block = false;
    uint32_t block_stream = 0;
    BlockKind block_kind = BlockKind::Discard;
    bool block_end_stream = false;
    uint32_t block_frames = 0;
    uint32_t block_bytes = 0;
    uint32_t block_decoded = 0;

    uint32_t window_frames = 0;
    uint32_t window_settings = 0;
    uint32_t window_pings = 0;
    uint32_t window_resets = 0;
  };

  // Frame layer (http2_parser.cc).
  const uint8_t* consume(Side& s, const uint8_t* p, const uint8_t* end);
  bool start_frame(Side& s);
  bool check_frame_header(Side& s);
  void frame_payload(Side& s, const uint8_t* p, uint32_t n);
  void frame_content(Side& s, const uint8_t* p, uint32_t n);
  void end_frame(Side& s);
  void settings_entry(Side& s);
  void end_settings(Side& s);
  void end_rst_stream(Side& s);
  bool count_window(Side& s);

  // Header blocks and streams (http2_streams.cc).
  bool begin_header_block(Side& s);
  void header_fragment(Side& s, const uint8_t* p, uint32_t n, bool final);
  static bool on_header(void* ctx, std::string_view name, std::string_view value);
  void end_header_block(Side& s);
  void data_content(Side& s, const uint8_t* p, uint32_t n);
  void grpc_bytes(Stream& st, Half& h, Direction dir, const uint8_t* p, uint32_t n);
  bool append_body(Half& h, const uint8_t* p, uint32_t n);
  void end_half(Stream& st, Direction dir);
  void free_stream(Stream& st);
  Stream* find_stream(uint32_t id);
  Stream* new_stream(uint32_t id);
  uint32_t max_concurrent_streams() const;

  // Decisions (http2_decisions.cc).
  bool decide(Stream& st, Direction dir, DecisionPoint point, FindingList& findings,
              bool with_body, bool report_checks, bool with_trailers);
  bool head_fields(Stream& st, Direction dir, FieldList& fields, FindingList* findings,
                   Http2Head& head);
  void fail(Side& s, std::string_view name, std::string_view detail);
  void out_of_memory(std::string_view what);

  ParserWorkspace& ws_;
  Http2Limits limits_;
  HeapBudget budget_;  // before sides_: the HPACK inflaters free into it
  Side sides_[2];
  Stream streams_[kMaxStreams];
  uint32_t open_streams_ = 0;
  uint32_t last_client_stream_ = 0;
  uint32_t next_index_ = 0;
  std::string_view upgrade_method_;  // into upgrade_method_buf_
  char upgrade_method_buf_[24] = {};
  const ProtosetNames* protoset_ = nullptr;
  uint32_t header_lists_checked_ = 0;
  State state_ = State::Active;
  ParserFinding error_{};

  // Valid during one feed() call.
  TransactionSink* sink_ = nullptr;
  FeedResult* result_ = nullptr;
  // Header block decoding target (on_header).
  Half* block_half_ = nullptr;
  Side* block_side_ = nullptr;
  bool block_bomb_ = false;
};

}  // namespace weir::parse
