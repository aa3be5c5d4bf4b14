#pragma once
// Transaction: one request and its response, as the sink sees it at a
// decision point. Everything is a view: valid only until the sink returns.

#include <cstdint>
#include <span>
#include <string_view>

#include "parsers/decision_point.h"
#include "parsers/field.h"
#include "parsers/parser_finding.h"
#include "parsers/stream_chunk.h"

namespace weir::parse {

enum class Protocol : uint8_t { Http1, Http2, Grpc, WebSocket, Graphql };

/// What a stream became when it left HTTP/1 (FeedStatus::Upgraded).
enum class UpgradeKind : uint8_t { None, WebSocket, H2c, Connect, Other };

const char* upgrade_kind_name(UpgradeKind k);

struct Transaction {
  Protocol protocol = Protocol::Http1;
  /// 0-based number of the request on its connection; a response carries the
  /// index of the request it answers (pipelining keeps them in order).
  uint32_t index = 0;
  Direction direction = Direction::Request;
  DecisionPoint point = DecisionPoint::EndOfHeaders;

  /// Request summary, valid at every decision point of the request: the
  /// method, the raw request target and the Host header value. On the
  /// response side only `method` is set (the method of the request answered,
  /// when known).
  std::string_view method;
  std::string_view target;
  std::string_view host;
  /// Response status code (response side only, 0 otherwise).
  uint16_t status = 0;

  /// Fields of the message so far: at EndOfHeaders the head fields, at
  /// EndOfBody the head fields again followed by the body fields.
  std::span<const Field> fields;
  /// Index in `fields` of the first field not shown at an earlier decision
  /// point of this message (the sink scans fields[first_new..] only once).
  uint32_t first_new = 0;
  /// Findings raised since the previous decision point of this message.
  std::span<const ParserFinding> findings;
};

}  // namespace weir::parse
