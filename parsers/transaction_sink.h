#pragma once
// TransactionSink: what a parser reports to at each decision point (the
// detect engine in the dataplane, an inspector offline). The verdict travels
// back as the return value; the parser hands it to its caller in FeedResult.

#include <cstdint>

#include "parsers/transaction.h"

namespace weir::parse {

enum class SinkVerdict : uint8_t {
  Pass,   ///< go on parsing
  Block,  ///< stop here: the parser refuses further bytes of this flow
};

class TransactionSink {
 public:
  virtual ~TransactionSink() = default;
  /// Called synchronously inside Parser::feed(); `txn` and everything it
  /// points to are valid only until this returns.
  virtual SinkVerdict on_decision(const Transaction& txn) = 0;
};

}  // namespace weir::parse
