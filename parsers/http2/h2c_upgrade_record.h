#pragma once
// H2cUpgradeRecord: what the dataplane keeps per flow between an HTTP/1
// request asking for `Upgrade: h2c` and its 101, so that it can build the
// HTTP/2 parser (make_http2_upgrade_parser) when HTTP/1 returns
// Upgraded(H2c) from the response side (RFC 7540 3.2: the upgrade request
// becomes stream 1, half closed; its HTTP2-Settings are the client's first
// SETTINGS, acknowledged by the 101). The sink's views die when
// on_decision() returns, so the record keeps the decoded settings and a copy
// of the method: a few dozen bytes, whatever the header's length.

#include <cstdint>

#include "parsers/http2/http2_parser.h"
#include "parsers/http2/http2_settings.h"
#include "parsers/transaction.h"

namespace weir::parse {

class H2cUpgradeRecord {
 public:
  static constexpr uint32_t kMaxMethod = 16;

  /// Call with every HTTP/1 decision of the flow (cheap when not relevant).
  void observe(const Transaction& txn);
  /// A request asked for h2c and no answer other than 101 came for it yet.
  bool requested() const { return requested_; }
  /// What the upgraded connection starts from; views into this record.
  H2cUpgrade upgrade() const;
  void clear() { *this = H2cUpgradeRecord{}; }

 private:
  Http2Settings settings_;
  uint32_t index_ = 0;
  char method_[kMaxMethod] = {};
  uint8_t method_len_ = 0;
  bool requested_ = false;
  bool settings_invalid_ = false;
};

}  // namespace weir::parse
