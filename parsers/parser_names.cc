// Stable names of the parser-layer enums, for logs, alerts and tests.
#include "parsers/decision_point.h"
#include "parsers/parser.h"
#include "parsers/transaction.h"

namespace weir::parse {

const char* decision_point_name(DecisionPoint p) {
  switch (p) {
    case DecisionPoint::EndOfHeaders: return "end_of_headers";
    case DecisionPoint::EndOfBody: return "end_of_body";
    case DecisionPoint::EndOfMessage: return "end_of_message";
    case DecisionPoint::ParseError: return "parse_error";
  }
  return "unknown";
}

const char* upgrade_kind_name(UpgradeKind k) {
  switch (k) {
    case UpgradeKind::None: return "none";
    case UpgradeKind::WebSocket: return "websocket";
    case UpgradeKind::H2c: return "h2c";
    case UpgradeKind::Connect: return "connect";
    case UpgradeKind::Other: return "other";
  }
  return "unknown";
}

const char* feed_status_name(FeedStatus s) {
  switch (s) {
    case FeedStatus::Ok: return "ok";
    case FeedStatus::Blocked: return "blocked";
    case FeedStatus::ParseError: return "parse_error";
    case FeedStatus::Upgraded: return "upgraded";
    case FeedStatus::ResourceLimit: return "resource_limit";
  }
  return "unknown";
}

}  // namespace weir::parse
