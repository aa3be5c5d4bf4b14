#pragma once
// TransactionInspector: the detect engine as a parsers TransactionSink. The
// parser calls on_decision() at each decision point; the inspector scans the
// fields new since the previous decision point of the message, carries the
// message's score from headers to body, turns parser findings into
// protocol findings, and answers Block when the verdict stops traffic.
// Holds per-message state (the carried score): use one per flow, or call
// reset() when the parser it serves changes. The full result of the last
// decision (findings for alerts, verdict details) is in last().

#include <cstdint>

#include "detect/engine.h"
#include "parsers/transaction_sink.h"

namespace weir::detect {

class TransactionInspector final : public parse::TransactionSink {
 public:
  explicit TransactionInspector(InspectionEngine& engine) : engine_(&engine) {}

  /// Snapshot for the next decisions (the worker sets it after a swap).
  void set_snapshot(const PolicySnapshot* snap) { snap_ = snap; }
  void reset() { carry_valid_ = false; }

  parse::SinkVerdict on_decision(const parse::Transaction& txn) override;

  /// Result of the last on_decision(); findings valid until the next one.
  const InspectionResult& last() const { return last_; }

  /// The path of a request target: origin-form up to '?' or '#'; for
  /// absolute-form ("http://host/p?q") the part after the authority.
  static std::string_view target_path(std::string_view target);

 private:
  InspectionEngine* engine_;
  const PolicySnapshot* snap_ = nullptr;
  InspectionResult last_;
  bool carry_valid_ = false;
  uint32_t carry_index_ = 0;
  parse::Direction carry_direction_ = parse::Direction::Request;
  uint32_t carry_score_ = 0;
};

}  // namespace weir::detect
