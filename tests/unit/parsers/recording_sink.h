#pragma once
// Test sink: copies every decision the parser reports (the views die when
// on_decision returns) and can block at a chosen decision.

#include <string>
#include <string_view>
#include <vector>

#include "parsers/field.h"
#include "parsers/parser.h"
#include "parsers/transaction_sink.h"

namespace weir::parse::testing {

struct RecordedField {
  Zone zone;
  std::string name;
  std::string value;
  bool operator==(const RecordedField&) const = default;
};

struct RecordedDecision {
  uint32_t index = 0;
  Direction direction = Direction::Request;
  DecisionPoint point = DecisionPoint::EndOfHeaders;
  std::string method, target, host;
  uint16_t status = 0;
  std::vector<RecordedField> fields;  // all fields shown
  uint32_t first_new = 0;
  std::vector<std::string> findings;  // names

  bool has_finding(std::string_view name) const {
    for (const auto& f : findings) {
      if (f == name) return true;
    }
    return false;
  }
  // Value of the first field with this zone and name, or "<none>".
  std::string value(Zone zone, std::string_view name = {}) const {
    for (const auto& f : fields) {
      if (f.zone == zone && f.name == name) return f.value;
    }
    return "<none>";
  }
  size_t count(Zone zone) const {
    size_t n = 0;
    for (const auto& f : fields) n += f.zone == zone;
    return n;
  }
};

class RecordingSink : public TransactionSink {
 public:
  SinkVerdict on_decision(const Transaction& txn) override {
    RecordedDecision d;
    d.index = txn.index;
    d.direction = txn.direction;
    d.point = txn.point;
    d.method = std::string(txn.method);
    d.target = std::string(txn.target);
    d.host = std::string(txn.host);
    d.status = txn.status;
    d.first_new = txn.first_new;
    for (const auto& f : txn.fields) {
      d.fields.push_back({f.zone, std::string(f.name), std::string(f.value)});
    }
    for (const auto& f : txn.findings) d.findings.emplace_back(f.name);
    decisions.push_back(std::move(d));
    if (block_at >= 0 && static_cast<int>(decisions.size()) - 1 == block_at) return SinkVerdict::Block;
    return SinkVerdict::Pass;
  }

  std::vector<const RecordedDecision*> at(DecisionPoint p, Direction dir = Direction::Request) const {
    std::vector<const RecordedDecision*> out;
    for (const auto& d : decisions) {
      if (d.point == p && d.direction == dir) out.push_back(&d);
    }
    return out;
  }
  bool any_finding(std::string_view name) const {
    for (const auto& d : decisions) {
      if (d.has_finding(name)) return true;
    }
    return false;
  }

  std::vector<RecordedDecision> decisions;
  int block_at = -1;  // index in `decisions` whose verdict is Block
};

inline StreamChunk chunk_of(std::string_view s, Direction dir = Direction::Request,
                            bool eos = false) {
  StreamChunk c;
  c.direction = dir;
  c.bytes = {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
  c.end_of_stream = eos;
  return c;
}

}  // namespace weir::parse::testing
