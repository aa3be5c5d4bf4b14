#pragma once
// TouchingSink: the TransactionSink of the HTTP parser fuzz targets. It reads
// every byte of every field and finding it is shown (so ASan reports a view
// that outlived its buffer), aborts on values no parser may produce, and
// answers Block when the input script says so.

#include <cstdint>
#include <cstdlib>

#include "parsers/transaction_sink.h"

namespace weir::parse::fuzz {

class TouchingSink : public TransactionSink {
 public:
  SinkVerdict on_decision(const Transaction& txn) override {
    for (const Field& f : txn.fields) {
      for (char c : f.name) checksum_ += static_cast<uint8_t>(c);
      for (char c : f.value) checksum_ += static_cast<uint8_t>(c);
      if (static_cast<int>(f.zone) >= static_cast<int>(Zone::Count)) std::abort();
    }
    for (const ParserFinding& f : txn.findings) {
      if (f.name.empty()) std::abort();
      checksum_ += f.detail.size();
    }
    if (txn.first_new > txn.fields.size()) std::abort();
    return block_ ? SinkVerdict::Block : SinkVerdict::Pass;
  }
  bool block_ = false;
  uint64_t checksum_ = 0;
};

}  // namespace weir::parse::fuzz
