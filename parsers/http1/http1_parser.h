#pragma once
// Http1Parser: HTTP/1.0 and 1.1 on llhttp 8.1, both directions of one
// connection. llhttp validates start lines, headers and Content-Length
// framing with no leniency enabled; our head scan adds the ambiguity checks
// llhttp lacks; chunked bodies are decoded by ChunkedDecoder (llhttp 8.1
// rejects valid chunk extensions). The response side knows the methods of
// the requests in flight (HEAD, CONNECT) and skips 1xx interim responses.
// Upgrade (101), CONNECT (2xx) and the HTTP/2 connection preface at the
// start of a connection (h2c with prior knowledge, as cleartext gRPC does)
// end HTTP/1 parsing: FeedStatus::Upgraded.

#include <llhttp.h>

#include <cstdint>

#include "parsers/feed_state.h"
#include "parsers/field_list.h"
#include "parsers/http1/chunked_decoder.h"
#include "parsers/http1/head_scan.h"
#include "parsers/parser.h"
#include "parsers/parser_workspace.h"

namespace weir::parse {

Parser* make_http1_parser(void* storage, ParserWorkspace& workspace);

class Http1Parser final : public Parser {
 public:
  explicit Http1Parser(ParserWorkspace& workspace);
  ~Http1Parser() override;
  Http1Parser(const Http1Parser&) = delete;
  Http1Parser& operator=(const Http1Parser&) = delete;

  FeedResult feed(const StreamChunk& chunk, TransactionSink& sink) override;

  /// Requests parsed whose response has not been seen yet.
  uint32_t requests_in_flight() const { return pending_count_; }

 private:
  static constexpr uint32_t kMaxPipeline = 32;
  static constexpr uint32_t kMaxFindings = 16;

  enum class Phase : uint8_t { Head, Body, Chunked, Preface };
  using State = FeedState;

  struct Pending {
    uint32_t index = 0;
    uint8_t method = 0;  // llhttp_method
    UpgradeKind upgrade = UpgradeKind::None;
  };

  // One direction of the connection.
  struct Side {
    llhttp_t llhttp;
    Http1Parser* owner = nullptr;
    Direction dir = Direction::Request;
    Phase phase = Phase::Head;

    // Head of the current message: in the chunk, or in head_slab when it
    // spanned chunks or has to outlive the chunk (body still to come).
    const uint8_t* head = nullptr;
    uint32_t head_len = 0;
    uint8_t* head_slab = nullptr;
    uint32_t head_buffered = 0;  // partial head bytes in head_slab

    uint8_t* body_slab = nullptr;
    uint32_t body_len = 0;
    uint64_t body_total = 0;
    bool body_oom = false;

    // The last message announced the end of the connection (Connection:
    // close, HTTP/1.0 without keep-alive): llhttp 8.1 silently discards what
    // follows, a server might not, so further bytes are refused.
    bool closed = false;
    bool headers_done = false;
    bool message_done = false;
    bool chunked_by_us = false;
    ChunkedDecoder chunked;

    uint32_t index = 0;
    uint16_t status = 0;
    UpgradeKind upgrade = UpgradeKind::None;
    uint8_t preface_matched = 0;  // bytes of "SM\r\n\r\n" seen after "PRI * HTTP/2.0"
    uint8_t request_method = 0;  // response side: method of the request answered
    bool has_request_method = false;

    // Head parse and fields, valid while cache_serial == owner->feed_serial_.
    uint64_t cache_serial = 0;
    ParsedHead parsed;
    FieldList fields;
  };

  static int on_headers_complete_cb(llhttp_t* p);
  static int on_body_cb(llhttp_t* p, const char* at, size_t len);
  static int on_message_complete_cb(llhttp_t* p);
  static void append_body(void* side, const uint8_t* data, size_t len);
  static const llhttp_settings_t& settings();

  int on_headers_complete(Side& s);
  const uint8_t* consume_head(Side& s, const uint8_t* p, const uint8_t* end);
  const uint8_t* consume_body(Side& s, const uint8_t* p, const uint8_t* end);
  const uint8_t* consume_preface(Side& s, const uint8_t* p, const uint8_t* end);
  bool process_head(Side& s, const uint8_t* head, uint32_t len);
  bool finish_message(Side& s);
  bool build_head_fields(Side& s, FindingList* findings);
  bool retain_head(Side& s);
  void end_message(Side& s);
  bool decide(Side& s, DecisionPoint point, uint32_t first_new, const FindingList& findings);
  void fail(Side& s, std::string_view name, std::string_view detail);
  void out_of_memory(std::string_view what);

  Pending* pending_front() { return pending_count_ > 0 ? &pending_[pending_head_] : nullptr; }
  bool push_pending(const Pending& p);
  void pop_pending();

  ParserWorkspace& ws_;
  Side sides_[2];
  Pending pending_[kMaxPipeline];
  uint32_t pending_head_ = 0;
  uint32_t pending_count_ = 0;
  uint32_t next_index_ = 0;
  State state_ = State::Active;
  UpgradeKind upgraded_to_ = UpgradeKind::None;
  ParserFinding error_{};
  uint64_t feed_serial_ = 0;

  // Valid during one feed() call.
  TransactionSink* sink_ = nullptr;
  FeedResult* result_ = nullptr;
  const uint8_t* chunk_begin_ = nullptr;
  const uint8_t* chunk_end_ = nullptr;
  const uint8_t* message_begin_ = nullptr;
};

}  // namespace weir::parse
