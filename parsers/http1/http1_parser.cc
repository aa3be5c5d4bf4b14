// Flow of one feed(): for the chunk's direction, alternate between the head
// phase (find the end of the head, give the whole head to llhttp at once,
// scan it, decide) and the body phase (llhttp for Content-Length bodies,
// ChunkedDecoder for chunked ones, decide at the end). on_message_complete
// pauses llhttp so that one message never runs into the next one's head.
#include "parsers/http1/http1_parser.h"
#include "parsers/http1/head_byte_search.h"

#include <cstring>
#include <new>

#include "parsers/graphql/graphql_inspector.h"
#include "parsers/http1/body_fields.h"
#include "parsers/http1/head_fields.h"
#include "parsers/http1/llhttp_error_names.h"

namespace weir::parse {
namespace {

std::string_view as_view(const uint8_t* p, size_t n) {
  return {reinterpret_cast<const char*>(p), n};
}

// End of the head: just past the empty line ("\r\n\r\n", or a bare-LF form
// that llhttp and the head scan then reject). nullptr when not in [p, end).
const uint8_t* find_head_end(const uint8_t* p, const uint8_t* end) {
  const std::string_view text = as_view(p, static_cast<size_t>(end - p));
  const size_t at = find_blank_line_end(text, 0);
  return at <= text.size() ? p + at : nullptr;
}

UpgradeKind upgrade_kind_of(const ParsedHead& head) {
  const HeaderLine* h = find_header(head, "upgrade");
  return h != nullptr ? upgrade_kind_of_value(h->value) : UpgradeKind::Other;
}

}  // namespace

Parser* make_http1_parser(void* storage, ParserWorkspace& workspace) {
  return new (storage) Http1Parser(workspace);
}

const llhttp_settings_t& Http1Parser::settings() {
  static const llhttp_settings_t s = [] {
    llhttp_settings_t v;
    llhttp_settings_init(&v);
    v.on_headers_complete = &Http1Parser::on_headers_complete_cb;
    v.on_body = &Http1Parser::on_body_cb;
    v.on_message_complete = &Http1Parser::on_message_complete_cb;
    return v;
  }();
  return s;
}

Http1Parser::Http1Parser(ParserWorkspace& workspace) : ws_(workspace) {
  for (int i = 0; i < 2; ++i) {
    Side& s = sides_[i];
    s.owner = this;
    s.dir = static_cast<Direction>(i);
    llhttp_init(&s.llhttp, i == 0 ? HTTP_REQUEST : HTTP_RESPONSE, &settings());
    s.llhttp.data = &s;
  }
}

Http1Parser::~Http1Parser() {
  for (Side& s : sides_) {
    ws_.head_slabs().release(s.head_slab);
    ws_.body_slabs().release(s.body_slab);
  }
}

int Http1Parser::on_headers_complete_cb(llhttp_t* p) {
  Side& s = *static_cast<Side*>(p->data);
  s.headers_done = true;
  return s.owner->on_headers_complete(s);
}

int Http1Parser::on_body_cb(llhttp_t* p, const char* at, size_t len) {
  Side& s = *static_cast<Side*>(p->data);
  append_body(&s, reinterpret_cast<const uint8_t*>(at), len);
  return s.body_oom ? -1 : 0;
}

int Http1Parser::on_message_complete_cb(llhttp_t* p) {
  static_cast<Side*>(p->data)->message_done = true;
  return HPE_PAUSED;
}

// Return values are llhttp's: 0 body as framed, 1 no body, 2 no body and
// the stream switches protocol (HPE_PAUSED_UPGRADE).
int Http1Parser::on_headers_complete(Side& s) {
  const llhttp_t& p = s.llhttp;
  if (s.dir == Direction::Response) {
    const int status = p.status_code;
    if (status >= 100 && status < 200 && status != 101) return 0;  // interim, no body
    const Pending* front = pending_front();
    if (status == 101) return 2;
    if (front != nullptr && front->method == HTTP_HEAD) return 1;
    if (front != nullptr && front->method == HTTP_CONNECT && status / 100 == 2) return 2;
    if (status == 204 || status == 304) return 1;
  }
  if ((p.flags & F_CHUNKED) != 0) {
    s.chunked_by_us = true;
    s.chunked.reset();
    return 1;
  }
  return 0;
}

void Http1Parser::append_body(void* side, const uint8_t* data, size_t len) {
  Side& s = *static_cast<Side*>(side);
  Http1Parser& self = *s.owner;
  s.body_total += len;
  const size_t limit = self.ws_.limits().max_body_inspect;
  if (s.body_len >= limit || s.body_oom) return;
  if (s.body_slab == nullptr) {
    s.body_slab = self.ws_.body_slabs().acquire();
    if (s.body_slab == nullptr) {
      s.body_oom = true;
      return;
    }
  }
  const size_t take = len < limit - s.body_len ? len : limit - s.body_len;
  std::memcpy(s.body_slab + s.body_len, data, take);
  s.body_len += static_cast<uint32_t>(take);
}

bool Http1Parser::push_pending(const Pending& p) {
  const uint32_t cap = ws_.limits().max_pipeline < kMaxPipeline ? ws_.limits().max_pipeline
                                                                : kMaxPipeline;
  if (pending_count_ >= cap) return false;
  pending_[(pending_head_ + pending_count_) % kMaxPipeline] = p;
  ++pending_count_;
  return true;
}

void Http1Parser::pop_pending() {
  if (pending_count_ == 0) return;
  pending_head_ = (pending_head_ + 1) % kMaxPipeline;
  --pending_count_;
}

FeedResult Http1Parser::feed(const StreamChunk& chunk, TransactionSink& sink) {
  FeedResult result;
  if (refuse_when_settled(state_, error_, upgraded_to_, result)) return result;
  ++feed_serial_;
  ws_.arena().reset();
  sink_ = &sink;
  result_ = &result;
  chunk_begin_ = chunk.bytes.data();
  chunk_end_ = chunk_begin_ + chunk.bytes.size();
  message_begin_ = chunk_begin_;

  Side& s = sides_[static_cast<int>(chunk.direction)];
  const uint8_t* p = chunk_begin_;
  while (p != nullptr && p < chunk_end_ && state_ == State::Active) {
    switch (s.phase) {
      case Phase::Head: p = consume_head(s, p, chunk_end_); break;
      case Phase::Preface: p = consume_preface(s, p, chunk_end_); break;
      case Phase::Body:
      case Phase::Chunked: p = consume_body(s, p, chunk_end_); break;
    }
  }
  if (state_ == State::Active && chunk.end_of_stream && s.phase == Phase::Body) {
    // A response delimited by connection close ends here.
    const llhttp_errno_t err = llhttp_finish(&s.llhttp);
    if ((err == HPE_OK || err == HPE_PAUSED) && s.message_done) finish_message(s);
  }
  if (state_ == State::Active && (s.phase == Phase::Body || s.phase == Phase::Chunked)) {
    retain_head(s);
  }

  const FeedStop stop{static_cast<uint32_t>(chunk.bytes.size()),
                      static_cast<uint32_t>((p != nullptr ? p : chunk_end_) - chunk_begin_),
                      static_cast<uint32_t>(message_begin_ - chunk_begin_)};
  finish_feed(state_, stop, error_, upgraded_to_, result);
  sink_ = nullptr;
  result_ = nullptr;
  return result;
}

const uint8_t* Http1Parser::consume_head(Side& s, const uint8_t* p, const uint8_t* end) {
  const size_t max_head = ws_.limits().max_head_bytes;
  if (s.closed) {
    while (p < end && (*p == '\r' || *p == '\n')) ++p;
    if (p == end) return p;
    message_begin_ = p;
    fail(s, "http1.data_after_close", "bytes after a message that closed the connection");
    return nullptr;
  }
  if (s.head_buffered == 0) {
    message_begin_ = p;
    const uint8_t* head_end = find_head_end(p, end);
    if (head_end != nullptr) {
      if (static_cast<size_t>(head_end - p) > max_head) {
        fail(s, "http1.head_too_large", "head longer than max_head_bytes");
        return nullptr;
      }
      process_head(s, p, static_cast<uint32_t>(head_end - p));
      return head_end;
    }
    if (static_cast<size_t>(end - p) > max_head) {
      fail(s, "http1.head_too_large", "head longer than max_head_bytes");
      return nullptr;
    }
    if (s.head_slab == nullptr) s.head_slab = ws_.head_slabs().acquire();
    if (s.head_slab == nullptr) {
      out_of_memory("no head buffer free");
      return nullptr;
    }
    std::memcpy(s.head_slab, p, static_cast<size_t>(end - p));
    s.head_buffered = static_cast<uint32_t>(end - p);
    return end;
  }
  // The head started in an earlier chunk: keep appending until it ends.
  const size_t old_len = s.head_buffered;
  const size_t take = std::min(static_cast<size_t>(end - p), max_head - old_len);
  std::memcpy(s.head_slab + old_len, p, take);
  const size_t search_from = old_len >= 2 ? old_len - 2 : 0;
  const uint8_t* head_end = find_head_end(s.head_slab + search_from, s.head_slab + old_len + take);
  if (head_end == nullptr) {
    s.head_buffered = static_cast<uint32_t>(old_len + take);
    if (s.head_buffered >= max_head) {
      fail(s, "http1.head_too_large", "head longer than max_head_bytes");
      return nullptr;
    }
    return p + take;
  }
  const auto head_len = static_cast<uint32_t>(head_end - s.head_slab);
  s.head_buffered = 0;
  const uint8_t* next = p + (head_len - old_len);
  process_head(s, s.head_slab, head_len);
  return next;
}

// After "PRI * HTTP/2.0\r\n\r\n" the HTTP/2 connection preface must go on
// with "SM\r\n\r\n"; the next parser starts with the first frame after it.
const uint8_t* Http1Parser::consume_preface(Side& s, const uint8_t* p, const uint8_t* end) {
  static constexpr char kTail[] = "SM\r\n\r\n";
  constexpr uint8_t kTailLen = sizeof(kTail) - 1;
  while (p < end && s.preface_matched < kTailLen) {
    if (*p != static_cast<uint8_t>(kTail[s.preface_matched])) {
      fail(s, "http1.bad_h2_preface", "PRI request that is not the HTTP/2 connection preface");
      return nullptr;
    }
    ++p;
    ++s.preface_matched;
  }
  if (s.preface_matched == kTailLen) {
    end_message(s);
    state_ = State::Upgraded;
    upgraded_to_ = UpgradeKind::H2c;
  }
  return p;
}

const uint8_t* Http1Parser::consume_body(Side& s, const uint8_t* p, const uint8_t* end) {
  if (s.phase == Phase::Chunked) {
    const ChunkedDecoder::Status st = s.chunked.decode(p, end, &append_body, &s);
    if (s.body_oom) {
      out_of_memory("no body buffer free");
      return nullptr;
    }
    if (st == ChunkedDecoder::Status::Error) {
      fail(s, s.chunked.error_name(), "invalid chunked framing");
      return nullptr;
    }
    if (st == ChunkedDecoder::Status::Done) finish_message(s);
    return p;
  }
  const llhttp_errno_t err =
      llhttp_execute(&s.llhttp, reinterpret_cast<const char*>(p), static_cast<size_t>(end - p));
  if (err == HPE_OK) return end;
  if (err == HPE_PAUSED) {
    const auto* pos = reinterpret_cast<const uint8_t*>(llhttp_get_error_pos(&s.llhttp));
    llhttp_resume(&s.llhttp);
    finish_message(s);
    return pos;
  }
  if (s.body_oom) {
    out_of_memory("no body buffer free");
    return nullptr;
  }
  fail(s, llhttp_error_finding_name(err, llhttp_get_error_reason(&s.llhttp)),
       llhttp_get_error_reason(&s.llhttp));
  return nullptr;
}

bool Http1Parser::build_head_fields(Side& s, FindingList* findings) {
  Arena& arena = ws_.arena();
  FindingList scratch(arena, kMaxFindings);
  if (!scan_head(as_view(s.head, s.head_len), s.dir, ws_.limits(), arena, s.parsed,
                 findings != nullptr ? *findings : scratch)) {
    return false;
  }
  s.fields = FieldList(arena, ws_.limits().max_fields);
  const bool complete = s.dir == Direction::Request
                            ? add_request_head_fields(s.parsed, arena, s.fields)
                            : add_response_head_fields(s.parsed, arena, s.fields);
  if (!complete && findings != nullptr) {
    findings->add("parse.field_cap", "more fields than max_fields", FindingSeverity::Anomaly);
  }
  // GraphQL over GET: the document and variables travel in the query string.
  const size_t query = s.parsed.target.find('?');
  if (s.dir == Direction::Request && complete && query != std::string_view::npos &&
      is_graphql_path(s.parsed.target)) {
    GraphqlResult result;
    ws_.graphql().inspect_query_string(s.parsed.target.substr(query + 1),
                                       ws_.graphql_policy_for(s.parsed.host, s.parsed.target), ws_.json(), arena,
                                       s.fields, findings != nullptr ? *findings : scratch, result);
  }
  s.cache_serial = feed_serial_;
  return true;
}

bool Http1Parser::process_head(Side& s, const uint8_t* head, uint32_t len) {
  s.head = head;
  s.head_len = len;
  s.headers_done = s.message_done = s.chunked_by_us = false;
  s.upgrade = UpgradeKind::None;
  s.status = 0;
  const llhttp_errno_t err =
      llhttp_execute(&s.llhttp, reinterpret_cast<const char*>(head), len);
  FindingList findings(ws_.arena(), kMaxFindings);
  const bool scanned = build_head_fields(s, &findings);
  const ParserFinding* fatal = nullptr;
  for (uint32_t i = 0; i < findings.size(); ++i) {
    if (findings[i].severity == FindingSeverity::Fatal) {
      fatal = &findings[i];
      break;
    }
  }
  if (err != HPE_OK && err != HPE_PAUSED && err != HPE_PAUSED_UPGRADE) {
    // Prefer our precise name (bare LF, space before colon) when we have one.
    const char* reason = llhttp_get_error_reason(&s.llhttp);
    fail(s, fatal != nullptr ? fatal->name : llhttp_error_finding_name(err, reason), reason);
    return false;
  }
  if (s.dir == Direction::Request && next_index_ == 0 && scanned && s.parsed.method == "PRI" &&
      s.parsed.target == "*" && s.parsed.version == "HTTP/2.0" && s.parsed.headers.empty()) {
    // HTTP/2 with prior knowledge: not an HTTP/1 request at all.
    s.phase = Phase::Preface;
    s.preface_matched = 0;
    return true;
  }
  if (err == HPE_PAUSED) llhttp_resume(&s.llhttp);
  if (err == HPE_PAUSED_UPGRADE) s.message_done = true;
  if (!s.headers_done) {
    if (s.parsed.method.empty() && s.parsed.status.empty() && scanned) {
      // Only empty lines between messages: nothing to decide.
      end_message(s);
      return true;
    }
    fail(s, "http1.head_incomplete", "head ended before llhttp completed it");
    return false;
  }
  if (fatal != nullptr) {
    fail(s, fatal->name, fatal->detail);
    return false;
  }
  if (!scanned) {
    out_of_memory("arena full");
    return false;
  }

  if (s.dir == Direction::Request) {
    s.index = next_index_++;
    Pending pending{s.index, s.llhttp.method, UpgradeKind::None};
    if (s.llhttp.method == HTTP_CONNECT) {
      pending.upgrade = UpgradeKind::Connect;
    } else if (s.llhttp.upgrade != 0) {
      pending.upgrade = upgrade_kind_of(s.parsed);
    }
    if (!push_pending(pending)) {
      fail(s, "http1.pipeline_too_deep", "more requests in flight than max_pipeline");
      return false;
    }
  } else {
    s.status = s.llhttp.status_code;
    const Pending* front = pending_front();
    if (front == nullptr) {
      findings.add("http1.unsolicited_response", "response without a request in flight",
                   FindingSeverity::Anomaly);
      s.index = next_index_;
    } else {
      s.index = front->index;
      s.request_method = front->method;
      s.has_request_method = true;
    }
    if (s.status == 101) {
      if (front != nullptr && front->upgrade != UpgradeKind::None &&
          front->upgrade != UpgradeKind::Connect) {
        s.upgrade = front->upgrade;
      } else {
        findings.add("http1.unsolicited_switch", "101 to a request that did not ask to upgrade",
                     FindingSeverity::Anomaly);
        s.upgrade = UpgradeKind::Other;
      }
    } else if (front != nullptr && front->method == HTTP_CONNECT && s.status / 100 == 2) {
      s.upgrade = UpgradeKind::Connect;
    }
  }
  if (!decide(s, DecisionPoint::EndOfHeaders, 0, findings)) return false;
  if (s.chunked_by_us) {
    s.phase = Phase::Chunked;
    return true;
  }
  if (s.message_done || s.upgrade != UpgradeKind::None) return finish_message(s);
  s.phase = Phase::Body;
  return true;
}

bool Http1Parser::finish_message(Side& s) {
  FindingList findings(ws_.arena(), kMaxFindings);
  if (s.cache_serial != feed_serial_ && !build_head_fields(s, nullptr)) {
    out_of_memory("arena full");
    return false;
  }
  const uint32_t first_new = s.fields.size();
  if (s.body_total > 0 && s.body_slab != nullptr) {
    std::memset(s.body_slab + s.body_len, 0, JsonFlattener::kPadding);
    add_body_fields(as_view(s.body_slab, s.body_len), s.parsed, s.dir,
                    s.body_total > s.body_len, ws_, s.fields, findings);
  }
  if (s.chunked_by_us && s.chunked.had_trailers()) {
    findings.add("http1.trailers_present", "chunked trailer fields not inspected",
                 FindingSeverity::Notice);
  }
  if (!decide(s, DecisionPoint::EndOfBody, first_new, findings)) return false;

  const UpgradeKind upgrade = s.upgrade;
  if (s.dir == Direction::Response && (s.status < 100 || s.status >= 200 || s.status == 101)) {
    pop_pending();
  }
  const bool interim = s.status >= 100 && s.status < 200;
  if (s.llhttp.upgrade == 0 && !interim && llhttp_should_keep_alive(&s.llhttp) == 0) {
    s.closed = true;
  }
  // llhttp pauses after an Upgrade/CONNECT request until told otherwise;
  // the switch only happens if the response agrees, so parse on as HTTP.
  if (s.dir == Direction::Request && s.llhttp.upgrade != 0) llhttp_reset(&s.llhttp);
  end_message(s);
  if (upgrade != UpgradeKind::None) {
    state_ = State::Upgraded;
    upgraded_to_ = upgrade;
    return false;
  }
  return true;
}

void Http1Parser::end_message(Side& s) {
  ws_.head_slabs().release(s.head_slab);
  ws_.body_slabs().release(s.body_slab);
  s.head_slab = s.body_slab = nullptr;
  s.head = nullptr;
  s.head_len = s.head_buffered = s.body_len = 0;
  s.body_total = 0;
  s.body_oom = s.headers_done = s.message_done = s.chunked_by_us = false;
  s.upgrade = UpgradeKind::None;
  s.has_request_method = false;
  s.preface_matched = 0;
  s.cache_serial = 0;
  s.phase = Phase::Head;
  // Nothing of this message is referenced any more: reuse the scratch space
  // for the next pipelined message of this chunk.
  ws_.arena().reset();
}

// The body of this message continues in a later chunk, but the head is a
// view into this one: keep a copy so the head fields can be shown again at
// the end of the body.
bool Http1Parser::retain_head(Side& s) {
  if (s.head == nullptr || s.head == s.head_slab) return true;
  if (s.head_slab == nullptr) s.head_slab = ws_.head_slabs().acquire();
  if (s.head_slab == nullptr) {
    out_of_memory("no head buffer free");
    return false;
  }
  std::memcpy(s.head_slab, s.head, s.head_len);
  s.head = s.head_slab;
  s.cache_serial = 0;
  return true;
}

bool Http1Parser::decide(Side& s, DecisionPoint point, uint32_t first_new,
                         const FindingList& findings) {
  Transaction txn;
  txn.protocol = Protocol::Http1;
  txn.index = s.index;
  txn.direction = s.dir;
  txn.point = point;
  if (s.dir == Direction::Request) {
    txn.method = s.parsed.method;
    txn.target = s.parsed.target;
    txn.host = s.parsed.host;
  } else if (s.has_request_method) {
    txn.method = llhttp_method_name(static_cast<llhttp_method_t>(s.request_method));
  }
  txn.status = s.status;
  txn.fields = s.fields.view();
  txn.first_new = first_new;
  txn.findings = findings.view();
  ++result_->decisions;
  if (sink_->on_decision(txn) == SinkVerdict::Block) {
    state_ = State::Blocked;
    return false;
  }
  return true;
}

void Http1Parser::fail(Side& s, std::string_view name, std::string_view detail) {
  error_ = ParserFinding{name, detail, FindingSeverity::Fatal};
  state_ = State::Failed;
  Transaction txn;
  txn.index = s.index;
  txn.direction = s.dir;
  txn.point = DecisionPoint::ParseError;
  txn.findings = {&error_, 1};
  ++result_->decisions;
  (void)sink_->on_decision(txn);  // the stream is unusable whatever the sink says
}

void Http1Parser::out_of_memory(std::string_view what) {
  error_ = ParserFinding{"parse.resource_limit", what, FindingSeverity::Fatal};
  state_ = State::OutOfMemory;
}

}  // namespace weir::parse
