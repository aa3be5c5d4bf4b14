// The latest request that asked for h2c is kept until an answer other than
// 101 comes for it: a client that sent one and got 200 may ask again, and the
// HTTP/1 parser stops at the 101, so nothing after the switch can overwrite it.
#include "parsers/http2/h2c_upgrade_record.h"

#include <cstring>
#include <string_view>

namespace weir::parse {
namespace {

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

bool equals_lower(std::string_view value, std::string_view lower) {
  if (value.size() != lower.size()) return false;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// The first protocol of the list decides, as the HTTP/1 parser reads it.
bool asks_for_h2c(std::string_view upgrade) { return equals_lower(trim(upgrade.substr(0, upgrade.find(','))), "h2c"); }

}  // namespace

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
    if (f.zone == Zone::Header && f.name == "upgrade" && asks_for_h2c(f.value)) asks = true;
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
