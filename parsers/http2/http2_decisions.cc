// Decisions: each one rebuilds the stream's fields from its header records
// (the arena is reset after every decision, so nothing built for one
// decision is kept) with the HTTP/1 field code, then adds what this point
// brings: the body fields (END_STREAM), one gRPC message's fields, trailers.
#include <cstring>

#include "parsers/grpc/grpc_message_fields.h"
#include "parsers/grpc/protoset_names.h"
#include "parsers/http1/body_fields.h"
#include "parsers/http1/head_fields.h"
#include "parsers/http2/http2_header_records.h"
#include "parsers/http2/http2_parser.h"

namespace weir::parse {
namespace {

// Header records [first, last) as HeaderLines in the arena.
std::span<const HeaderLine> record_lines(const uint8_t* data, uint32_t len, uint32_t first,
                                         uint32_t last, Arena& arena) {
  if (last <= first) return {};
  auto* lines = arena.allocate_array<HeaderLine>(last - first);
  if (lines == nullptr) return {};
  HeaderRecordCursor cur(data, len);
  HeaderLine line;
  uint32_t i = 0;
  uint32_t n = 0;
  while (i < last && cur.next(line.name, line.value)) {
    if (i++ >= first) lines[n++] = line;
  }
  return {lines, n};
}

uint16_t status_code(std::string_view s) {
  if (s.size() != 3) return 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
  }
  return static_cast<uint16_t>((s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0'));
}

}  // namespace

bool Http2Parser::head_fields(Stream& st, Direction dir, FieldList& fields, FindingList* findings,
                              Http2Head& head) {
  Arena& arena = ws_.arena();
  const Half& h = st.half[static_cast<int>(dir)];
  const std::span<const HeaderLine> lines =
      record_lines(h.headers, h.headers_len, 0, h.head_count, arena);
  auto* regular = arena.allocate_array<HeaderLine>(lines.size() > 0 ? lines.size() : 1);
  if (regular == nullptr) return false;
  // Findings (and so the byte-level checks) only at the block's own decision.
  if (classify_header_block(lines, dir == Direction::Request ? HeaderBlockKind::Request
                                                             : HeaderBlockKind::Response,
                            regular, head, findings)) {
    ++header_lists_checked_;
  }
  const ParsedHead parsed = to_parsed_head(head);
  const bool complete = dir == Direction::Request ? add_request_head_fields(parsed, arena, fields)
                                                  : add_response_head_fields(parsed, arena, fields);
  if (!complete && findings != nullptr) {
    findings->add("parse.field_cap", "more fields than max_fields", FindingSeverity::Anomaly);
  }
  return true;
}

bool Http2Parser::decide(Stream& st, Direction dir, DecisionPoint point, FindingList& findings,
                         bool with_body, bool report_checks, bool with_trailers) {
  Arena& arena = ws_.arena();
  Half& h = st.half[static_cast<int>(dir)];
  FieldList fields(arena, ws_.limits().max_fields);
  Http2Head head;
  const bool report_head = report_checks && point == DecisionPoint::EndOfHeaders;
  if (!head_fields(st, dir, fields, report_head ? &findings : nullptr, head)) {
    out_of_memory("arena full");
    return false;
  }
  const ParsedHead parsed = to_parsed_head(head);
  const uint32_t first_new = point == DecisionPoint::EndOfHeaders ? 0 : fields.size();
  if (with_body && h.body_len > 0) {
    const bool truncated = point == DecisionPoint::EndOfMessage
                               ? h.framer.length() > h.body_len
                               : h.body_total > h.body_len;
    std::memset(h.body + h.body_len, 0, JsonFlattener::kPadding);
    const std::string_view body(reinterpret_cast<const char*>(h.body), h.body_len);
    if (point == DecisionPoint::EndOfMessage) {
      GrpcMessageInfo info;
      info.flags = h.framer.flags();
      info.truncated = truncated;
      info.length = h.framer.length();
      const HeaderLine* enc = find_header(parsed, "grpc-encoding");
      if (enc != nullptr) info.encoding = enc->value;
      // The parser's own set (tests), else the worker's configured one,
      // read here so a config reload takes effect on open connections.
      const ProtosetNames* names = protoset_ != nullptr ? protoset_ : ws_.protoset();
      if (names != nullptr) info.type = names->message_type(head.path, dir);
      add_grpc_message_fields(body, info, dir, ws_, limits_.max_protobuf_depth, fields, findings);
    } else {
      add_body_fields(body, parsed, dir, truncated, ws_, fields, findings);
    }
  }
  if (with_trailers && h.header_count > h.head_count) {
    const std::span<const HeaderLine> lines =
        record_lines(h.headers, h.headers_len, h.head_count, h.header_count, arena);
    auto* regular = arena.allocate_array<HeaderLine>(lines.size() > 0 ? lines.size() : 1);
    Http2Head trailers;
    if (regular != nullptr) {
      if (classify_header_block(lines, HeaderBlockKind::Trailers, regular, trailers,
                                report_checks ? &findings : nullptr)) {
        ++header_lists_checked_;
      }
      const Zone zone = dir == Direction::Request ? Zone::Header : Zone::RespHeader;
      for (const HeaderLine& t : trailers.regular) {
        if (!fields.add(zone, t.name, t.value)) break;
      }
    }
  }

  Transaction txn;
  txn.protocol = h.mode == BodyMode::Plain ? Protocol::Http2 : Protocol::Grpc;
  txn.index = st.index;
  txn.direction = dir;
  txn.point = point;
  if (dir == Direction::Request) {
    txn.method = head.method;
    txn.target = head.path;
    txn.host = head.authority;
  } else {
    txn.status = status_code(head.status);
    HeaderRecordCursor cur(st.half[0].headers, st.half[0].headers_len);
    std::string_view name;
    std::string_view value;
    while (cur.next(name, value)) {
      if (name == ":method") {
        txn.method = value;
        break;
      }
    }
    // Stream 1 after an h2c upgrade answers the HTTP/1 request.
    if (txn.method.empty() && st.id == 1) txn.method = upgrade_method_;
  }
  txn.fields = fields.view();
  txn.first_new = first_new;
  txn.findings = findings.view();
  ++result_->decisions;
  const SinkVerdict verdict = sink_->on_decision(txn);
  arena.reset();
  if (verdict == SinkVerdict::Block) {
    state_ = State::Blocked;
    return false;
  }
  return true;
}

}  // namespace weir::parse
