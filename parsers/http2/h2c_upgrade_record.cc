// The latest request that asked for h2c is kept until an answer other than
// 101 comes for it: a client that sent one and got 200 may ask again, and the
// HTTP/1 parser stops at the 101, so nothing after the switch can overwrite it.
#include "parsers/http2/h2c_upgrade_record.h"

#include <cstring>
#include <string_view>

#include "parsers/http1/head_scan.h"

namespace weir::parse {

void H2cUpgradeRecord::observe(const Transaction& txn) {
  if (txn.protocol != Protocol::Http1 || txn.point != DecisionPoint::EndOfHeaders) return;
  if (txn.direction == Direction::Response) {
    if (requested_ && txn.index == index_ && txn.status != 101 && (txn.status < 100 || txn.status >= 200)) {
      requested_ = false;  // refused: the connection stays HTTP/1
    }
    return;
  }
  bool asks = false;
  for (const Field& f : txn.fields) {
    if (f.zone == Zone::Header && f.name == "upgrade" && upgrade_kind_of_value(f.value) == UpgradeKind::H2c) {
      asks = true;
    }
  }
  if (!asks || requested_) return;
  Http2Settings settings;
  uint32_t seen = 0;
  bool valid = true;
  for (const Field& f : txn.fields) {
    if (f.zone != Zone::Header || f.name != "http2-settings") continue;
    // Exactly one (RFC 7540 3.2.1); several would let two readers disagree.
    if (++seen > 1 || !decode_http2_settings_header(f.value, settings)) valid = false;
  }
  requested_ = true;
  settings_ = settings;
  settings_invalid_ = !valid;
  index_ = txn.index;
  method_len_ = static_cast<uint8_t>(txn.method.size() < kMaxMethod ? txn.method.size() : kMaxMethod);
  std::memcpy(method_, txn.method.data(), method_len_);
}

H2cUpgrade H2cUpgradeRecord::upgrade() const {
  return H2cUpgrade{.method = {method_, method_len_},
                    .request_index = index_,
                    .settings = settings_invalid_ ? nullptr : &settings_,
                    .settings_invalid = settings_invalid_};
}

}  // namespace weir::parse
